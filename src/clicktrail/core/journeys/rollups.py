"""Rollups: hourly counts of journey events, kept as the events are written, so metrics over months of
traffic read a few thousand rows instead of millions.

One table, ``rollup_counts``, keyed by (app, family, dimension, measure, UTC hour, dimension value). A family
describes its measures (:class:`Measures`, handed over on its ``Family``) with a function that turns one
event row into counts: ``(dims, counts)`` pairs, each count added under the dimension ``""`` (every event,
for totals and day buckets) and under each of ``dims`` (``{"country": "DE", ...}``). The events module
calls :func:`count_in_batch` for every event a writer batch appends (the batch's counts are summed in
memory and written with one upsert ``executemany`` just before it commits) and :func:`count_in_session`
for an event recorded in an ORM transaction (one upsert with it). Either way a count commits exactly when
its event does; :func:`rebuild` recomputes an app's counts from its events.

Counts are hours in UTC: a day in a zone whose offset is a whole number of hours is 24 whole buckets. In a
zone with a half-hour (or 45-minute) offset an hour bucket is counted on the local day its start falls in,
so a day's edges are off by that much."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Connection, String, Table, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..storage.db import Base, UTCDateTime, conflict_insert, sqlite_utc_text, table_of
from ..tenancy.apps import tenant
from .facts import Facts
from .log import EVENTS

log = logging.getLogger("clicktrail.rollups")

ALL = ""  # the dimension every event counts under (totals, day buckets)
VALUE_LENGTH = 255
# One event's contribution: the dimension values it is counted under, and its counts (measure → n).
Contribution = tuple[dict[str, Any], dict[str, int]]
Contribute = Callable[[dict[str, Any]], Iterable[Contribution]]


class RollupCount(Base):
    __tablename__ = "rollup_counts"
    # On SQLite the key is the table (no rowid): a range of the key reads its counts in place.
    __table_args__ = {"sqlite_with_rowid": False}

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    family: Mapped[str] = mapped_column(String(16), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(32), primary_key=True)
    measure: Mapped[str] = mapped_column(String(80), primary_key=True)
    bucket: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)  # the UTC hour
    dim_value: Mapped[str] = mapped_column(String(VALUE_LENGTH), primary_key=True)  # "" for none
    count: Mapped[int] = mapped_column(BigInteger)


ROLLUPS = table_of(RollupCount)
KEY = ("app_id", "family", "dimension", "measure", "bucket", "dim_value")


@dataclass(frozen=True)
class Ratio:
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Step:
    """A funnel step: events of ``type`` (and, if given, whose payload passes ``test``). ``measure``: the
    stored count of exactly the events the step matches (one each), when there is one (see ``Opening``)."""

    type: str
    test: Callable[[dict[str, Any]], bool] | None = None
    measure: str | None = None


@dataclass(frozen=True)
class Opening:
    """An event type a journey has at most one of (a partners click's ``click.created``), and the measure
    that counts every such event. A funnel whose journeys mostly have that event alone counts those from
    the rollups (admin.funnels)."""

    type: str
    measure: str
    # The opening events as raw rows (core.facts): each dimension as the event's payload names it and each
    # step's ``measure`` as a test of the event, so a funnel under filters the rollups do not keep together
    # counts them with one SQL sum over the period's events instead of walking every journey.
    events: Facts | None = None


@dataclass(frozen=True)
class Export:
    """The family's raw rows for CSV export: a table, its app column and the time column ranges filter."""

    table: Table
    time_column: str
    name: str


@dataclass(frozen=True)
class Measures:
    family: str
    counts: tuple[str, ...]  # stored measures, summed over buckets
    groupings: tuple[str, ...]  # "day" and the dimensions
    contribute: Contribute
    ratios: dict[str, Ratio] = field(default_factory=dict)
    # Counts whose names are data (signage statuses): a stored measure starting with this prefix is
    # reported as its own measure, named without it.
    dynamic_prefix: str | None = None
    # Groupings with their own measures (surveys' question → answered, skipped); others use ``counts``.
    grouping_counts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)
    dynamic_step: Callable[[str], Step] | None = None  # steps named by data (signage statuses)
    export: Export | None = None
    opening: Opening | None = None
    # The same counts over the family's raw rows, for combinations the rollups do not keep (core.facts).
    facts: Facts | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.counts, *self.ratios)

    def counts_for(self, grouping: str) -> tuple[str, ...]:
        return self.grouping_counts.get(grouping, self.counts)


_REGISTRY: dict[str, Measures] = {}


def register(definitions: Iterable[Measures | None]) -> None:
    for definition in definitions:
        if definition is not None:
            _REGISTRY[definition.family] = definition


def definitions() -> dict[str, Measures]:
    return dict(_REGISTRY)


def hour_of(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def value_text(value: Any) -> str:
    """A dimension's value as it is kept: text of at most 255 characters, "" for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)[:VALUE_LENGTH]


Totals = dict[tuple[str, str, str, str, datetime, str], int]


def add(totals: Totals, row: dict[str, Any]) -> None:
    """Add one event row's counts to ``totals`` (nothing if its family keeps no rollups)."""
    definition = _REGISTRY.get(row["family"])
    if definition is None:
        return
    app_id, family, bucket = row["app_id"], row["family"], hour_of(row["created_at"])
    for dims, counts in definition.contribute(row):
        values = [(ALL, ""), *((dimension, value_text(value)) for dimension, value in dims.items())]
        for measure, n in counts.items():
            if not n:
                continue
            for dimension, value in values:
                key = (app_id, family, dimension, measure, bucket, value)
                totals[key] = totals.get(key, 0) + n


def upsert_rows(totals: Totals) -> list[dict[str, Any]]:
    """The rows of one upsert, in key order (so concurrent batches lock the rows they share in one order)."""
    return [dict(zip(KEY, key, strict=True), count=n) for key, n in sorted(totals.items()) if n]


def _upsert(dialect_name: str) -> Any:
    statement = conflict_insert(dialect_name, ROLLUPS)
    return statement.on_conflict_do_update(
        index_elements=list(KEY), set_={"count": ROLLUPS.c.count + statement.excluded.count}
    )


_UPSERTS: dict[str, Any] = {}
_INTO = f"INSERT INTO rollup_counts ({', '.join(KEY)}, count)"
_ADD_COUNT = f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET count = rollup_counts.count + excluded.count"
_PG_ARRAYS = ("varchar[]",) * 4 + ("timestamptz[]", "varchar[]", "bigint[]")
# A batch's counts in one statement on each engine. PostgreSQL: every row in one execution, its columns
# as arrays (one round trip, planned once; a few hundred rows sent one by one cost more than the
# batch's clicks), sent in binary (``%b``: as text, psycopg quotes each element with a regex). SQLite:
# one prepared upsert stepped per row in C. The keys are distinct: a batch's totals are summed per key
# before they are written.
_BATCH_UPSERT = {
    "postgresql": f"{_INTO} SELECT * FROM unnest({', '.join(f'%b::{t}' for t in _PG_ARRAYS)}) {_ADD_COUNT}",
    "sqlite": f"{_INTO} VALUES ({', '.join('?' * (len(KEY) + 1))}) {_ADD_COUNT}",
}


def write(conn: Connection | Session, totals: Totals) -> None:
    """Add ``totals`` to the stored counts, in one statement."""
    if isinstance(conn, Session):
        _write_in_session(conn, totals)
        return
    items = sorted((key, n) for key, n in totals.items() if n)
    if not items:
        return
    name = conn.dialect.name
    if name == "postgresql":
        columns = [list(column) for column in zip(*(key for key, _ in items), strict=True)]
        conn.exec_driver_sql(_BATCH_UPSERT[name], (*columns, [n for _, n in items]))
        return
    # SQLite's text of each hour, made once per hour rather than once per row.
    hours = {hour: sqlite_utc_text(hour) for hour in {key[4] for key, _ in items}}
    conn.exec_driver_sql(_BATCH_UPSERT[name], [(*key[:4], hours[key[4]], key[5], n) for key, n in items])


def _write_in_session(session: Session, totals: Totals) -> None:
    rows = upsert_rows(totals)
    if not rows:
        return
    name = session.get_bind().dialect.name
    if name not in _UPSERTS:
        _UPSERTS[name] = _upsert(name)
    session.execute(_UPSERTS[name], rows)


def count_in_batch(tx: Any, row: dict[str, Any]) -> None:
    """Count an event a writer batch appends; the batch's counts are written once, before it commits."""
    if row["family"] in _REGISTRY:
        tx.gather(_write_batch, row)


def _write_batch(tx: Any, rows: list[dict[str, Any]]) -> None:
    totals: Totals = {}
    for row in rows:
        add(totals, row)
    write(tx.connection, totals)


# Events erased, per app and family, under one hour (the epoch): the counts stay (they hold no personal
# data), and a reader that sets them against the stored rows (admin.funnels) knows the two now differ.
ERASED = "events_erased"
ERASED_HOUR = datetime(1970, 1, 1, tzinfo=UTC)


def count_erased(session: Session, *, app_id: str, family: str, events: int) -> None:
    """Note that ``events`` of the family's events were deleted (in the session's transaction)."""
    if events:
        write(session, {(app_id, family, ALL, ERASED, ERASED_HOUR, ""): events})


def count_in_session(session: Session, row: dict[str, Any]) -> None:
    """Count an event recorded in the session's transaction: one upsert with it."""
    totals: Totals = {}
    add(totals, row)
    write(session, totals)


# --- reading --------------------------------------------------------------------------------------------


def sums(
    conn: Connection | Session,
    *,
    app_id: str,
    family: str,
    dimension: str,
    measures: Iterable[str] | None,
    start: datetime,
    end: datetime,
    by_bucket: bool,
    measure_prefix: str | None = None,
    dim_value: str | None = None,
) -> list[tuple[Any, str, int]]:
    """(dimension value or bucket, measure, total) over the hours in [start, end), of one value of the
    dimension only when ``dim_value`` is given (a filter)."""
    key = ROLLUPS.c.bucket if by_bucket else ROLLUPS.c.dim_value
    query = select(key, ROLLUPS.c.measure, func.sum(ROLLUPS.c.count)).where(
        tenant(ROLLUPS.c, app_id),
        ROLLUPS.c.family == family,
        ROLLUPS.c.dimension == dimension,
        ROLLUPS.c.bucket >= start,
        ROLLUPS.c.bucket < end,
    )
    if dim_value is not None:
        query = query.where(ROLLUPS.c.dim_value == dim_value)
    if measures is not None:
        wanted = list(measures)
        condition: ColumnElement[bool] = ROLLUPS.c.measure.in_(wanted)
        if measure_prefix is not None:
            condition = condition | ROLLUPS.c.measure.startswith(measure_prefix, autoescape=True)
        query = query.where(condition)
    query = query.group_by(key, ROLLUPS.c.measure)
    return [(k, m, int(n)) for k, m, n in conn.execute(query)]


# --- rebuilding -----------------------------------------------------------------------------------------


def rebuild(
    conn: Connection, *, app_id: str, families: Iterable[str] | None = None, chunk: int = 50_000
) -> int:
    """Recompute an app's counts from its journey events (in the caller's transaction); returns the number
    of events read."""
    names = [f for f in (families or _REGISTRY) if f in _REGISTRY]
    conn.execute(delete(ROLLUPS).where(tenant(ROLLUPS.c, app_id), ROLLUPS.c.family.in_(names)))
    query = (
        select(EVENTS.c.app_id, EVENTS.c.family, EVENTS.c.type, EVENTS.c.payload, EVENTS.c.created_at)
        .where(tenant(EVENTS.c, app_id), EVENTS.c.family.in_(names))
        .order_by(EVENTS.c.id)
    )
    read = 0
    totals: Totals = {}
    for rows in _chunks(conn.execute(query.execution_options(yield_per=chunk)), chunk):
        for row in rows:
            add(totals, dict(row._mapping))
        read += len(rows)
    write(conn, totals)
    return read


def _chunks(result: Any, size: int) -> Iterator[list[Any]]:
    while rows := result.fetchmany(size):
        yield rows


def day_start(at: datetime, zone: Any) -> datetime:
    local = at.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def hours(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end) widened to whole UTC hours."""
    first = hour_of(start)
    last = hour_of(end)
    return first, last if last == end.astimezone(UTC) else last + timedelta(hours=1)
