"""SmartRetail envelope: ``{"error_msg": "…"}``. Messages are the vendor's, spelling included."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from ..core.web.errors import ClicktrailError, Internal
from ..core.web.openapi import error_responses
from .schemas import ErrorOut

INVALID_API_KEY = "API-KEY is invalid"
INTERNAL = "Internal error occured, please check with our team"


def render_error(request: Request, error: ClicktrailError, status: int) -> JSONResponse:
    if status == 401:
        message = INVALID_API_KEY
    elif status >= 500:
        message = INTERNAL
    else:
        message = error.message
    return JSONResponse({"error_msg": message}, status_code=status)


def errors(*answers: int | ClicktrailError) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the errors an operation answers (and the vendor's documented 500), as
    ``render_error`` shapes them."""
    models = dict.fromkeys((400, 401, 404, 500), ErrorOut)
    return error_responses(render_error, models, *answers, Internal("internal error"))
