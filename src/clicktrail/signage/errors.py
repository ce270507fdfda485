"""SmartRetail envelope: ``{"error_msg": "…"}``. Messages are the vendor's, spelling included."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ..core.errors import ClicktrailError

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
