"""SmartRetail's wire shapes (smart-engage), plus our session creation for form backends."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

UUID_TEXT = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")


def canonical_session_id(value: str) -> str:
    """Session ids are UUIDs, so their case carries no meaning: any case finds the session and answers
    name it in the canonical (lower-case) form. Anything else stays as sent (and is simply not found)."""
    return value.lower() if UUID_TEXT.match(value) else value


SessionId = Annotated[
    str,
    Field(min_length=1, max_length=255, examples=["8960569d-db50-4742-8668-1da5c8ddf652"]),
    AfterValidator(canonical_session_id),
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
