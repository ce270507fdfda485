"""create_app(settings): the one ASGI app. The lifespan builds the engine, sessions, authenticator and
geo resolver; nothing happens at import."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import __version__
from .admin.errors import render_error as render_admin_error
from .admin.routes import router as admin_router
from .core.config.cache import ConfigCache, ConfigWatcher, invalidate_all
from .core.config.settings import Settings
from .core.enrich.geo import GeoResolver, give_back_freed_heap
from .core.enrich.useragent import parse_user_agent
from .core.family import Family
from .core.journeys import outbound
from .core.journeys.livestream import EventBell
from .core.journeys.outbox import OutboxWorker
from .core.journeys.retention import RetentionWorker
from .core.storage.db import (
    WalCheckpointer,
    create_db_engine,
    create_read_engine,
    describe_db_error,
    make_sessionmaker,
    ping,
    sqlite_path,
)
from .core.storage.writer import Writer
from .core.tenancy.apps import Authenticator, CredentialCache
from .core.web.edge import Edge, OriginCache
from .core.web.errors import ClicktrailError
from .core.web.http import HotPathApp, Runtime, add_body_schemas, render
from .core.web.idempotency import Idempotency, document_idempotency
from .core.web.limits import Guard, document_limits
from .core.web.logs import quiet_http_client
from .core.web.observability import ClientAnonymizer, Observer, scrape
from .core.web.openapi import complete, example, serve_docs
from .dashboard import router as dashboard_router
from .families import FAMILIES


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    detail: str | None = None


class Readiness(BaseModel):
    status: Literal["ready", "unavailable"]
    detail: str | None = None


def _leaves(routes: Sequence[BaseRoute]) -> Iterator[BaseRoute]:
    """The routes themselves: FastAPI keeps a router included in another whole, and its routes (with the
    prefix, as the app serves them) are its effective route contexts (older versions copied them)."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is None:
            yield route
        else:
            yield from contexts()


def create_app(settings: Settings | None = None, families: Sequence[Family] = FAMILIES) -> FastAPI:
    settings = settings or Settings()
    quiet_http_client()
    edge = Edge(families)
    observer = Observer(families, access_log=settings.access_log)
    outbound.allow(settings.outbound_networks())  # what config may name; the worker gets its own copy
    app = HotPathApp(
        title="clicktrail",
        version=__version__,
        summary="Click-to-reward journeys: surveys, partners, loyalty and signage APIs on one engine.",
        lifespan=_lifespan(settings, families, edge, observer),
        docs_url=None,  # serve_docs: the same pages, their assets served locally instead of from a CDN
        redoc_url=None,
    )
    app.state.families = tuple(families)
    app.edge = edge
    app.observer = observer
    renderer_for = _error_renderer(families)
    _document(app, renderer_for)
    for fam in families:
        app.include_router(fam.router)
        app.add_hot_routes(fam.router)
    app.include_router(admin_router)
    app.include_router(dashboard_router)
    serve_docs(app)
    _add_health_routes(app)
    # FastAPI wraps included routers; OPTIONS needs the routes themselves (their paths and methods).
    own = [route for route in app.router.routes if isinstance(route, Route)]
    edge.routes = (*own, *(r for fam in families for r in fam.router.routes), *_leaves(admin_router.routes))
    app.guard = Guard(settings, renderer_for)
    app.idempotency = Idempotency(renderer_for, edge.routes)

    # Errors raised outside any route (no route matched, wrong method) still leave in the envelope of
    # the family whose paths they were aimed at.
    async def unmatched(request: Request, exc: Exception) -> Response:
        return render(renderer_for(request.url.path), request, exc)

    app.add_exception_handler(StarletteHTTPException, unmatched)
    app.add_exception_handler(RequestValidationError, unmatched)
    return app


ErrorRenderer = Callable[[str], Callable[..., Any]]


def _error_renderer(families: Sequence[Family]) -> ErrorRenderer:
    """Which envelope a path's errors leave in: its family's, else the admin API's."""

    def renderer_for(path: str) -> Callable[..., Any]:
        for fam in families:
            if fam.owns(path):
                return fam.render_error
        return render_admin_error

    return renderer_for


def _document(app: FastAPI, renderer_for: ErrorRenderer) -> None:
    """The OpenAPI document, completed (body schemas, examples, the limits each path answers with) once,
    on its first request."""
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = complete(add_body_schemas(default_openapi()))
            schema = document_limits(schema, renderer_for)
            app.openapi_schema = document_idempotency(schema, renderer_for)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _lifespan(
    settings: Settings, families: Sequence[Family], edge: Edge, observer: Observer
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = _Databases.open(settings)
        geo = _load_lookups(settings)
        auth = Authenticator(
            db.sessions, CredentialCache(settings.auth_cache_seconds), settings.token_ttl_seconds, db.readers
        )
        edge.origins = OriginCache(db.readers, families, settings.config_cache_seconds)
        app.guard.cache = auth.cache  # type: ignore[attr-defined]  # which credentials are proven
        app.idempotency.sessions = db.sessions  # type: ignore[attr-defined]  # where keys are claimed
        checkpoint = db.checkpointer.maybe_checkpoint if db.checkpointer else None
        writer = Writer(db.engine, between_batches=checkpoint)
        writer.start()
        app.state.runtime = Runtime(
            settings=settings,
            engine=db.engine,
            sessions=db.sessions,
            auth=auth,
            geo=geo,
            writer=writer,
            config=ConfigCache(db.readers, settings.config_cache_seconds),
        )
        observer.clients = ClientAnonymizer(db.readers, settings.config_cache_seconds)
        app.state.read_engine = db.read_engine  # /healthz: a SQLite write (a long apply) must not hold it up
        app.state.config_watcher = watcher = ConfigWatcher(db.engine, (invalidate_all, auth.cache.clear))
        watcher.start()
        app.state.event_bell = bell = EventBell(db.engine)  # wakes /events/stream readers: one per process
        _freeze_startup_heap()
        workers = _start_workers(settings, families, db.sessions)
        try:
            yield
        finally:
            for worker in workers:
                worker.stop()
            writer.stop()
            watcher.stop()
            bell.stop()
            db.close()

    return lifespan


@dataclass(frozen=True)
class _Databases:
    """The write engine (with its WAL checkpointer on SQLite) and the read engine, with their sessions."""

    engine: Engine
    checkpointer: WalCheckpointer | None
    sessions: sessionmaker[Session]
    read_engine: Engine
    readers: sessionmaker[Session]

    @classmethod
    def open(cls, settings: Settings) -> _Databases:
        engine = create_db_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            sqlite_synchronous=settings.sqlite_synchronous,
            background_checkpoints=True,
        )
        path = sqlite_path(engine)
        checkpointer = WalCheckpointer(path) if path else None
        sessions = make_sessionmaker(engine)
        read_engine = create_read_engine(engine)
        return cls(engine, checkpointer, sessions, read_engine, make_sessionmaker(read_engine))

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.close()
        self.read_engine.dispose()
        self.engine.dispose()


def _load_lookups(settings: Settings) -> GeoResolver:
    """The geo table and the user-agent parser's rule set, loaded now rather than on the first click."""
    geo = GeoResolver(settings.geoip_db)
    geo.load()
    parse_user_agent("Mozilla/5.0")
    return geo


def _freeze_startup_heap() -> None:
    """Everything loaded so far (geo table, parsers, routes) lives as long as the process: out of the
    collector's sight, a full collection no longer walks it (a 100 ms pause under load otherwise).
    Start-up's garbage goes first (frozen, it would stay for good), and the heap it held goes back."""
    gc.collect()
    gc.freeze()
    give_back_freed_heap()


def _start_workers(
    settings: Settings, families: Sequence[Family], sessions: sessionmaker[Session]
) -> list[RetentionWorker | OutboxWorker]:
    """The outbox and retention workers the settings ask for, started; in the order they stop."""
    workers: list[RetentionWorker | OutboxWorker] = []
    if settings.outbox_poll_seconds:
        workers.append(
            OutboxWorker(
                sessions,
                settings.outbox_poll_seconds,
                max_attempts=settings.outbox_max_attempts,
                allow=settings.outbound_networks(),
            )
        )
    if settings.retention_interval_seconds:
        workers.append(
            RetentionWorker(
                sessions, families, settings.retention_interval_seconds, settings.row_retention_days
            )
        )
    for worker in workers:
        worker.start()
    workers.reverse()  # retention stops first
    return workers


def _add_health_routes(app: FastAPI) -> None:
    @app.get(
        "/healthz",
        tags=["health"],
        summary="Check the server and its database",
        responses={
            200: {"model": Health, **example({"status": "ok"})},
            503: {
                "model": Health,
                "description": "The database does not answer",
                **example({"status": "unavailable", "detail": "database unreachable"}),
            },
        },
    )
    def healthz(request: Request) -> Response:
        try:
            ping(request.app.state.read_engine)
        except Exception:
            return JSONResponse({"status": "unavailable", "detail": "database unreachable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.get(
        "/readyz",
        tags=["health"],
        summary="Whether this process can serve: its database answers a query",
        responses={
            200: {"model": Readiness, **example({"status": "ready"})},
            503: {
                "model": Readiness,
                "description": "The database does not answer; the detail names the error's kind",
                **example({"status": "unavailable", "detail": "database unreachable: OperationalError"}),
            },
        },
    )
    def readyz(request: Request) -> Response:
        try:
            ping(request.app.state.runtime.engine)
        except Exception as exc:
            detail = f"database unreachable: {describe_db_error(exc)}"
            return JSONResponse({"status": "unavailable", "detail": detail}, status_code=503)
        return JSONResponse({"status": "ready"})

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        """Prometheus exposition; who may read it is CLICKTRAIL_METRICS."""
        try:
            return await scrape(request)
        except ClicktrailError as exc:
            return render(render_admin_error, request, exc)


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (``clicktrail serve --workers N`` starts one per process)."""
    return create_app(Settings())
