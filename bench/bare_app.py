"""The baseline: the same framework and server with a route that parses the same JSON body and does one
bare INSERT of one row, with no auth, enrichment or event. Click ingest is measured against this."""

from __future__ import annotations

import os

from sqlalchemy import Column, Integer, MetaData, String, Table
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clicktrail.core.db import create_db_engine

engine = create_db_engine(os.environ["CLICKTRAIL_DATABASE_URL"])
metadata = MetaData()
rows = Table(
    "bench_bare_clicks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ip", String(45)),
    Column("uri", String(2048)),
    Column("user_agent", String(2048)),
)
metadata.create_all(engine)


async def insert(request: Request) -> JSONResponse:
    body = await request.json()
    from starlette.concurrency import run_in_threadpool

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(
                rows.insert().values(ip=body["ip"], uri=body["uri"], user_agent=body.get("userAgent"))
            )

    await run_in_threadpool(write)
    return JSONResponse({"ok": True}, status_code=201)


app = Starlette(routes=[Route("/clicks", insert, methods=["POST"])])
