"""What /openapi.json says beyond what FastAPI derives from the routes: the security schemes and which
operation needs which, each family's real error bodies, examples, and /docs served without a CDN.

Families declare (``security_scheme``, ``requires``, ``error_responses``, ``example``); ``complete`` writes
the declarations into the document once, when /openapi.json is first asked for."""

from __future__ import annotations

import copy
import secrets
from collections.abc import Mapping
from functools import lru_cache
from http import HTTPStatus
from importlib.resources import files
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import Scope

from ..family import Renderer
from ..scopes import credential_scopes, family_names, scope_names
from .errors import (
    ClicktrailError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthorized,
    Unprocessable,
    status_of,
)

REF = "#/components/schemas/{model}"
SCHEMES: dict[str, dict[str, Any]] = {}  # security schemes the families declared, by name
MODELS: dict[str, type[BaseModel]] = {}  # error envelopes, added to the components by name

# What an error of each status looks like when a family names only the status.
SAMPLES: dict[int, ClicktrailError] = {
    400: InvalidInput(
        "limit: Input should be less than or equal to 1000",
        details={"fields": {"limit": ["Input should be less than or equal to 1000"]}},
    ),
    401: Unauthorized("invalid credentials"),
    403: Forbidden("forbidden"),
    404: NotFound("not found"),
    409: Conflict("the request met a concurrent change; try again"),
    422: Unprocessable("the request cannot be carried out in the current state"),
}


# --- security -------------------------------------------------------------------------------------------


def header_scheme(name: str, header: str, description: str) -> str:
    """Declare a credential sent in a header of its own; returns the scheme's name for ``requires``."""
    SCHEMES[name] = {"type": "apiKey", "in": "header", "name": header, "description": description}
    return name


def http_scheme(name: str, scheme: str, description: str) -> str:
    """Declare an ``Authorization: <scheme>`` credential (``bearer``, ``basic``)."""
    SCHEMES[name] = {"type": "http", "scheme": scheme, "description": description}
    return name


def requires(*schemes: str, optional: bool = False) -> dict[str, Any]:
    """``openapi_extra`` for an operation that needs every one of ``schemes`` (``optional``: or none, when
    the credential may come another way, e.g. in the body)."""
    alternatives: list[dict[str, list[str]]] = [{scheme: [] for scheme in schemes}]
    return {"security": [*alternatives, {}] if optional else alternatives}


def covered_headers(requirements: list[dict[str, list[str]]]) -> set[str]:
    """The request headers (lower case) the operation's security schemes already describe."""
    headers = set()
    for requirement in requirements:
        for name in requirement:
            scheme = SCHEMES.get(name, {})
            if scheme.get("type") == "http":
                headers.add("authorization")
            elif scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                headers.add(scheme["name"].lower())
    return headers


# --- error bodies and examples --------------------------------------------------------------------------


def _sample_request(path: str) -> Request:
    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
    return Request({**scope, "scheme": "http", "server": ("localhost", 8000)})


def error_responses(
    renderer: Renderer,
    model_of: Mapping[int, type[BaseModel]],
    *errors: int | ClicktrailError,
    path: str = "/",
) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for the errors an operation can answer, in the family's envelope. Each is a
    status (a generic sample of it) or a typed error; the example is what ``renderer`` really sends."""
    documented: dict[int | str, dict[str, Any]] = {}
    for item in errors:
        error = SAMPLES[item] if isinstance(item, int) else item
        status = item if isinstance(item, int) else status_of(item)
        model = model_of[status]
        MODELS[model.__name__] = model
        answer = renderer(_sample_request(path), error, status)
        documented[status] = {
            "description": HTTPStatus(status).phrase,
            "content": {
                answer.media_type or "application/json": {
                    "schema": {"$ref": REF.format(model=model.__name__)},
                    "example": orjson.loads(answer.body),
                }
            },
        }
    return documented


def example(value: Any, media_type: str = "application/json") -> dict[str, Any]:
    """A response (or request body) entry holding one example of ``media_type``."""
    return {"content": {media_type: {"example": value}}}


def body_example(value: Any, media_type: str = "application/json") -> dict[str, Any]:
    """``openapi_extra`` giving the request body an example."""
    return {"requestBody": example(value, media_type)}


def redirect(description: str, location: str) -> dict[str, Any]:
    """A bodiless redirect response, its ``Location`` header the example."""
    header = {"description": "where to go", "schema": {"type": "string"}, "example": location}
    return {"description": description, "headers": {"Location": header}}


def merged(*extras: dict[str, Any]) -> dict[str, Any]:
    """Several ``openapi_extra`` dicts as one (nested dicts merged, lists joined)."""
    out: dict[str, Any] = {}
    for extra in extras:
        _merge(out, copy.deepcopy(extra))
    return out


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(into.get(key), dict) and isinstance(value, dict):
            _merge(into[key], value)
        elif isinstance(into.get(key), list) and isinstance(value, list):
            into[key] = into[key] + value
        else:
            into[key] = value


# --- completing the document ----------------------------------------------------------------------------

VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")

# Closed sets known only once the families are registered: a schema names one (``json_schema_extra=
# FAMILY``), ``complete`` writes its members as the schema's enum.
CLOSED_SETS = {"families": family_names, "scopes": scope_names, "credential_scopes": credential_scopes}
FAMILY: dict[str, Any] = {"x-closed-set": "families"}
SCOPE: dict[str, Any] = {"x-closed-set": "scopes"}


def _close_sets(node: Any) -> None:
    if isinstance(node, dict):
        name = node.pop("x-closed-set", None)
        if name is not None:
            node["enum"] = list(CLOSED_SETS[name]())
        for value in node.values():
            _close_sets(value)
    elif isinstance(node, list):
        for value in node:
            _close_sets(value)


def complete(openapi: dict[str, Any]) -> dict[str, Any]:
    """Write the declarations into FastAPI's document: schemes, error models; then drop what they make
    redundant (auth headers listed as parameters, FastAPI's default 422 that no route of ours answers)."""
    components = openapi.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name, model in MODELS.items():
        schema = model.model_json_schema(ref_template=REF)
        schemas.update(schema.pop("$defs", {}))
        schemas[name] = schema
    if SCHEMES:
        components["securitySchemes"] = dict(SCHEMES)
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            _drop_covered_headers(operation)
            _drop_default_validation_error(operation)
    _close_sets(openapi)
    if VALIDATION_SCHEMAS[0] not in orjson.dumps(openapi.get("paths", {})).decode():
        for name in VALIDATION_SCHEMAS:
            schemas.pop(name, None)
    return openapi


def _drop_covered_headers(operation: dict[str, Any]) -> None:
    covered = covered_headers(operation.get("security", []))
    parameters = [
        p
        for p in operation.get("parameters", [])
        if not (p.get("in") == "header" and p.get("name", "").lower() in covered)
    ]
    if parameters:
        operation["parameters"] = parameters
    else:
        operation.pop("parameters", None)


def _drop_default_validation_error(operation: dict[str, Any]) -> None:
    # Our routes answer validation errors in their family's envelope (400), never with this body.
    for status, response in list(operation.get("responses", {}).items()):
        if VALIDATION_SCHEMAS[0] in orjson.dumps(response).decode():
            del operation["responses"][status]


# --- /docs without a CDN --------------------------------------------------------------------------------

ASSETS = "/docs/assets"


class Assets(StaticFiles):
    """Static files whose 405 says which methods they do answer."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(status_code=405, headers={"Allow": "GET, HEAD"})
        return await super().get_response(path, scope)


def serve_docs(app: FastAPI) -> None:
    """Swagger UI at /docs and ReDoc at /redoc, their scripts and styles served from the installed
    ``fastapi-offline`` package (a browser without internet access still renders them)."""
    favicon = f"{ASSETS}/favicon.png"
    redoc_js = _redoc_script(favicon)

    @app.get(f"{ASSETS}/redoc.standalone.js", include_in_schema=False)
    def redoc_script() -> Response:
        return Response(redoc_js, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    app.mount(ASSETS, Assets(directory=str(files("fastapi_offline") / "static")), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _locked(
            get_swagger_ui_html(
                openapi_url=app.openapi_url or "/openapi.json",
                title=f"{app.title} - Swagger UI",
                oauth2_redirect_url="/docs/oauth2-redirect",
                swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS}/swagger-ui.css",
                swagger_favicon_url=favicon,
                swagger_ui_parameters={"validatorUrl": None},  # else the page sends the schema to swagger.io
            )
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return _locked(get_swagger_ui_oauth2_redirect_html())

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _locked(
            get_redoc_html(
                openapi_url=app.openapi_url or "/openapi.json",
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{ASSETS}/redoc.standalone.js",
                redoc_favicon_url=favicon,
                with_google_fonts=False,
            )
        )


REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


@lru_cache(maxsize=1)
def _redoc_script(logo: str) -> bytes:
    """ReDoc's bundle, its sidebar logo (hard-coded to Redocly's CDN) taken from here instead."""
    script = (files("fastapi_offline") / "static" / "redoc.standalone.js").read_bytes()
    return script.replace(REDOC_LOGO, logo.encode())


def _locked(page: HTMLResponse) -> HTMLResponse:
    """``page`` with a Content-Security-Policy that lets it load nothing but this server's own assets: its
    inline scripts carry a fresh nonce; styles may be inline (both UIs inject theirs at run time)."""
    nonce = secrets.token_urlsafe(16)
    html = bytes(page.body).decode().replace("<script", f'<script nonce="{nonce}"')
    policy = (
        f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    headers = {"Content-Security-Policy": policy, "Cache-Control": "no-store"}
    return HTMLResponse(html, status_code=page.status_code, headers=headers)
