"""ES Loyalty envelope: ``{"statusCode", "errorMessage", "errorCode"}``; the token endpoint answers in
OAuth 2.0's own shape (RFC 6749 §5.2): ``{"error", "error_description"}``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..core.web.errors import ClicktrailError
from ..core.web.openapi import error_responses

ERROR_CODES = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    422: "INVALID_REQUEST",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
OAUTH_ERRORS = {401: "invalid_client", 500: "server_error", 503: "temporarily_unavailable"}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class LoyaltyError(BaseModel):
    statusCode: int
    errorMessage: str
    errorCode: str


class OAuthError(BaseModel):
    """RFC 6749 §5.2."""

    error: str
    error_description: str


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


def errors(*answers: int | ClicktrailError) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the errors an operation answers, as ``render_error`` shapes them."""
    return error_responses(render_error, dict.fromkeys(ERROR_CODES, LoyaltyError), *answers)


def oauth_errors(*answers: int | ClicktrailError) -> dict[int | str, dict[str, Any]]:
    """The same for the token endpoint, in OAuth 2.0's shape."""
    models = dict.fromkeys(ERROR_CODES, OAuthError)
    return error_responses(render_error, models, *answers, path="/oauth/token")
