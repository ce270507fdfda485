"""The HTTP side every family shares: runtime state, the session dependency, and the route class that
renders every error of a route in its family's envelope."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy import Engine
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .errors import (
    ClicktrailError,
    Internal,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    Unauthorized,
    status_of,
)
from .family import Renderer
from .geo import GeoResolver
from .settings import Settings
from .tenancy import Authenticator

log = logging.getLogger("clicktrail")


@dataclass
class Runtime:
    """Everything a request may need, built once in the lifespan."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    auth: Authenticator
    geo: GeoResolver


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def db_session(request: Request) -> Iterator[Session]:
    with runtime(request).sessions() as session:
        yield session


def validation_details(exc: RequestValidationError) -> dict[str, list[str]]:
    """FastAPI's validation errors as {"field.path": [messages]} (the location kind dropped)."""
    fields: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        key = ".".join(loc) or "body"
        message = err.get("msg", "invalid")
        if err.get("type") == "json_invalid":
            key, message = "body", "malformed JSON"
        fields.setdefault(key, []).append(message.removeprefix("Value error, "))
    return fields


def as_clicktrail_error(exc: Exception) -> ClicktrailError:
    """Every failure a route can meet, as one of our typed errors."""
    if isinstance(exc, ClicktrailError):
        return exc
    if isinstance(exc, RequestValidationError):
        fields = validation_details(exc)
        first_key, first_msgs = next(iter(fields.items()))
        message = first_msgs[0] if first_key == "body" else f"{first_key}: {first_msgs[0]}"
        return InvalidInput(message, details={"fields": fields})
    if isinstance(exc, (HTTPException, StarletteHTTPException)):
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404:
            return NotFound(detail if detail != "Not Found" else "not found")
        if exc.status_code == 405:
            return MethodNotAllowed("method not allowed")
        if exc.status_code == 401:
            return Unauthorized(detail)
        return InvalidInput(detail) if 400 <= exc.status_code < 500 else Internal(detail)
    if isinstance(exc, DataError):
        # The database refused a value the client sent (PostgreSQL: a NUL character in text, a number out
        # of range); the transaction rolled back, so nothing was written: a client error, not ours.
        log.warning("database refused a request value: %s", exc.orig)
        return InvalidInput("the request holds a value that cannot be stored (e.g. a NUL character)")
    log.exception("unhandled error", exc_info=exc)
    return Internal("internal error")


def render(renderer: Renderer, request: Request, exc: Exception) -> Response:
    error = as_clicktrail_error(exc)
    return renderer(request, error, status_of(error))


def envelope_route_class(renderer: Renderer) -> type[APIRoute]:
    """A route class whose every error, validation included, leaves in the family's envelope."""

    class EnvelopeRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    return await handler(request)
                except Exception as exc:
                    return render(renderer, request, exc)

            return guarded

    return EnvelopeRoute
