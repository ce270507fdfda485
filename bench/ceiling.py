"""The same-work ceiling: the real clicktrail app, whose writer never reaches the database.

``python -m bench.ceiling --port P`` serves ``clicktrail.app.create_app`` under the uvicorn settings of
``clicktrail serve`` (its HTTP protocol, proxy headers, no uvicorn access log, its logging and keep-alive),
with the settings, database and config of ``CLICKTRAIL_DATABASE_URL``: auth, body validation, the link and
banner lookup, geo and user-agent enrichment, the verdicts' in-memory index of visitors and the JSON answer
are the product's own. Only the writer changes, after the app's lifespan has started: see
:class:`CeilingWriter`. A route's req/s here is what it could reach if its write cost nothing, which is
what ``python -m bench`` sets its ingest against.

The product has no such mode, and must not gain one: this lives in bench/ only."""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

from fastapi import FastAPI
from sqlalchemy import Connection, Dialect, Executable
from sqlalchemy.engine import CursorResult
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData

from clicktrail.app import create_app as create_clicktrail_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.storage.writer import Tx, Writer, _Pending


class EmptyTx(Tx):
    """A transaction stand-in with no connection: jobs buffer rows, gather batch writes, note and ask
    for after-commit work as on a real one (their own Python work), every statement they run answers
    no rows (a visitor never seen, no webhook subscriptions), and at the batch's end what they buffered
    and gathered is dropped instead of written."""

    def __init__(self, dialect: Dialect):
        super().__init__(cast(Connection, None))
        self._dialect = dialect

    @property
    def dialect(self) -> Dialect:
        return self._dialect  # the statements jobs pick depend on it (the visitors' lookup)

    @property
    def connection(self) -> Connection:
        raise RuntimeError("the ceiling's writer has no connection")

    def execute(
        self, statement: Executable, params: Any = None, *, sees_buffered: bool = True
    ) -> CursorResult[Any]:
        return cast(CursorResult[Any], IteratorResult(SimpleResultMetaData(["value"]), iter(())))

    def _finish(self) -> list[Callable[[], None]]:
        return self._batch.after_commit


class CeilingWriter(Writer):
    """The real writer (its thread, its batches of up to ``max_batch`` pending jobs, its refusal and
    after-commit handling, its one ``call_soon_threadsafe`` per event loop per batch to answer the
    waiters) with each batch's transaction replaced by an :class:`EmptyTx`: no connection, no BEGIN,
    no round trip, no INSERT, no COMMIT.

    The jobs still go through the writer's thread rather than being run on the event loop: the hand-off
    (enqueue under a lock, wake the thread, the GIL changing hands, the loop woken to resolve the
    futures) is part of what the product pays per request whatever its database, so the ceiling keeps
    it and the ratio measures what the database work costs, not the threading."""

    def _transaction(self, batch: list[_Pending]) -> tuple[list[Any], list[Callable[[], None]]]:
        tx = EmptyTx(self.engine.dialect)
        results = [self._run_job(tx, index, item) for index, item in enumerate(batch)]
        return results, tx._finish()


def create_app() -> FastAPI:
    """The app ``clicktrail serve`` runs, its writer swapped for a :class:`CeilingWriter` once its
    lifespan has built the runtime (same engine, batch size and between-batches upkeep)."""
    app = create_clicktrail_app(Settings())
    started = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: Any) -> AsyncIterator[Any]:
        async with started(app_) as state:
            runtime = app.state.runtime
            real = runtime.writer
            real.stop()  # never given a job: nothing is submitted before the lifespan yields
            runtime.writer = ceiling = CeilingWriter(
                real.engine, max_batch=real.max_batch, between_batches=real.between_batches
            )
            ceiling.start()
            try:
                yield state
            finally:
                ceiling.stop()

    app.router.lifespan_context = lifespan
    return app


def main() -> None:
    """As ``clicktrail serve`` runs uvicorn (see ``clicktrail.cli.serve``), with this module's app."""
    import logging.config

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    sys.modules.setdefault("watchfiles", None)  # type: ignore[arg-type]
    import uvicorn

    from clicktrail.core.web.logs import logging_config
    from clicktrail.serving import TimedHttpProtocol

    settings = Settings()
    log_config = logging_config(settings.log_format, settings.log_level)
    logging.config.dictConfig(log_config)
    uvicorn.run(
        "bench.ceiling:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        proxy_headers=True,
        access_log=False,
        log_config=log_config,
        http=TimedHttpProtocol,
        timeout_keep_alive=settings.keep_alive_seconds,
    )


if __name__ == "__main__":
    main()
