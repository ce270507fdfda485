"""ES Loyalty envelope: ``{"statusCode", "errorMessage", "errorCode"}``; the token endpoint answers in
OAuth 2.0's own shape (RFC 6749 §5.2): ``{"error", "error_description"}``."""

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
OAUTH_ERRORS = {401: "invalid_client", 500: "server_error", 503: "temporarily_unavailable"}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def render_error(request: Request, error: ClicktrailError, status: int) -> JSONResponse:
    if request.url.path.startswith("/oauth/"):
        return _render_oauth(error, status)
    code = error.details.get("error_code") or ERROR_CODES.get(status, "INTERNAL_ERROR")
    return JSONResponse(
        {"statusCode": status, "errorMessage": error.message, "errorCode": code}, status_code=status
    )


def _render_oauth(error: ClicktrailError, status: int) -> JSONResponse:
    code = error.details.get("oauth_error") or OAUTH_ERRORS.get(status, "invalid_request")
    headers = dict(NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="clicktrail"'
    return JSONResponse(
        {"error": code, "error_description": error.message}, status_code=status, headers=headers
    )
