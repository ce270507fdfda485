"""BitLabs envelopes: 422 ``{"data": {"code", "reason"}}`` for refused actions, otherwise the general
``{"error": {"details": {"http", "msg"}}, "status": "error", "trace_id"}``."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..core.errors import ClicktrailError
from ..core.ids import new_uuid
from ..core.openapi import error_responses


class RefusalReason(BaseModel):
    code: str
    reason: str


class SurveysRefusal(BaseModel):
    """422: an action the click's state or the question's rules refuse."""

    data: RefusalReason


class SurveysErrorDetails(BaseModel):
    http: str
    msg: str


class SurveysErrorInfo(BaseModel):
    details: SurveysErrorDetails


class SurveysError(BaseModel):
    """Every other error: BitLabs' general envelope."""

    error: SurveysErrorInfo
    status: Literal["error"]
    trace_id: str


def render_error(request: Request, error: ClicktrailError, status: int) -> JSONResponse:
    if status == 422:
        return JSONResponse({"data": {"code": error.code, "reason": error.message}}, status_code=422)
    phrase = HTTPStatus(status).phrase
    body = {
        "error": {"details": {"http": f"{status} {phrase}", "msg": error.message}},
        "status": "error",
        "trace_id": new_uuid(),
    }
    return JSONResponse(body, status_code=status)


def errors(*answers: int | ClicktrailError) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the errors an operation answers, as ``render_error`` shapes them."""
    models = {status: SurveysRefusal if status == 422 else SurveysError for status in (400, 401, 404, 422)}
    return error_responses(render_error, models, *answers)
