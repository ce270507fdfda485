"""BitLabs envelopes. Every answer carries ``status`` ("success" or "error") and a ``trace_id``, as the
vendor's do: BitBurst's iOS and Flutter SDKs refuse an answer without them. An error carries
``error.details {http, msg}`` (what the SDKs read); a refused action (422) keeps the documented
``data {code, reason}`` beside it."""

from __future__ import annotations

import secrets
from http import HTTPStatus
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..core.web.errors import ClicktrailError
from ..core.web.openapi import error_responses


def new_trace_id() -> str:
    """16 hex digits, the vendor's format (e.g. ``1dc6786b10a62ec6``)."""
    return secrets.token_hex(8)


def success(data: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse({"data": data, "status": "success", "trace_id": new_trace_id()}, status_code)


class RefusalReason(BaseModel):
    code: str
    reason: str


class SurveysErrorDetails(BaseModel):
    http: str
    msg: str


class SurveysErrorInfo(BaseModel):
    details: SurveysErrorDetails


class SurveysError(BaseModel):
    """Every error: BitLabs' general envelope."""

    error: SurveysErrorInfo
    status: Literal["error"]
    trace_id: str


class SurveysRefusal(SurveysError):
    """422: an action the click's state or the question's rules refuse; the documented ``data`` too."""

    data: RefusalReason


def render_error(request: Request, error: ClicktrailError, status: int) -> JSONResponse:
    body: dict[str, Any] = {}
    if status == 422:
        body["data"] = {"code": error.code, "reason": error.message}
    body["error"] = {"details": {"http": f"{status} {HTTPStatus(status).phrase}", "msg": error.message}}
    body.update(status="error", trace_id=new_trace_id())
    return JSONResponse(body, status_code=status)


def errors(*answers: int | ClicktrailError) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the errors an operation answers, as ``render_error`` shapes them."""
    models = {status: SurveysRefusal if status == 422 else SurveysError for status in (400, 401, 404, 422)}
    return error_responses(render_error, models, *answers)
