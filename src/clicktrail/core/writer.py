"""Group commit: one writer per process owns the write path, and every hot request hands it its writes.

A request submits a *job*: a function of a :class:`Tx` that buffers rows and runs guarded statements. The
writer thread takes every job pending, runs them in one transaction, flushes buffered rows with one
``executemany`` per table, commits once, and only then answers each waiter, so a 2xx still means
"committed". A job that raises fails alone: the batch is rolled back and run again without it (a
*contained* job, whose writes sit in savepoints it rolls back itself, just fails: the batch goes on). A
failure that no job can be blamed for (a constraint met by the flushed rows) runs the batch again one job
per transaction, so the bad job fails with its own error and the others commit; so does a deadlock or
serialization failure between processes (a job alone is run again while it meets one).

Jobs run again after a rollback, so they must only write through ``tx`` (and keep in-memory effects for
``tx.after_commit``)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import operator
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from time import perf_counter
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Dialect, Engine, Executable, Table
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault
from sqlalchemy.sql.util import find_tables

from .db import log_failure
from .errors import ClicktrailError, status_of
from .histogram import SECONDS, SIZES, Histogram

log = logging.getLogger("clicktrail.writer")

T = TypeVar("T")
Job = Callable[["Tx"], Any]
MAX_BATCH = 256
MAX_CONFLICT_RETRIES = 10
TRANSIENT_SQLSTATES = ("40001", "40P01")  # serialization_failure, deadlock_detected


class Tx:
    """What a job sees: the batch's connection, buffered inserts, and batch-local scratch space."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.local: dict[str, Any] = {}  # shared by the jobs of one attempt, dropped with it
        self._rows: dict[Table, list[dict[str, Any]]] = {}
        self._after_commit: list[Callable[[], None]] = []
        self._before_commit: list[Callable[[], None]] = []

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        """Buffer one row; rows of one table are written together with ``executemany``."""
        self._rows.setdefault(table, []).append(row)

    def execute(self, statement: Executable, params: Any = None) -> CursorResult[Any]:
        """Run a statement now, after the buffered rows of the tables it reads or writes and of the tables
        linked to those by a foreign key (so it sees them, and they meet their keys in order); rows of
        other tables stay buffered, to go out with the batch's in one ``executemany``."""
        if self._rows:
            tables = _tables_of(statement)
            if not tables or not self._rows.keys().isdisjoint(tables):  # none found: a text statement
                self.flush()
        return self.conn.execute(statement, params)

    def execute_now(self, statement: Executable, params: Any = None) -> CursorResult[Any]:
        """Run a statement now, before the buffered rows: for one that cannot touch them (the caller
        knows no buffered row can match), so the batch's rows still go out in one executemany."""
        return self.conn.execute(statement, params)

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def before_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the batch's jobs have all run, before its rows are flushed and it commits
        (for writes that sum up the batch, such as rollups)."""
        self._before_commit.append(callback)

    @contextmanager
    def orm(self) -> Iterator[Session]:
        """An ORM session on the batch's connection, for services written with one: each of its
        ``session.begin()`` is a SAVEPOINT, so a job that raises leaves nothing behind (see
        ``Writer.submit(..., contained=True)``). Buffered rows are written first, so it sees them."""
        self.flush()
        session = Session(
            bind=self.conn, join_transaction_mode="create_savepoint", expire_on_commit=False, autoflush=False
        )
        try:
            yield session
        finally:
            session.close()

    def flush(self) -> None:
        while self._rows:
            table, rows = next(iter(self._rows.items()))
            del self._rows[table]
            by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:
                by_columns.setdefault(tuple(row), []).append(row)
            for columns, same in by_columns.items():
                statement = _bulk_insert(self.conn.dialect, table, columns)
                self.conn.exec_driver_sql(statement.sql, [statement.params(row) for row in same])


@lru_cache(maxsize=256)
def _tables_of(statement: Executable) -> frozenset[Table]:
    """Every table a statement names (joins, subqueries and the target of an UPDATE or INSERT included),
    with the tables their foreign keys point to and the tables whose foreign keys point to them."""
    found = find_tables(statement, include_aliases=True, include_joins=True, include_crud=True)  # type: ignore[arg-type]
    named = {table for table in found if isinstance(table, Table)}
    parents = {key.column.table for table in named for key in table.foreign_keys}
    every = {table for named_table in named for table in named_table.metadata.tables.values()}
    children = {table for table in every if any(key.column.table in named for key in table.foreign_keys)}
    return frozenset(named | parents | children)


class _BulkInsert:
    """One table's INSERT compiled once per dialect and set of columns, with the columns' own bind
    processors (and Python-side defaults for columns a row leaves out): the rows of a batch skip
    SQLAlchemy's per-execution compile and parameter machinery. A click sends about eight rows through
    :meth:`params` (its own, its event's, its rollup counts'), so a column costs one item lookup in C
    and, when it has one, its processor's call."""

    def __init__(
        self,
        sql: str,
        keys: tuple[str, ...],
        processors: tuple[Callable[[Any], Any] | None, ...],
        defaults: tuple[Callable[[], Any] | None, ...],  # for the keys a row does not carry
        positional: bool,
    ):
        self.sql, self.keys, self.positional = sql, keys, positional
        getter = operator.itemgetter(*keys)
        self._values: Callable[[dict[str, Any]], tuple[Any, ...]] = (
            getter if len(keys) > 1 else lambda row: (getter(row),)
        )
        self._processed = tuple((i, p) for i, p in enumerate(processors) if p is not None)
        self._filled = tuple((k, d) for k, d in zip(keys, defaults, strict=True) if d is not None)

    def params(self, row: dict[str, Any]) -> Any:
        if self._filled:
            row = {**row, **{key: default() for key, default in self._filled}}
        values: Any = self._values(row)
        if self._processed:
            values = list(values)
            for index, process in self._processed:
                values[index] = process(values[index])
        return tuple(values) if self.positional else dict(zip(self.keys, values, strict=True))


@lru_cache(maxsize=256)
def _bulk_insert(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> _BulkInsert:
    return bulk_statement(dialect, table, table.insert(), keys)


@lru_cache(maxsize=64)
def bulk_statement(dialect: Dialect, table: Table, statement: Any, keys: tuple[str, ...]) -> _BulkInsert:
    """An INSERT of ``table`` (an upsert too) compiled once for ``keys``, to run many rows through
    ``exec_driver_sql`` as the buffered inserts are."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys), for_executemany=True)
    order = tuple(compiled.positiontup or ()) if dialect.positional else tuple(compiled.binds)
    defaults = tuple(None if key in keys else _python_default(table, key) for key in order)
    processors = tuple(table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order)
    return _BulkInsert(compiled.string, order, processors, defaults, dialect.positional)


def _python_default(table: Table, key: str) -> Callable[[], Any]:
    default = table.c[key].default
    if isinstance(default, ScalarElementColumnDefault):
        value = default.arg
        return lambda: value
    if isinstance(default, CallableColumnDefault):
        make = default.arg
        return lambda: make(cast(Any, None))  # SQLAlchemy wraps a no-argument default to take a context
    raise ValueError(f"{table.name}.{key} has no value and no Python-side default")


@dataclass(eq=False)
class _Pending:
    job: Job
    # An event loop's future (``submit``) or a thread's (``run``): the job's outcome goes there.
    future: asyncio.Future[Any] | concurrent.futures.Future[Any]
    contained: bool = False  # the job's writes are undone by the job itself when it raises
    lock: str | None = None  # the row it locks first, if any (see Writer.submit)
    outcome: tuple[Any, BaseException | None] | None = None

    def settle(self, result: Any, error: BaseException | None) -> None:
        self.outcome = (result, error)


@dataclass(frozen=True)
class _Refused:
    error: BaseException


@dataclass
class WriterStats:
    batches: int = 0
    jobs: int = 0
    failed_jobs: int = 0
    retried_batches: int = 0
    largest_batch: int = 0
    # Recorded by the writer thread alone (no lock): for /metrics.
    batch_sizes: Histogram = field(default_factory=lambda: Histogram(SIZES))
    batch_seconds: Histogram = field(default_factory=lambda: Histogram(SECONDS))


class _JobFailed(Exception):
    def __init__(self, index: int, error: BaseException):
        super().__init__(str(error))
        self.index, self.error = index, error


class Writer:
    """One thread, one transaction per batch of pending jobs."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_batch: int = MAX_BATCH,
        between_batches: Callable[[bool], None] | None = None,
    ):
        self.engine = engine
        self.max_batch = max_batch
        # Upkeep that must not overlap a batch (SQLite checkpoints); told whether the queue is empty.
        self.between_batches = between_batches
        self.stats = WriterStats()
        # Per-process state of the families' jobs (they all run on the writer thread, so it needs no lock).
        self.state: dict[str, Any] = {}
        self._pending: list[_Pending] = []
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._conn: Connection | None = None

    # --- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> None:
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name="clicktrail-writer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Finish what is pending, then stop."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # --- submitting ----------------------------------------------------------------------------------

    async def submit(self, job: Callable[[Tx], T], *, contained: bool = False, lock: str | None = None) -> T:
        """Run ``job`` in the next batch; returns its result once the batch has committed.

        ``contained``: the job writes only inside savepoints it rolls back when it raises (``tx.orm()``),
        so its error is its answer and the rest of the batch goes on without being run again.

        ``lock``: names the row the job locks (``"table:key"``), for a guarded step. A batch runs such jobs
        in the order of their names, after the others: batches of different processes then lock shared
        rows in one order, where in arrival order two of them could deadlock."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._enqueue(_Pending(job, future, contained, lock))
        return await future

    def run(self, job: Callable[[Tx], T], *, contained: bool = False) -> T:
        """The same from a plain thread (CLI, tests): blocks until the batch has committed."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._enqueue(_Pending(job, future, contained))
        return future.result()

    def _enqueue(self, pending: _Pending) -> None:
        with self._cond:
            if self._stopping or self._thread is None:
                raise RuntimeError("the writer is not running")
            self._pending.append(pending)
            if len(self._pending) == 1:
                self._cond.notify()

    # --- the writer thread ---------------------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopping:
                    self._cond.wait()
                if not self._pending:
                    return
                batch = self._pending[: self.max_batch]
                del self._pending[: self.max_batch]
            batch.sort(key=_lock_order)
            started = perf_counter()
            try:
                self._commit_group(batch)
            except BaseException as exc:  # never leave a waiter hanging
                log_failure(log, "writer batch failed", exc)
                for item in batch:
                    if item.outcome is None:
                        item.settle(None, exc)
            _answer(batch)
            self.stats.batch_seconds.observe(perf_counter() - started)
            if self.between_batches is not None:
                try:
                    self.between_batches(not self._pending)
                except Exception as exc:
                    log_failure(log, "writer upkeep failed", exc)

    def _commit_group(self, batch: list[_Pending]) -> None:
        self._count(batch)
        remaining = list(batch)
        while remaining:
            try:
                results, callbacks = self._transaction(remaining)
            except _JobFailed as failed:
                if _transient(failed.error):
                    self.stats.retried_batches += 1
                    self._one_by_one(remaining)
                    return
                if not _refusal(failed.error):
                    self.stats.retried_batches += 1
                    self.stats.failed_jobs += 1
                remaining.pop(failed.index).settle(None, failed.error)
                continue
            except Exception as exc:
                if len(remaining) == 1 and not _transient(exc):
                    self.stats.failed_jobs += 1
                    remaining[0].settle(None, exc)
                    return
                self.stats.retried_batches += 1
                self._one_by_one(remaining)
                return
            for callback in callbacks:
                callback()
            for item, result in zip(remaining, results, strict=True):
                _settle(item, result)
            return

    def _one_by_one(self, items: list[_Pending]) -> None:
        """Run each job in a transaction of its own: so a failure nobody could be blamed for meets its
        job alone, and so a batch that deadlocked cannot deadlock again. Batches lock the rows their jobs
        name in one order, but not the rows they do not name (a unique key two inserts meet); run again
        as they were, two batches could meet the same cycle each time, while a transaction of one job
        holds at most the rows of one request."""
        for item in items:
            self._commit_alone(item)

    def _commit_alone(self, item: _Pending) -> None:
        for attempt in range(MAX_CONFLICT_RETRIES + 1):
            try:
                (result,), callbacks = self._transaction([item])
            except _JobFailed as failed:
                error = failed.error
            except Exception as exc:
                error = exc
            else:
                for callback in callbacks:
                    callback()
                _settle(item, result)
                return
            if not _transient(error) or attempt == MAX_CONFLICT_RETRIES:
                break
            self.stats.retried_batches += 1
        if not _refusal(error):
            self.stats.failed_jobs += 1
        item.settle(None, error)

    def _connection(self) -> Connection:
        """The writer's own connection, kept between batches: checking one out of the pool per batch
        costs a ping (a round trip on PostgreSQL). A broken one is replaced at the next batch."""
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            if self._conn is not None:
                self._conn.close()
            self._conn = self.engine.connect()
        return self._conn

    def _transaction(self, batch: list[_Pending]) -> tuple[list[Any], list[Callable[[], None]]]:
        conn = self._connection()
        with conn.begin():
            tx = Tx(conn)
            results = []
            for index, item in enumerate(batch):
                try:
                    results.append(item.job(tx))
                except Exception as exc:
                    if not item.contained or _transient(exc):
                        raise _JobFailed(index, exc) from exc
                    results.append(_Refused(exc))
            with _pipelined(conn):
                for callback in tx._before_commit:
                    callback()
                tx.flush()
        return results, tx._after_commit

    def _count(self, batch: list[_Pending]) -> None:
        stats = self.stats
        stats.batches += 1
        stats.jobs += len(batch)
        stats.largest_batch = max(stats.largest_batch, len(batch))
        stats.batch_sizes.observe(len(batch))


@contextmanager
def _pipelined(conn: Connection) -> Iterator[None]:
    """On PostgreSQL, psycopg's pipeline mode: statements whose results nobody reads (the buffered inserts,
    the rollup upsert) go out together and are answered in one round trip, not one each. ``COMMIT`` stays
    outside: an error met in the pipeline then leaves an open transaction that rolls back as usual."""
    driver = conn.connection.driver_connection
    if conn.dialect.name != "postgresql" or driver is None:
        yield
        return
    dbapi_error = conn.dialect.loaded_dbapi.Error
    try:
        with driver.pipeline():
            yield
    except dbapi_error as exc:  # met when the pipeline syncs, outside SQLAlchemy: wrapped as it would be
        raise DBAPIError.instance(None, None, exc, dbapi_error, dialect=conn.dialect) from exc


def _lock_order(item: _Pending) -> tuple[bool, str]:
    return (item.lock is not None, item.lock or "")


def _settle(item: _Pending, result: Any) -> None:
    if isinstance(result, _Refused):
        item.settle(None, result.error)
    else:
        item.settle(result, None)


def _refusal(exc: BaseException) -> bool:
    """A client's request refused by a rule (a typed 4xx error): the job's answer, not a failure of the
    writer, so the writer's failure and retry counts leave it out (the batch still runs again without
    it: the job may have written before it refused)."""
    return isinstance(exc, ClicktrailError) and status_of(exc) < 500


def _transient(exc: BaseException) -> bool:
    """A deadlock or serialization failure: the database rolled the transaction back, and running it
    again can succeed."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in TRANSIENT_SQLSTATES


def _answer(batch: list[_Pending]) -> None:
    """Hand each job's outcome to its waiter: one wake-up per event loop for the whole batch (waking a
    loop is a system call, and the loop's thread takes the GIL back each time)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Pending]] = {}
    for item in batch:
        if isinstance(item.future, asyncio.Future):
            by_loop.setdefault(item.future.get_loop(), []).append(item)
        else:
            _resolve(item)
    for loop, items in by_loop.items():
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
            loop.call_soon_threadsafe(_resolve_all, items)


def _resolve_all(items: list[_Pending]) -> None:
    for item in items:
        _resolve(item)


def _resolve(item: _Pending) -> None:
    future = item.future
    if future.cancelled():
        return
    result, error = item.outcome or (None, RuntimeError("the writer finished a batch without this job"))
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)
