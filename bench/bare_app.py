"""The baseline: a bare Starlette app under the same uvicorn settings as ``clicktrail serve``, with the
routes the Lua scripts call. A POST parses the JSON body and answers 201; the scan answers a 302. No
database, auth or enrichment: what is left is the framework and server cost that clicktrail cannot avoid."""

from __future__ import annotations

try:
    from orjson import loads
except ImportError:  # orjson is optional
    from json import loads

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route


async def post(request: Request) -> Response:
    loads(await request.body())
    return Response(b'{"ok": true}', status_code=201, media_type="application/json")


async def scan(request: Request) -> Response:
    return RedirectResponse("https://brand.example/form?session_id=bare", status_code=302)


async def health(request: Request) -> Response:
    return Response(b'{"status": "ok"}', media_type="application/json")


app = Starlette(
    routes=[
        Route("/healthz", health),
        Route("/ib/v1/clicks", post, methods=["POST"]),
        Route("/smart-engage/scan/{app}/{campaign}", scan),
    ]
)
