"""The HTTP side every family shares: runtime state, the session dependency, and the route class that
renders every error of a route in its family's envelope."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, FastAPI, HTTPException, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from ..config.cache import ConfigCache, Loader
from ..config.settings import Settings
from ..enrich.geo import GeoResolver
from ..family import Renderer
from ..storage.db import describe_db_error, log_failure
from ..storage.writer import Writer
from ..tenancy.apps import Authenticator, Principal
from . import strictjson
from .edge import Edge
from .errors import (
    ClicktrailError,
    Internal,
    InvalidInput,
    MethodNotAllowed,
    NotFound,
    Unauthorized,
    printable,
    status_of,
)
from .front import one_pass
from .idempotency import Idempotency
from .limits import Guard
from .observability import Observer

log = logging.getLogger("clicktrail")
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass
class Runtime:
    """Everything a request may need, built once in the lifespan."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    auth: Authenticator
    geo: GeoResolver
    writer: Writer
    config: ConfigCache

    async def principal(self, presented: str | None, scope: str) -> Principal:
        """Authenticate from memory when the credential is cached, else off the event loop."""
        cached = self.auth.cached(presented, scope)
        if cached is not None:
            return cached
        return await run_in_threadpool(self.auth.authenticate, presented, scope)

    async def configured(self, app_id: str, loader: Loader[T]) -> T:
        """A value config defines, from memory when fresh, else (re)loaded off the event loop."""
        cached, refresh = self.config.peek(app_id, loader)
        if not refresh:
            return cached  # type: ignore[return-value]
        return await run_in_threadpool(self.config.get, app_id, loader)


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def public_url(request: Request, path: str) -> str:
    """An absolute link to ``path`` (from the root, "/…"). Its base is ``CLICKTRAIL_PUBLIC_URL``; unset,
    the request's own host only when the caller is on loopback (local use), else the bare path: the Host
    header is whatever the caller sent, and a link built on it would send users where the caller says."""
    base = runtime(request).settings.public_url
    if base:
        return base.rstrip("/") + path
    if request.client is not None and _is_loopback(request.client.host):
        return str(request.base_url).rstrip("/") + path
    return path


def path_prefix(request: Request) -> str:
    """The path a proxy mounts the server under ("/track", or ""): that of ``CLICKTRAIL_PUBLIC_URL``, else
    the ASGI ``root_path``. Links and cookies the browser follows start with it."""
    base = runtime(request).settings.public_url
    prefix = urlsplit(base).path if base else request.scope.get("root_path", "")
    return str(prefix).rstrip("/")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
            refused = (err.get("ctx") or {}).get("refused")
            key, message = "body", f"malformed JSON: {refused}" if refused else "malformed JSON"
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
        log.warning("database refused a request value: %s", describe_db_error(exc))
        return InvalidInput("the request holds a value that cannot be stored (e.g. a NUL character)")
    log_failure(log, "unhandled error", exc)
    return Internal("internal error")


def render(renderer: Renderer, request: Request, exc: Exception) -> Response:
    error = printable(as_clicktrail_error(exc))
    response = renderer(request, error, status_of(error))
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        response.headers.update(exc.headers)  # a 405's Allow, a 401's WWW-Authenticate: part of the answer
    return response


class JSON(Response):
    """A JSON answer rendered by orjson (several times faster than the standard library's encoder)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


# --- lean routes: the hot paths skip FastAPI's per-request machinery, not its OpenAPI description -------

BODY_MODELS: list[type[BaseModel]] = []  # request bodies of lean routes, added to /openapi.json's components


def lean(endpoint: Callable[[Request], Coroutine[Any, Any, Response]]) -> Any:
    """Mark an ``async def endpoint(request)`` to be called directly: no dependency solving, no thread
    pool, no response model. It parses its own input (``read_json``) and documents it (``json_body``)."""
    endpoint.__clicktrail_lean__ = True  # type: ignore[attr-defined]
    return endpoint


def json_body(model: type[BaseModel], *parameters: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for a lean route: its JSON request body and the parameters it reads itself."""
    BODY_MODELS.append(model)
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    extra: dict[str, Any] = {
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}
    }
    if parameters:
        extra["parameters"] = list(parameters)
    return extra


def header_parameter(name: str, description: str, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    }


def add_body_schemas(openapi: dict[str, Any]) -> dict[str, Any]:
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    for model in BODY_MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas.setdefault(model.__name__, schema)
    return openapi


async def read_json(request: Request, model: type[M]) -> M:
    """The body as ``model``, whatever the Content-Type says (clients send JSON labelled as form data or
    text); errors read as FastAPI's own validation errors would."""
    raw = await request.body()
    if not raw.strip():
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required"}])
    check_json(raw)
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise _body_error(exc, ()) from None


def validate_body(model: type[M], data: Any, *loc: str) -> M:
    """``data``, the part of a parsed JSON body found at ``loc``, as ``model``; errors read as FastAPI's
    own validation errors would, with their place in the body."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _body_error(exc, loc) from None


def _body_error(exc: ValidationError, loc: tuple[str, ...]) -> RequestValidationError:
    return RequestValidationError(
        [{**err, "loc": ("body", *loc, *err["loc"])} for err in exc.errors(include_url=False)]
    )


def check_json(raw: bytes) -> Any:
    """``raw`` parsed by our strict rules (``core.strictjson``), refused as FastAPI refuses malformed JSON."""
    try:
        return strictjson.loads(raw)
    except strictjson.NulRefused as exc:  # a field error, named as a field's own would be
        error = {"type": "value_error", "loc": ("body", *exc.path), "msg": strictjson.NUL_MESSAGE}
        raise RequestValidationError([error]) from None
    except strictjson.JsonRefused as exc:
        error = {"type": "json_invalid", "loc": ("body",), "msg": "JSON decode error"}
        raise RequestValidationError([{**error, "ctx": {"refused": exc.reason}}]) from None


async def parse_json_body(request: Request) -> None:
    """Parse the body for FastAPI, strictly: it then takes the value from the request's cache instead of
    reading it with the standard library (which accepts NaN, lone surrogates and repeated keys, and
    recurses without bound)."""
    raw = await request.body()
    if raw:
        request._json = check_json(raw)


def takes_json_body(route: APIRoute) -> bool:
    """Whether FastAPI parses this route's body as JSON (a body model or ``Body()``), not as a form."""
    return route.body_field is not None and not isinstance(route.body_field.field_info, params.Form)


def read_body_as_json(request: Request) -> None:
    """Label the body JSON whatever the client said: iOS sends JSON as form-urlencoded (no Content-Type of
    its own), Flutter as text/plain, curl ``--data-raw`` as form-urlencoded. A body that is not JSON then
    fails as malformed JSON, which is what it is for a JSON route."""
    declared = request.headers.get("content-type", "").lower()
    if "json" in declared:
        return
    request.scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k != b"content-type"] + [
        (b"content-type", b"application/json")
    ]
    request._headers = Headers(scope=request.scope)  # the cached view would still say the old type


def envelope_route_class(renderer: Renderer) -> type[APIRoute]:
    """A route class whose every error, validation included, leaves in the family's envelope, and whose
    JSON body is read as JSON whatever the Content-Type says (a lean route reads its own: ``read_json``)."""

    class EnvelopeRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            if getattr(self.endpoint, "__clicktrail_lean__", False):
                handler = self.endpoint
            else:
                handler = super().get_route_handler()
            json_route = takes_json_body(self)

            async def guarded(request: Request) -> Response:
                try:
                    if json_route:
                        read_body_as_json(request)
                        await parse_json_body(request)
                    return await handler(request)
                except Exception as exc:
                    return render(renderer, request, exc)

            return guarded

    return EnvelopeRoute


class HotPathApp(FastAPI):
    """FastAPI, with the lean routes answered before its middleware stack and router: on the hot paths
    that stack costs more than the work. Every other request, and a lean route's path with another
    method, goes through FastAPI as usual. The observer, the edge (security and CORS headers,
    ``OPTIONS``) and the guard sit in front of both, as one pass (``core.web.front``).

    A path with one trailing slash is served as the same path without it, on every route, lean or not
    (``POST /ib/v1/clicks/`` is ``POST /ib/v1/clicks``): no route ends with a slash, and a redirect
    (Starlette's 307) is lost on clients that do not follow one with their body."""

    hot_routes: tuple[tuple[APIRoute, Callable[[Request], Coroutine[Any, Any, Response]]], ...] = ()
    edge: Edge | None = None
    observer: Observer | None = None  # request ids, metrics and the access log, around everything
    guard: Guard | None = None  # size, time and rate limits, checked before any route
    idempotency: Idempotency | None = None  # a write with an Idempotency-Key runs once per key

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(redirect_slashes=False, **kwargs)

    def add_hot_routes(self, router: APIRouter) -> None:
        lean_routes = [
            route
            for route in router.routes
            if isinstance(route, APIRoute) and getattr(route.endpoint, "__clicktrail_lean__", False)
        ]
        self.hot_routes += tuple((route, route.get_route_handler()) for route in lean_routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        _strip_trailing_slash(scope)
        await one_pass(
            self._route, scope, receive, send, self.edge, self.guard, self.observer, self.idempotency
        )

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A lean route when one matches, else FastAPI."""
        for route, handler in self.hot_routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                scope["app"] = self
                scope["route"] = route  # as Starlette's router does: the template, for metrics
                scope.update(child)
                response = await handler(Request(scope, receive))
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def _strip_trailing_slash(scope: Scope) -> None:
    path = scope["path"]
    if len(path) > 1 and path.endswith("/"):
        scope["path"] = path[:-1]
        raw = scope.get("raw_path")
        if raw and raw.endswith(b"/"):
            scope["raw_path"] = raw[:-1]
