"""Group commit: one writer per process owns the write path, and every hot request hands it its writes.

A request submits a *job*: a function of a :class:`Tx` that buffers rows, adds to what the batch writes
once (``gather``), notes what later jobs of the batch should see (``note``) and runs statements. The writer
thread takes every job pending, runs them in one transaction, writes the buffered rows in foreign-key
order with one ``executemany`` per table, commits once, answers each waiter, and only then runs the
after-commit work: a 2xx still means "committed", and a failing callback cannot change an answer.

The contract, kept by the writer and not by the jobs:

- What a job buffers, gathers, notes and asks to run after commit is its own until it returns: a job that
  refuses (returns a :class:`Refusal`, or raises a 4xx :class:`ClicktrailError`) or raises leaves none of
  it. The statements it ran that write sit behind a savepoint taken before its first such statement, and
  are rolled back with it.
- A refusal or an error never runs the batch again: the other jobs go on. Only an error the transaction
  cannot go on after (a failed statement before the job's savepoint, on PostgreSQL) runs the batch again
  without the job; a failure no job can be blamed for (a constraint met by the flushed rows), a deadlock
  or a serialization failure runs the batch one job per transaction.

- A job may declare the rows it reads and changes (``submit(job, reads=...)``): the batch reads and locks
  them all in one statement per kind of row and app before its first job, and writes their changes in
  one ``executemany``; such a job runs no statement of its own, so it costs no round trip.

Jobs may run again after a rollback, so they write only through ``tx`` and keep in-memory effects for
``tx.after_commit``."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import operator
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from time import perf_counter
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Dialect, Engine, Executable, MetaData, Table, Update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault
from sqlalchemy.sql.util import find_tables

from ..web.errors import ClicktrailError, status_of
from ..web.histogram import SECONDS, SIZES, Histogram
from .db import log_failure

log = logging.getLogger("clicktrail.writer")

T = TypeVar("T")
Job = Callable[["Tx"], Any]
BatchWrite = Callable[["Tx", list[Any]], None]
MAX_BATCH = 256
MAX_CONFLICT_RETRIES = 10
TRANSIENT_SQLSTATES = ("40001", "40P01")  # serialization_failure, deadlock_detected
SAVEPOINT = "clicktrail_job"


@dataclass(frozen=True)
class Refusal:
    """What a job returns to refuse its request: ``error`` is the waiter's answer, and nothing the job
    wrote stays."""

    error: ClicktrailError


@dataclass(frozen=True, eq=False)
class LockedRows:
    """A kind of row jobs declare they read and lock (:class:`Read`), so that a batch fetches all of them
    in one statement before its first job runs, instead of one round trip per job.

    ``select`` reads them: it binds ``app`` (one app's rows, through the tenancy predicate) and ``ids``
    (expanding), returns the key column first, orders by it and locks the rows (``FOR UPDATE``; on
    SQLite the batch's write lock covers them). A key of several columns (a tuple :attr:`Read.row_id`)
    is returned first column by column, in the tuple's order, and matched with ``tuple_(...).in_(ids)``.
    ``update`` writes a job's changes back: it binds ``app`` and ``row_id`` and takes the changed columns
    as parameters (it runs as one ``executemany``, so no expanding ``IN`` in it); a kind jobs only read has
    none, and names its ``table`` instead. The family builds
    them, so tenancy stays where every other query gets it. Rows whose key is a capability (a survey
    click's id) are read by key alone: their reads name no app, and neither statement binds ``app``."""

    select: Executable
    update: Update | None = None
    read_only: Table | None = None  # the table of a kind without ``update``

    @property
    def table(self) -> Table:
        return cast(Table, self.update.table if self.update is not None else self.read_only)


@dataclass(frozen=True)
class Read:
    """A row a job declares with :meth:`Writer.submit`: it reads it with :meth:`Tx.read` and changes it
    with :meth:`Tx.update`. Batches lock declared rows in the order of these names."""

    rows: LockedRows
    app_id: str | None  # None: the key alone finds the row (see LockedRows)
    row_id: str | int | tuple[str | int, ...]

    @property
    def lock(self) -> str:
        return f"{self.rows.table.name}:{self.app_id or ''}:{self.row_id}"


@dataclass
class _Changes:
    """What jobs buffered, gathered, noted, changed in their declared rows and asked to run after commit:
    the kept jobs' together, and the running job's apart until it returns."""

    rows: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)
    gathered: dict[BatchWrite, list[Any]] = field(default_factory=dict)
    notes: dict[Hashable, Any] = field(default_factory=dict)
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    updates: dict[Read, dict[str, Any]] = field(default_factory=dict)

    def absorb(self, job: _Changes) -> None:
        for table, rows in job.rows.items():
            self.rows.setdefault(table, []).extend(rows)
        for read, values in job.updates.items():
            self.updates.setdefault(read, {}).update(values)
        for write, items in job.gathered.items():
            self.gathered.setdefault(write, []).extend(items)
        self.notes.update(job.notes)
        self.after_commit.extend(job.after_commit)


class Tx:
    """What a job sees: the batch's transaction, through the writes and reads the contract allows."""

    def __init__(self, conn: Connection):
        self._conn = conn
        self._batch = _Changes()
        self._job = _Changes()
        self._memo: dict[Hashable, Any] = {}
        self._read: dict[Read, dict[str, Any] | None] = {}  # the batch's declared rows, as fetched
        self._savepoint = False  # the running job has one
        # Kept jobs' rows and changes written while the running job's savepoint was open: buffered again
        # if it rolls back.
        self._flushed_in_savepoint: list[tuple[Table, list[dict[str, Any]]]] = []
        self._updated_in_savepoint: list[tuple[Read, dict[str, Any]]] = []

    @property
    def dialect(self) -> Dialect:
        return self._conn.dialect

    @property
    def connection(self) -> Connection:
        """The raw connection, for core's batch writes (rollups, notifications); never a family's."""
        return self._conn

    # --- writes ------------------------------------------------------------------------------------------

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        """Buffer one row; rows of one table are written together with ``executemany``."""
        self._job.rows.setdefault(table, []).append(row)

    def gather(self, write: BatchWrite, item: Any) -> None:
        """Add ``item`` to what ``write(tx, items)`` writes once for the whole batch, before it commits
        (rollup counts, answers, notifications)."""
        self._job.gathered.setdefault(write, []).append(item)

    def gathered(self, write: BatchWrite) -> list[Any]:
        """What the kept jobs of the batch and this job gathered for ``write`` so far."""
        running = self._job.gathered.get(write, ()) if self._job is not self._batch else ()
        return [*self._batch.gathered.get(write, ()), *running]

    def note(self, key: Hashable, value: Any) -> None:
        """Note ``value`` for the later jobs of this batch (``noted``), once this job is kept."""
        self._job.notes[key] = value

    def noted(self, key: Hashable) -> Any:
        """What this job or a kept job of the batch noted under ``key``, or None."""
        if key in self._job.notes:
            return self._job.notes[key]
        return self._batch.notes.get(key)

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the batch has committed and its waiters are answered (errors logged)."""
        self._job.after_commit.append(callback)

    def write_many(self, table: Table, statement: Any, rows: list[dict[str, Any]]) -> None:
        """Run ``statement`` (an INSERT or upsert of ``table``) for every row, compiled once: for the
        batch writes of :meth:`gather`."""
        if rows:
            compiled = bulk_statement(self.dialect, table, statement, tuple(rows[0]))
            self._conn.exec_driver_sql(compiled.sql, [compiled.params(row) for row in rows])

    # --- statements --------------------------------------------------------------------------------------

    def execute(
        self, statement: Executable, params: Any = None, *, sees_buffered: bool = True
    ) -> CursorResult[Any]:
        """Run a statement now, after the buffered rows of the tables it reads or writes and of the tables
        linked to those by a foreign key (so it sees them, and they meet their keys in order); rows of
        other tables stay buffered, to go out with the batch's in one ``executemany``. A statement that
        writes runs behind the job's savepoint.

        ``sees_buffered=False``: for a statement the caller knows no buffered row can meet (a visitor's
        clicks the batch has already noted), so even the rows of its tables stay buffered."""
        if sees_buffered and self._touches_buffered(statement):
            self._write_buffered()
        if _writes(statement):
            self._open_savepoint()
        return self._conn.execute(statement, params)

    def read(self, declared: Read) -> dict[str, Any] | None:
        """The row ``declared`` names (declared with the job), as this job sees it: as fetched with the
        batch's other declared rows, with the changes the kept jobs and this one made; None if there is
        no such row of that app. Locked until the batch commits."""
        if declared not in self._read:
            raise KeyError(f"{declared.lock} was not declared with the job")
        row = self._read[declared]
        if row is None:
            return None
        return {**row, **self._batch.updates.get(declared, {}), **self._job.updates.get(declared, {})}

    def update(self, declared: Read, values: dict[str, Any]) -> None:
        """Change the row ``declared`` names: written with the batch (one ``executemany`` per kind of row
        and set of columns), and seen by :meth:`read` at once. The row is locked, so what the job read
        is what it changes: no guard in SQL needed."""
        if self._read.get(declared) is None or declared.rows.update is None:
            raise KeyError(f"{declared.lock} was not declared with the job, has no row, or is only read")
        self._job.updates.setdefault(declared, {}).update(values)

    def memo(self, key: Hashable, read: Callable[[], T]) -> T:
        """``read()`` once per batch: for reads of what no job writes (webhook subscriptions)."""
        if key not in self._memo:
            self._memo[key] = read()
        return cast(T, self._memo[key])

    def _touches_buffered(self, statement: Executable) -> bool:
        buffered = {*self._batch.rows, *self._job.rows, *(read.rows.table for read in self._batch.updates)}
        if not buffered:
            return False
        tables = _tables_of(statement)
        if not tables:  # a text statement: it may read anything
            return True
        return not buffered.isdisjoint(tables)

    def _write_buffered(self) -> None:
        """Write out every buffered row now: the kept jobs' rows and changes first, then, behind its
        savepoint, the running job's rows. (Its changes to its declared rows stay buffered: it sees them
        through :meth:`read`.)"""
        if self._batch.rows:
            rows, self._batch.rows = self._batch.rows, {}
            if self._savepoint:
                self._flushed_in_savepoint.extend(rows.items())
            _insert_all(self._conn, rows)
        if self._batch.updates:
            self._write_updates()
        if self._job is not self._batch and self._job.rows:
            self._open_savepoint()
            rows, self._job.rows = self._job.rows, {}
            _insert_all(self._conn, rows)

    def _write_updates(self) -> None:
        """The kept jobs' changes to their declared rows, written now and folded into the rows as read."""
        updates, self._batch.updates = self._batch.updates, {}
        _update_all(self._conn, updates)
        for declared, values in updates.items():
            cast(dict[str, Any], self._read[declared]).update(values)
            if self._savepoint:
                self._updated_in_savepoint.append((declared, values))

    def _fetch_declared(self, declared: list[Read]) -> None:
        """Every declared row of the batch: one statement per kind of row and app, in the order of
        their names (so batches of different processes lock shared rows in one order)."""
        groups: dict[tuple[LockedRows, str | None], list[Read]] = {}
        for read in sorted(set(declared), key=operator.attrgetter("lock")):
            groups.setdefault((read.rows, read.app_id), []).append(read)
        for (rows, app_id), reads in groups.items():
            params = _app({"ids": [r.row_id for r in reads]}, app_id)
            key = reads[0].row_id
            width = len(key) if isinstance(key, tuple) else 0  # a key of several columns: the first ones
            found = {
                (tuple(row[:width]) if width else row[0]): dict(row._mapping)
                for row in self._conn.execute(rows.select, params)
            }
            for read in reads:
                self._read[read] = found.get(read.row_id)

    # --- the writer's side ---------------------------------------------------------------------------------

    def _open_savepoint(self) -> None:
        if not self._savepoint and self._job is not self._batch:
            self._conn.exec_driver_sql(f"SAVEPOINT {SAVEPOINT}")
            self._savepoint = True

    def _begin_job(self) -> None:
        self._job = _Changes()
        self._savepoint = False
        self._flushed_in_savepoint = []
        self._updated_in_savepoint = []

    def _keep_job(self) -> None:
        self._batch.absorb(self._job)
        self._end_job()

    def _drop_job(self) -> None:
        """Undo the running job: its statements back to its savepoint, its changes forgotten."""
        if self._savepoint:
            self._conn.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
            for table, rows in self._flushed_in_savepoint:
                self._batch.rows.setdefault(table, []).extend(rows)
            for declared, values in self._updated_in_savepoint:
                self._batch.updates[declared] = {**values, **self._batch.updates.get(declared, {})}
        self._end_job()

    def _end_job(self) -> None:
        # The savepoint is left open: releasing it would cost a round trip, and COMMIT releases them all.
        self._job = self._batch
        self._savepoint = False
        self._flushed_in_savepoint = []
        self._updated_in_savepoint = []

    def _finish(self) -> list[Callable[[], None]]:
        """The batch's gathered writes, then its buffered rows; returns the after-commit callbacks."""
        for write, items in self._batch.gathered.items():
            write(self, items)
        _insert_all(self._conn, self._batch.rows)
        self._batch.rows = {}
        _update_all(self._conn, self._batch.updates)
        self._batch.updates = {}
        return self._batch.after_commit


def _insert_all(conn: Connection, rows: dict[Table, list[dict[str, Any]]]) -> None:
    """Write ``rows`` with one ``executemany`` per table and set of columns, parents before children."""
    for table in sorted(rows, key=_foreign_key_rank):
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows[table]:
            by_columns.setdefault(tuple(row), []).append(row)
        for columns, same in by_columns.items():
            statement = _bulk_insert(conn.dialect, table, columns)
            conn.exec_driver_sql(statement.sql, [statement.params(row) for row in same])


def _update_all(conn: Connection, updates: dict[Read, dict[str, Any]]) -> None:
    """Write jobs' changes to their declared rows: one ``executemany`` per kind of row and set of columns
    (a row changed by several jobs of the batch is written once, with their changes together)."""
    groups: dict[tuple[LockedRows, tuple[str, ...]], list[dict[str, Any]]] = {}
    for declared, values in updates.items():
        row = _app({**values, "row_id": declared.row_id}, declared.app_id)
        groups.setdefault((declared.rows, tuple(sorted(values))), []).append(row)
    for (rows, _columns), same in groups.items():
        conn.execute(cast(Update, rows.update), same)


def _app(params: dict[str, Any], app_id: str | None) -> dict[str, Any]:
    """``params`` with the declared rows' app bound, when their reads name one."""
    return params if app_id is None else {**params, "app": app_id}


def _foreign_key_rank(table: Table) -> int:
    return _ranks(table.metadata, len(table.metadata.tables)).get(table, 0)


@lru_cache(maxsize=8)
def _ranks(metadata: MetaData, _tables: int) -> dict[Table, int]:
    """Each table's place in the metadata's dependency order: a table comes after those its keys name."""
    return {table: rank for rank, table in enumerate(metadata.sorted_tables)}


def _writes(statement: Executable) -> bool:
    """Whether a statement may write: an INSERT, UPDATE or DELETE, or a text one (it cannot be read)."""
    return isinstance(statement, TextClause) or bool(getattr(statement, "is_dml", False))


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
    lock: str | None = None  # the row it locks first, if any (see Writer.submit)
    reads: tuple[Read, ...] = ()  # the rows it declared (see Writer.submit)
    outcome: tuple[Any, BaseException | None] | None = None

    def settle(self, result: Any, error: BaseException | None) -> None:
        self.outcome = (result, error)


@dataclass(frozen=True)
class _Failed:
    """A job's error, its answer: the job left nothing behind and the batch went on."""

    error: BaseException


@dataclass
class WriterStats:
    batches: int = 0
    jobs: int = 0
    failed_jobs: int = 0
    retried_batches: int = 0
    largest_batch: int = 0
    failed_callbacks: int = 0
    # Recorded by the writer thread alone (no lock): for /metrics.
    batch_sizes: Histogram = field(default_factory=lambda: Histogram(SIZES))
    batch_seconds: Histogram = field(default_factory=lambda: Histogram(SECONDS))


class _JobFailed(Exception):
    """A job's error after which the transaction cannot go on: the batch runs again without the job."""

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

    async def submit(
        self, job: Callable[[Tx], T], *, reads: tuple[Read, ...] = (), lock: str | None = None
    ) -> T:
        """Run ``job`` in the next batch; returns its result once the batch has committed, or raises its
        refusal or error.

        ``reads``: the rows the job reads and changes (:meth:`Tx.read`, :meth:`Tx.update`). The batch
        fetches and locks them all before its first job, one statement per kind of row: a guarded step
        then costs no round trip of its own.

        ``lock``: names the row the job locks itself (``"table:key"``), for a guarded step that reads
        more than a declared row holds. A batch runs such jobs (and those that declare reads) in the order
        of their names, after the others: batches of different processes then lock shared rows in one
        order, where in arrival order two of them could deadlock."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        first = min((read.lock for read in reads), default=None)
        self._enqueue(_Pending(job, future, lock or first, reads))
        return await future

    def run(self, job: Callable[[Tx], T]) -> T:
        """The same from a plain thread (CLI, tests): blocks until the batch has committed."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._enqueue(_Pending(job, future))
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
            callbacks: list[Callable[[], None]] = []
            try:
                callbacks = self._commit_group(batch)
            except BaseException as exc:  # never leave a waiter hanging
                log_failure(log, "writer batch failed", exc)
                for item in batch:
                    if item.outcome is None:
                        item.settle(None, exc)
            _answer(batch)
            self._after_commit(callbacks)
            self.stats.batch_seconds.observe(perf_counter() - started)
            if self.between_batches is not None:
                try:
                    self.between_batches(not self._pending)
                except Exception as exc:
                    log_failure(log, "writer upkeep failed", exc)

    def _after_commit(self, callbacks: list[Callable[[], None]]) -> None:
        """Each callback on its own: one that fails is logged and counted, and the others still run."""
        for callback in callbacks:
            try:
                callback()
            except Exception as exc:
                self.stats.failed_callbacks += 1
                log_failure(log, "an after-commit callback failed", exc)

    def _commit_group(self, batch: list[_Pending]) -> list[Callable[[], None]]:
        """Commit the batch (what of it can be), settle each job; returns the after-commit callbacks."""
        self._count(batch)
        remaining = list(batch)
        while remaining:
            try:
                results, callbacks = self._transaction(remaining)
            except _JobFailed as failed:
                if _transient(failed.error):
                    self.stats.retried_batches += 1
                    return self._one_by_one(remaining)
                self.stats.retried_batches += 1
                self.stats.failed_jobs += 1
                remaining.pop(failed.index).settle(None, failed.error)
                continue
            except Exception as exc:
                if len(remaining) == 1 and not _transient(exc):
                    self.stats.failed_jobs += 1
                    remaining[0].settle(None, exc)
                    return []
                self.stats.retried_batches += 1
                return self._one_by_one(remaining)
            for item, result in zip(remaining, results, strict=True):
                _settle(item, result)
            return callbacks
        return []

    def _one_by_one(self, items: list[_Pending]) -> list[Callable[[], None]]:
        """Run each job in a transaction of its own: so a failure nobody could be blamed for meets its
        job alone, and so a batch that deadlocked cannot deadlock again. Batches lock the rows their jobs
        name in one order, but not the rows they do not name (a unique key two inserts meet); run again
        as they were, two batches could meet the same cycle each time, while a transaction of one job
        holds at most the rows of one request."""
        return [callback for item in items for callback in self._commit_alone(item)]

    def _commit_alone(self, item: _Pending) -> list[Callable[[], None]]:
        for attempt in range(MAX_CONFLICT_RETRIES + 1):
            try:
                (result,), callbacks = self._transaction([item])
            except _JobFailed as failed:
                error = failed.error
            except Exception as exc:
                error = exc
            else:
                _settle(item, result)
                return callbacks
            if not _transient(error) or attempt == MAX_CONFLICT_RETRIES:
                break
            self.stats.retried_batches += 1
        if not _refusal(error):
            self.stats.failed_jobs += 1
        item.settle(None, error)
        return []

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
            tx._fetch_declared([read for item in batch for read in item.reads])
            results = [self._run_job(tx, index, item) for index, item in enumerate(batch)]
            with _pipelined(conn):
                callbacks = tx._finish()
        return results, callbacks

    def _run_job(self, tx: Tx, index: int, item: _Pending) -> Any:
        """The job's result, kept; or its refusal or error, with everything it did undone."""
        tx._begin_job()
        try:
            result = item.job(tx)
        except Exception as exc:
            if _transient(exc) or (isinstance(exc, DBAPIError) and not tx._savepoint):
                raise _JobFailed(index, exc) from exc  # the transaction cannot go on
            tx._drop_job()
            if not _refusal(exc):
                self.stats.failed_jobs += 1
            return _Failed(exc)
        if isinstance(result, Refusal):
            tx._drop_job()
            return _Failed(result.error)
        tx._keep_job()
        return result

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
    if isinstance(result, _Failed):
        item.settle(None, result.error)
    else:
        item.settle(result, None)


def _refusal(exc: BaseException) -> bool:
    """A client's request refused by a rule (a typed 4xx error): the job's answer, not a failure of the
    writer, so the writer's failure and retry counts leave it out."""
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
