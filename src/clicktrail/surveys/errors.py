"""BitLabs envelopes: 422 ``{"data": {"code", "reason"}}`` for refused actions, otherwise the general
``{"error": {"details": {"http", "msg"}}, "status": "error", "trace_id"}``."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import Request
from fastapi.responses import JSONResponse

from ..core.errors import ClicktrailError
from ..core.ids import new_uuid


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
