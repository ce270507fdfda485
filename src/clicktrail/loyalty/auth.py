"""OAuth 2.0 client credentials (RFC 6749 §4.4) at ``POST /oauth/token``, and the bearer dependency every
loyalty route uses: the issued token or the credential's own secret, with the ``loyalty`` scope."""

from __future__ import annotations

from typing import Any

from fastapi import Header, Request

from ..core.tenancy.apps import Authenticator, Principal, read_basic, read_bearer
from ..core.web.edge import note_app
from ..core.web.errors import InvalidInput, Unauthorized, clip
from ..core.web.http import runtime

SCOPE = "loyalty"


def principal(request: Request, authorization: str | None = Header(default=None)) -> Principal:
    """``Authorization: Bearer <token or secret>`` for the ``loyalty`` scope."""
    who = runtime(request).auth.authenticate(presented(authorization), SCOPE)
    note_app(request, who.app_id)
    return who


async def caller(request: Request) -> Principal:
    """The same for a lean route: from this process's cache when it knows the credential."""
    who = await runtime(request).principal(presented(request.headers.get("authorization")), SCOPE)
    note_app(request, who.app_id)
    return who


def presented(authorization: str | None) -> str:
    """The bearer: an issued token or the credential's own secret."""
    value = read_bearer(authorization)
    if value is None:
        raise Unauthorized("Missing or malformed Authorization header (expected Bearer)")
    return value


def _oauth(error: type[InvalidInput] | type[Unauthorized], code: str, message: str) -> Exception:
    return error(message, details={"oauth_error": code})


def issue_token(
    auth: Authenticator, *, authorization: str | None, form: dict[str, str], content_type: str
) -> dict[str, Any]:
    """Exchange client credentials (HTTP Basic, or ``client_id``/``client_secret`` in the form body)
    for a bearer token."""
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise _oauth(InvalidInput, "invalid_request", "the body must be application/x-www-form-urlencoded")
    grant_type = form.get("grant_type")
    if not grant_type:
        raise _oauth(InvalidInput, "invalid_request", "grant_type is required")
    if grant_type != "client_credentials":
        raise _oauth(
            InvalidInput, "unsupported_grant_type", f"grant_type {clip(grant_type)} is not supported"
        )
    basic = read_basic(authorization)
    in_body = form.get("client_id"), form.get("client_secret")
    if basic is not None and any(in_body):
        raise _oauth(InvalidInput, "invalid_request", "send client credentials in one place only")
    client_id, secret = basic if basic is not None else in_body
    if not client_id or not secret:
        raise _oauth(Unauthorized, "invalid_client", "client authentication failed")
    requested = form.get("scope")
    if requested is not None and SCOPE not in requested.split():
        raise _oauth(InvalidInput, "invalid_scope", f"this endpoint issues the '{SCOPE}' scope only")
    try:
        found = auth.authenticate_client(client_id, secret, SCOPE)
    except Unauthorized as exc:
        if "lacks" in exc.message:  # a good secret without the loyalty scope
            raise _oauth(
                InvalidInput, "invalid_scope", f"the client may not use the '{SCOPE}' scope"
            ) from exc
        raise _oauth(Unauthorized, "invalid_client", "client authentication failed") from exc
    token, expires_in = auth.issue_token(found, SCOPE)
    return {"access_token": token, "token_type": "Bearer", "expires_in": expires_in, "scope": SCOPE}
