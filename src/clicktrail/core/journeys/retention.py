"""Retention: for every app whose ``privacy.personal_data_days`` is set, purge the raw personal data older
than that many days and keep what the statistics need. Each family purges its own tables
(``Family.purge``, which documents what it nulls or deletes); the core deletes the app's outbox messages
that are no longer pending (delivered or given up: their URLs and bodies can name people). Journey events
stay, with their type, time and pseudonymous ids; a family nulls any raw personal data in their payloads.

Purging is idempotent: a second run changes nothing. It runs from ``clicktrail purge`` and, in every server
process, from a background thread (``CLICKTRAIL_RETENTION_INTERVAL_SECONDS``, 0 turns it off); runs of
several processes at once are safe (each step is a conditional UPDATE or DELETE).

Rows themselves are kept until ``CLICKTRAIL_ROW_RETENTION_DAYS`` (instance-wide, unset by default) says
otherwise: then ``expire`` deletes the journey events and each family's ``timed`` tables' rows older than
that, for every app. On PostgreSQL those tables are partitioned by month (``core.partitions``): a month
entirely past the cutoff is dropped whole, and only the rows of the month the cutoff falls in (and of the
DEFAULT partition) are deleted row by row; each pass also keeps the months ahead created (on SQLite: the
planner statistics of those tables, as they grow). Then each family's ``expire`` deletes what only stood
for rows now gone (partners: the uuid reservations). Rollup counts (metrics) stay: they are counted when
an event is written, not read back from it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, TextClause, bindparam, delete, select, text
from sqlalchemy.orm import Session, sessionmaker

from ..family import Expirer, Family
from ..storage import partitions
from ..storage.db import UTCDateTime
from ..storage.ids import utcnow
from ..tenancy.apps import App, tenant
from ..web.idempotency import forget_expired
from .outbox import OutboxMessage
from .privacy import Purged, privacy_of

log = logging.getLogger("clicktrail.retention")


def purge(
    sessions: sessionmaker[Session], families: Sequence[Family], *, now: datetime | None = None
) -> dict[str, Any]:
    """Purge every app that sets a retention; one transaction per app. Returns, per app, the cutoff
    (``before``) and the rows changed per family and table, apart: ``anonymized`` (kept, their personal
    data nulled or redacted) and ``removed`` (deleted)."""
    now = now or utcnow()
    with sessions() as session:
        apps = session.execute(select(App.id, App.config).order_by(App.id)).all()
    report: dict[str, Any] = {}
    for app_id, config in apps:
        days = privacy_of(config or {}).personal_data_days
        if days:
            before = now - timedelta(days=days)
            report[app_id] = {"before": before, **purge_app(sessions, families, app_id, before)}
    return report


def purge_app(
    sessions: sessionmaker[Session], families: Sequence[Family], app_id: str, before: datetime
) -> dict[str, dict[str, dict[str, int]]]:
    anonymized: dict[str, dict[str, int]] = {}
    removed: dict[str, dict[str, int]] = {}
    with sessions() as session, session.begin():
        for family in families:
            if family.purge is not None:
                purged: Purged = family.purge(session, app_id=app_id, before=before)
                anonymized[family.name], removed[family.name] = purged.anonymized, purged.removed
        settled = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
            delete(OutboxMessage)
            .where(
                tenant(OutboxMessage, app_id),
                OutboxMessage.status != "pending",
                OutboxMessage.created_at < before,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        removed["core"] = {"outbox": settled}
    return {"anonymized": anonymized, "removed": removed}


CORE_TIMED = (("journey_events", "created_at"),)
CHUNK = 10_000  # rows deleted per transaction, so a long delete never holds the writer back for long


def timed_tables(families: Sequence[Family]) -> list[tuple[str, str]]:
    """(table, time column) of the journey event log and of every family's fastest-growing tables."""
    return [*CORE_TIMED, *(pair for family in families for pair in family.timed)]


def expire(
    sessions: sessionmaker[Session],
    families: Sequence[Family],
    *,
    days: int | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Upkeep (PostgreSQL: the months ahead; SQLite: the planner statistics of the timed tables, see
    ``refresh_sqlite_statistics``) and, when ``days`` is set, row retention: every
    timed table's rows older than ``days`` deleted, of every app, whole months dropped where the table is
    partitioned. Returns the partitions created and dropped, the rows deleted one by one per table, and
    the tables analysed."""
    now = now or utcnow()
    report: dict[str, Any] = {"created": [], "dropped": [], "deleted": {}, "analysed": []}
    with sessions() as session, session.begin():
        conn = session.connection()
        postgresql = conn.dialect.name == "postgresql"
        if postgresql:  # whose autovacuum analyses tables as they change
            report["created"] = partitions.ensure_ahead(conn, now)
        else:
            tables = [table for table, _ in timed_tables(families)]
            report["analysed"] = refresh_sqlite_statistics(conn, tables)
    if report["analysed"]:
        log.info("planner statistics gathered for %s", ", ".join(report["analysed"]))
    if days is None:
        return report
    cutoff = now - timedelta(days=days)
    for table, key in timed_tables(families):
        if postgresql:
            with sessions() as session, session.begin():
                conn = session.connection()
                if partitions.is_partitioned(conn, table):
                    report["dropped"] += partitions.drop_before(conn, table, cutoff)
        report["deleted"][table] = _delete_older(sessions, table, key, cutoff)
    for family in families:
        if family.expire is not None:
            report["deleted"].update(_expire_in_chunks(sessions, family.expire, cutoff))
    if report["dropped"] or any(report["deleted"].values()):
        log.info("row retention before %s: %s", cutoff.isoformat(), report)
    return report


def _delete_older(sessions: sessionmaker[Session], table: str, key: str, cutoff: datetime) -> int:
    """Delete the table's rows older than ``cutoff``, ``CHUNK`` per transaction; the number deleted."""
    statement = text(
        f"{partitions.MARK} DELETE FROM {table} WHERE {key} < :cutoff"
        f" AND id IN (SELECT id FROM {table} WHERE {key} < :cutoff LIMIT {CHUNK})"
    ).bindparams(bindparam("cutoff", type_=UTCDateTime))  # stored as the tables store times (SQLite: text)
    deleted = 0
    while True:
        with sessions() as session, session.begin():
            conn: Connection = session.connection()
            count = conn.execute(statement, {"cutoff": cutoff}).rowcount
        deleted += count
        if count < CHUNK:
            return deleted


def _expire_in_chunks(sessions: sessionmaker[Session], expirer: Expirer, cutoff: datetime) -> dict[str, int]:
    deleted: dict[str, int] = {}
    while True:
        with sessions() as session, session.begin():
            chunk = expirer(session.connection(), cutoff=cutoff, limit=CHUNK)
        for table, count in chunk.items():
            deleted[table] = deleted.get(table, 0) + count
        if all(count < CHUNK for count in chunk.values()):
            return deleted


# Below this many rows a table's statistics hardly matter, and above it ANALYZE runs again only once its
# row count is ten times more or less than they say: PRAGMA optimize's own rule.
STATISTICS_MIN_ROWS = 1_000
_KNOWN_ROWS = text("SELECT stat FROM sqlite_stat1 WHERE tbl = :table LIMIT 1")  # first: the rows it saw


def refresh_sqlite_statistics(conn: Connection, tables: Iterable[str]) -> list[str]:
    """ANALYZE each of ``tables`` (SQLite) that has grown or shrunk tenfold since its statistics were
    gathered (or has none, with at least ``STATISTICS_MIN_ROWS`` rows); the names analysed. Without them
    SQLite plans from its indexes alone: over 1M clicks it read a country's clicks of one day through the
    time index (35-51 ms a page) instead of the country's (10 ms). ANALYZE reads each index whole (~1.4 s
    at 1M clicks, holding the write lock), which the tenfold rule makes a handful of times in a table's
    life; a sampled one (``analysis_limit``) misled the planner, its samples all from one app's rows."""
    analysed = []
    gathered = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
    for table in tables:
        rows = conn.execute(_rowid_span(table)).scalar() or 0
        stat = conn.execute(_KNOWN_ROWS, {"table": table}).scalar() if gathered else None
        known = int(stat.split()[0]) if stat else None
        stale = known is None or rows >= 10 * known or rows * 10 <= known
        if rows >= STATISTICS_MIN_ROWS and stale:
            conn.execute(text(f'ANALYZE "{table}"'))
            analysed.append(table)
    return analysed


def _rowid_span(table: str) -> TextClause:
    """About the table's row count, from two index lookups where ``count(*)`` reads a whole index (inside
    the write lock): rows go in in time order and row retention deletes the oldest."""
    span = f'(SELECT max(rowid) FROM "{table}") - (SELECT min(rowid) FROM "{table}") + 1'
    return text(f"{partitions.MARK} SELECT {span}")


class RetentionWorker:
    """A daemon thread per server process that purges every ``interval`` seconds, first at start."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        families: Sequence[Family],
        interval: float,
        row_retention_days: int | None = None,
    ):
        self.sessions = sessions
        self.families = tuple(families)
        self.interval = interval
        self.row_retention_days = row_retention_days
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="clicktrail-retention", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                purge(self.sessions, self.families)
            except Exception:  # keep purging after a database hiccup
                log.exception("retention purge failed")
            try:
                expire(self.sessions, self.families, days=self.row_retention_days)
            except Exception:
                log.exception("row retention or partition upkeep failed")
            try:
                forget_expired(self.sessions)  # Idempotency-Keys past their 24 hours
            except Exception:
                log.exception("expired idempotency keys were not deleted")
            self._stop.wait(self.interval)
