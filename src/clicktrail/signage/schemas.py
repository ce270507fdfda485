"""SmartRetail's wire shapes (smart-engage), plus our session creation for form backends."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

SessionId = Annotated[
    str, Field(min_length=1, max_length=255, examples=["8960569d-db50-4742-8668-1da5c8ddf652"])
]


class StatusUpdateIn(BaseModel):
    session_id: SessionId
    new_status: Annotated[str, Field(min_length=1, max_length=255, examples=["FORM_REVIEWING"])]


class StatusUpdated(BaseModel):
    message: Literal["Status updated successfully"] = "Status updated successfully"


class CouponIssued(BaseModel):
    message: Literal["success"] = "success"
    coupon_code: str


class SessionIn(BaseModel):
    campaign_id: Annotated[str, Field(min_length=1, max_length=255, examples=["spring-form"])]


class SessionCreated(BaseModel):
    session_id: str


class ErrorOut(BaseModel):
    error_msg: str
