"""ES Loyalty envelope: ``{"statusCode", "errorMessage", "errorCode"}``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ..core.errors import ClicktrailError

ERROR_CODES = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    422: "INVALID_REQUEST",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def render_error(request: Request, error: ClicktrailError, status: int) -> JSONResponse:
    code = error.details.get("error_code") or ERROR_CODES.get(status, "INTERNAL_ERROR")
    return JSONResponse(
        {"statusCode": status, "errorMessage": error.message, "errorCode": code}, status_code=status
    )
