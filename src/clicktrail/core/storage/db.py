"""Engines, sessions and the declarative base, for SQLite (embedded default) and PostgreSQL.

One transaction idiom everywhere: a service opens ``with session.begin():`` and owns it."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import traceback
from datetime import UTC, datetime
from typing import Any, ClassVar, cast

import orjson
from sqlalchemy import JSON, DateTime, Engine, MetaData, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

log = logging.getLogger("clicktrail.db")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both engines (SQLite keeps no zone, so it is stored naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def bind_processor(self, dialect: Any) -> Any:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        return sqlite_utc_text  # both steps in one: a click binds several of these per row


def sqlite_utc_text(value: datetime | None) -> str | None:
    """``process_bind_param`` and SQLite's DATETIME storage format (``2026-01-02 03:04:05.000006``) in one
    step."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def conflict_insert(dialect_name: str, table: Table) -> Any:
    """The dialect's own INSERT of ``table``: the one with ``on_conflict_do_nothing`` and
    ``on_conflict_do_update`` (PostgreSQL's, or SQLite's)."""
    return (postgresql.insert if dialect_name == "postgresql" else sqlite.insert)(table)


def table_of(model: type[Base]) -> Table:
    """A mapped class's table, typed as one (``__table__`` is typed as any FROM clause)."""
    return cast(Table, model.__table__)


def normalize_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here; everything else passes through."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


# A SQLite connection reads the planner's statistics once, when it opens: pooled ones are replaced after
# this long, so the statistics ``retention.refresh_sqlite_statistics`` gathers reach every process.
SQLITE_CONNECTION_SECONDS = 3600


def create_db_engine(
    url: str, *, pool_size: int = 10, sqlite_synchronous: str = "FULL", background_checkpoints: bool = False
) -> Engine:
    """``background_checkpoints``: SQLite leaves its log to a :class:`WalCheckpointer` the caller runs."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        # A pool as large as PostgreSQL's: overflow connections are closed on return, and reopening one
        # (with its PRAGMAs) on every busy request costs more than the request itself. ``factory``: the
        # connections end their transactions through the engine's writer gate (see _GatedConnection).
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30, "factory": gated_connection_class(30)},
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=SQLITE_CONNECTION_SECONDS,
            hide_parameters=True,
            json_serializer=json_text,
        )
        _tune_sqlite(engine, sqlite_synchronous, background_checkpoints)
        return engine
    parsed, connect_args = _psycopg_options(make_url(url))
    return create_engine(
        parsed,
        connect_args=connect_args,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        hide_parameters=True,
        json_serializer=json_text,
    )


def json_text(value: Any) -> str:
    """JSON columns' text, by orjson (the standard library's encoder cost more per event than the rest of
    its row); keys that are not strings become strings, as the standard library makes them."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _psycopg_options(url: URL) -> tuple[URL, dict[str, Any]]:
    """``?prepare_threshold=none`` (or a number) in a PostgreSQL URL, for psycopg itself: behind PgBouncer
    in transaction mode without ``max_prepared_statements``, server-side prepared statements must be off.
    Left in the URL, psycopg would get the text "none" and fail."""
    threshold = url.query.get("prepare_threshold")
    if threshold is None:
        return url, {}
    value = threshold[-1] if isinstance(threshold, tuple) else threshold
    prepare = None if value.strip().lower() in ("", "none") else int(value)
    return url.difference_update_query(["prepare_threshold"]), {"prepare_threshold": prepare}


def create_read_engine(engine: Engine) -> Engine:
    """An engine for reads that must not queue behind writers: on SQLite a second pool without the
    writer gate or ``BEGIN IMMEDIATE`` (WAL readers never wait for the writer); on PostgreSQL the same one."""
    if engine.dialect.name != "sqlite":
        return engine
    reader = create_engine(
        engine.url,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=4,
        max_overflow=4,
        pool_recycle=SQLITE_CONNECTION_SECONDS,
        hide_parameters=True,
        json_serializer=json_text,
    )

    @event.listens_for(reader, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA query_only=ON")
        dbapi_conn.execute("PRAGMA busy_timeout=30000")

    return reader


def _tune_sqlite(engine: Engine, synchronous: str, background_checkpoints: bool) -> None:
    if synchronous not in ("FULL", "NORMAL"):
        raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _on_begin).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA busy_timeout=30000")
        if background_checkpoints:
            cur.execute("PRAGMA wal_autocheckpoint=0")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes can
        # fail with SQLITE_BUSY without waiting, which would break our conditional-UPDATE guards. The
        # connection's gate is entered first; its commit, rollback or close hands it on.
        raw = conn.connection.dbapi_connection
        raw.gate.enter(raw)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            raw.gate.leave(raw)
            raise


class _WriterGate:
    """One SQLite transaction per process at a time, handed over the moment the previous one ends.

    SQLite has one writer; a connection that finds the lock taken waits in SQLite's busy handler, which
    sleeps with backoff (up to 100 ms a turn) even after the lock is free again. Under concurrent requests
    that sleeping cost most of the throughput and all of the tail latency, so the threads of one process
    queue here instead; other processes still meet SQLite's busy timeout."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._lock = threading.Lock()
        self._holder: sqlite3.Connection | None = None

    def enter(self, conn: sqlite3.Connection) -> None:
        if not self._lock.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError(
                f"database is locked (no transaction ended in {self.timeout:.0f} s)"
            )
        self._holder = conn

    def leave(self, conn: sqlite3.Connection) -> None:
        """Hand the gate on if ``conn`` holds it: a connection that never began (the pool's rollback of
        a connection given back) must not free another's transaction."""
        if self._holder is conn:
            self._holder = None
            self._lock.release()

    @property
    def holder(self) -> sqlite3.Connection | None:
        return self._holder


class _GatedConnection(sqlite3.Connection):
    """A SQLite connection whose transaction, once begun, holds its engine's :class:`_WriterGate` until
    the connection itself ends it: :meth:`commit`, :meth:`rollback` (after a failed statement, or the
    pool's reset of a connection given back) or :meth:`close` (the pool's recycling or invalidation).
    Savepoints are SQL (``SAVEPOINT``, ``ROLLBACK TO``, ``RELEASE``), so they keep it."""

    gate: ClassVar[_WriterGate]

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.gate.leave(self)

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.gate.leave(self)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.gate.leave(self)


def gated_connection_class(timeout: float) -> type[_GatedConnection]:
    """The ``factory`` for ``sqlite3.connect`` of one engine: its connections share one gate."""

    class GatedConnection(_GatedConnection):
        gate = _WriterGate(timeout)

    return GatedConnection


class WalCheckpointer:
    """Copies SQLite's write-ahead log back into the database file, on the writer's own thread.

    Left to itself, SQLite checkpoints inside the commit that takes the log past 1,000 pages, and that
    commit's whole group waits for the copy (a 100 ms stall and more). From a thread of its own, a
    checkpoint fares no better: each time it meets the writer, SQLite's busy handler sleeps one of them
    for up to ~100 ms (measured: p99 49 ms against 28 ms, and fewer clicks/s). So the writer calls
    :meth:`maybe_checkpoint` between batches: a PASSIVE checkpoint when its queue is empty and the log
    holds ``idle_bytes``, or regardless once the log passes ``max_bytes``."""

    def __init__(self, path: str, *, idle_bytes: int = 1 << 20, max_bytes: int = 64 << 20):
        self.path = path
        self.idle_bytes = idle_bytes
        self.max_bytes = max_bytes
        self._conn: sqlite3.Connection | None = None

    def maybe_checkpoint(self, idle: bool) -> None:
        try:
            size = os.path.getsize(self.path + "-wal")
        except OSError:
            return
        if size < (self.idle_bytes if idle else self.max_bytes):
            return
        if self._conn is None:
            self._conn = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
        try:
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.OperationalError as exc:  # another process's checkpoint is running: its turn
            log.warning("checkpoint skipped: %s", exc)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL; None for PostgreSQL and in-memory databases."""
    parsed = make_url(normalize_url(url))
    if not parsed.drivername.startswith("sqlite"):
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return database


def create_private_file(path: str | os.PathLike[str]) -> None:
    """Create ``path`` empty with mode 0600 (whatever the umask), unless it exists. SQLite creates its
    ``-wal`` and ``-shm`` files with the database's own mode, so a database created here stays the
    owner's alone, and so do its logs."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def sqlite_path(engine: Engine) -> str | None:
    return engine.url.database if engine.dialect.name == "sqlite" else None


def watcher_connection(engine: Engine) -> Any:
    """A raw autocommit DBAPI connection of its own, for a thread that watches the database: no read holds
    a snapshot (SQLite's log could not be checkpointed past it) and no pool slot is taken."""
    dialect = engine.dialect
    args, kwargs = dialect.create_connect_args(engine.url)
    if dialect.name == "postgresql":  # no server-side prepared statements: behind PgBouncer they would fail
        kwargs.update(autocommit=True, prepare_threshold=None)
    else:
        kwargs.update(isolation_level=None, timeout=5)
    return dialect.loaded_dbapi.connect(*args, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)


def ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def is_postgres(session_or_engine: Session | Engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine
    return bind.dialect.name == "postgresql"


# --- telling a database error without its values ------------------------------------------------------


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, (StatementError, sqlite3.Error)) or type(exc).__module__.startswith("psycopg")


def describe_db_error(exc: BaseException) -> str:
    """A database error's kind, statement and constraint, never its values: the parameters, and the
    driver's own text on PostgreSQL (``DETAIL: Key (secret_hash)=(…) already exists``), repeat them."""
    parts = [type(exc).__name__]
    for cause in _chain(exc):
        if isinstance(cause, StatementError) and cause.statement:
            parts.append(f"in {' '.join(cause.statement.split())[:300]!r}")
        elif isinstance(cause, sqlite3.Error):
            parts.append(f"sqlite: {cause}")  # SQLite names the constraint, never the value
        elif sqlstate := getattr(cause, "sqlstate", None):  # None: a connection that failed at once
            diag = getattr(cause, "diag", None)
            constraint = getattr(diag, "constraint_name", None)
            parts.append(f"SQLSTATE {sqlstate}" + (f" on {constraint}" if constraint else ""))
    return "; ".join(dict.fromkeys(parts))


def log_failure(logger: logging.Logger, message: str, exc: BaseException) -> None:
    """``logger.exception``, but an error from the database is logged as :func:`describe_db_error` tells
    it, with the traceback's frames and none of the exceptions' texts."""
    if not any(_is_database_error(e) for e in _chain(exc)):
        logger.error(message, exc_info=exc)
        return
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("%s: %s\nTraceback (values hidden):\n%s", message, describe_db_error(exc), frames)
