"""Facts: a family's metrics counted over its raw rows, for what the rollups cannot answer (filters on two
dimensions, or a filter with a grouping by another dimension: the rollups keep each dimension alone).

A family describes its raw rows once (:class:`Facts`, on its ``Measures``): the table, the time column,
the rows that are the family's, each dimension as an expression (and the rows it is known on, as a rollup
counts an event under a dimension only when its contribution names it), each stored measure as a SQL
``SUM`` of a value over the rows that count. :func:`sums` answers in the shape of ``rollups.sums``: UTC
hours or dimension values, measure, total; so the same code turns either into an answer, and a test can
hold the two paths equal on the same data for every single dimension."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, String, Table, and_, case, cast, event, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..tenancy.apps import tenant

VALUE_LENGTH = 255  # as rollups: a longer value is counted under its first 255 characters


@dataclass(frozen=True)
class Dimension:
    value: ColumnElement[Any]
    # The rows counted under the dimension at all (None: every row). A rollup counts an event under a
    # dimension only when the event names it (signage: only scans know a country).
    known: ColumnElement[bool] | None = None
    # A value computed from a column (a referrer's host): grouped by the column first, the computation
    # runs once per distinct column value rather than once per row.
    computed: tuple[ColumnElement[Any], Callable[[Any], ColumnElement[Any]]] | None = None


def computed(column: ColumnElement[Any], compute: Callable[[Any], ColumnElement[Any]]) -> Dimension:
    """A dimension whose value is ``compute(column)``."""
    return Dimension(compute(column), computed=(column, compute))


@dataclass(frozen=True)
class Fact:
    """One stored measure: ``SUM(value)`` over the rows where ``when`` holds, in time by ``time`` (a column
    name; default the table's)."""

    when: ColumnElement[bool]
    value: ColumnElement[Any] = field(default_factory=lambda: literal(1))
    time: str | None = None


@dataclass(frozen=True)
class Facts:
    table: Table
    time: str
    rows: ColumnElement[bool] | None  # the family's rows of the table (None: all of the app's)
    dimensions: dict[str, Dimension]
    measures: dict[str, Fact]


def text_of(value: Any) -> ColumnElement[Any]:
    """A dimension's value as text on both engines (a JSON number is counted as its digits)."""
    return cast(value, String)


def sums(
    conn: Connection | Session,
    facts: Facts,
    *,
    app_id: str,
    grouping: str | None,
    measures: Iterable[str],
    filters: dict[str, str],
    start: datetime,
    end: datetime,
    by_bucket: bool,
) -> list[tuple[Any, str, int]]:
    """(UTC hour or value of ``grouping``, measure, total) over [start, end) (whole hours: as the rollups
    read them) of the rows that have every filter's value; ``grouping`` None and not ``by_bucket``: one
    total per measure (key None)."""
    dialect = (conn.get_bind() if isinstance(conn, Session) else conn).dialect.name
    table = facts.table
    wanted = [m for m in dict.fromkeys(measures) if m in facts.measures]
    by_time: dict[str, list[str]] = {}
    for name in wanted:
        by_time.setdefault(facts.measures[name].time or facts.time, []).append(name)
    conditions = [tenant(table.c, app_id)]
    if facts.rows is not None:
        conditions.append(facts.rows)
    for name, value in filters.items():
        conditions.append(_has(facts.dimensions[name], value))
    dimension = facts.dimensions[grouping] if grouping is not None else None
    if dimension is not None and dimension.known is not None:
        conditions.append(dimension.known)
    out: list[tuple[Any, str, int]] = []
    for time_name, names in by_time.items():
        time = table.c[time_name]
        group = _hour(time, dialect) if by_bucket else _key(dimension)
        columns = [func.sum(case((facts.measures[n].when, facts.measures[n].value), else_=0)) for n in names]
        query = select(group if group is not None else literal(None), *columns).where(
            *conditions, time >= start, time < end, or_(*(facts.measures[n].when for n in names))
        )
        if group is not None:
            query = query.group_by(group)
        if dimension is not None and dimension.computed is not None and not by_bucket:
            query = _regrouped(query, dimension.computed[1], len(names))
        for found, *totals in conn.execute(query):
            place = _hour_of(found) if by_bucket else _text(found) if group is not None else None
            out.extend((place, name, int(n or 0)) for name, n in zip(names, totals, strict=True))
    return _merged(out)


def _key(dimension: Dimension | None) -> ColumnElement[Any] | None:
    """What the rows are grouped by first: the value, or the column a computed value comes from."""
    if dimension is None:
        return None
    return func.coalesce(dimension.value, "") if dimension.computed is None else dimension.computed[0]


def _regrouped(query: Any, compute: Callable[[Any], ColumnElement[Any]], measures: int) -> Any:
    """``query`` (grouped by a column) grouped again by the value computed from the column."""
    inner = query.subquery()
    source, *sums = inner.c
    key = func.coalesce(compute(source), "")
    return select(key, *(func.sum(column) for column in sums[:measures])).group_by(key)


def _has(dimension: Dimension, value: str) -> ColumnElement[bool]:
    """The rows a filter keeps: the dimension is known on them and has ``value`` ("" is no value). The
    column is compared as it is, so its index can serve."""
    if value == "":
        matches: ColumnElement[bool] = or_(dimension.value.is_(None), dimension.value == "")
    else:
        matches = dimension.value == value
    return matches if dimension.known is None else and_(dimension.known, matches)


def _hour(time: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.date_trunc("hour", func.timezone("UTC", time))
    return func.substr(time, 1, 13)  # SQLite keeps "2026-01-02 03:04:05.000006" (UTC)


def _hour_of(found: Any) -> datetime:
    if isinstance(found, datetime):
        return found.replace(tzinfo=UTC)
    return datetime.strptime(str(found), "%Y-%m-%d %H").replace(tzinfo=UTC)


def _text(found: Any) -> str:
    return "" if found is None else str(found)[:VALUE_LENGTH]


def _merged(found: list[tuple[Any, str, int]]) -> list[tuple[Any, str, int]]:
    """One total per (key, measure): values that differ only past 255 characters are one, as in rollups."""
    totals: dict[tuple[Any, str], int] = {}
    for key, measure, n in found:
        totals[(key, measure)] = totals.get((key, measure), 0) + n
    return [(key, measure, n) for (key, measure), n in totals.items()]


# --- SQL functions of Python functions ----------------------------------------------------------------

_SQLITE_FUNCTIONS: dict[str, Any] = {}


def sqlite_function(name: str, function: Any) -> None:
    """Make ``function`` (one argument, deterministic) callable as ``name`` in every SQLite connection
    opened from now on: a dimension SQLite cannot compute in SQL is computed by the very function the
    events use, so both paths agree."""
    _SQLITE_FUNCTIONS[name] = function


@event.listens_for(Engine, "connect")
def _register_functions(dbapi_conn: Any, _record: Any) -> None:
    if isinstance(dbapi_conn, sqlite3.Connection):
        for name, function in _SQLITE_FUNCTIONS.items():
            dbapi_conn.create_function(name, 1, function, deterministic=True)


def payload_text(table: Table, key: str) -> ColumnElement[Any]:
    """A key of a journey event's JSON payload, as text (the value a rollup counts it under)."""
    return text_of(table.c.payload[key].as_string())
