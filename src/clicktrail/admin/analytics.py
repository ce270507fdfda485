"""What the dashboard draws: metrics from the rollups, funnels and journey timelines from the journey
events, and CSV (of any answer, and of a family's raw rows, streamed).

See docs/metrics.md for the API; core.rollups for how the counts are kept."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..core.journeys import rollups
from ..core.journeys.facts import sums as sums_of_facts
from ..core.journeys.log import EVENTS
from ..core.journeys.rollups import ALL, Measures, Step
from ..core.tenancy.apps import App, tenant
from ..core.web.errors import InvalidInput, NotFound
from .funnels import count_from_rollups

DEFAULT_DAYS = 30
MAX_DAYS = 3700  # about ten years: a range past it is a typo
MAX_STEPS = 102  # a scan, a signage campaign's 100 statuses and its coupon
EXPORT_CHUNK = 1000
_STEP_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


# --- parameters -----------------------------------------------------------------------------------------


def _allowed(values: Iterable[str]) -> str:
    return ", ".join(values)


def definition_of(family: str | None) -> Measures:
    known = rollups.definitions()
    if family not in known:
        raise InvalidInput(f"family: unknown family '{family}' (expected one of {_allowed(known)})")
    return known[family]


def zone_of(tz: str | None) -> ZoneInfo:
    if not tz:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"tz: unknown time zone '{tz}' (an IANA name, e.g. Europe/Berlin or UTC)"
        ) from None


def _instant(name: str, value: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 date or date-time; without an offset it is in ``zone`` (a date: its midnight)."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}: '{value}' is not an ISO 8601 date or date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def time_range(
    start: str | None, end: str | None, zone: ZoneInfo, *, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """[from, to) in UTC. By default the last 30 days: from the midnight (in ``zone``) 29 days before today
    up to now."""
    now = now or datetime.now(UTC)
    stop = _instant("to", end, zone) if end else now
    if start:
        begin = _instant("from", start, zone)
    else:
        today = (stop - timedelta(microseconds=1)).astimezone(zone).date()
        begin = _midnight(today - timedelta(days=DEFAULT_DAYS - 1), zone)
    if begin >= stop:
        raise InvalidInput(f"from: must be before to ({begin.isoformat()} is not before {stop.isoformat()})")
    if stop - begin > timedelta(days=MAX_DAYS):
        raise InvalidInput(f"from: the range is longer than {MAX_DAYS} days")
    return begin, stop


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def window_of(value: str | None, parameter: str = "window") -> timedelta:
    """An ISO 8601 duration of weeks, days, hours, minutes and seconds (``P7D``, ``PT12H``)."""
    if not value:
        return timedelta(days=7)
    found = _DURATION.match(value.upper())
    if not found or value.upper() in ("P", "PT"):
        raise InvalidInput(f"{parameter}: '{value}' is not an ISO 8601 duration such as P7D, PT12H or P1DT6H")
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
    try:
        window = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:  # far past the limit below
        window = timedelta.max
    if not window or window > timedelta(days=MAX_DAYS):
        raise InvalidInput(f"{parameter}: must be more than zero and at most {MAX_DAYS} days")
    return window


def require_app(session: Session, app_id: str) -> None:
    if session.get(App, app_id) is None:
        raise NotFound(f"app '{app_id}' not found")


# --- metrics --------------------------------------------------------------------------------------------


def metrics(
    session: Session,
    *,
    app_id: str,
    family: str | None,
    group_by: str | None,
    measures: str | None,
    start: str | None,
    end: str | None,
    tz: str | None,
    filters: dict[str, str] | None = None,
) -> dict[str, Any]:
    definition = definition_of(family)
    grouping = _grouping(definition, group_by)
    filters = dict(filters or {})
    raw = needs_raw_rows(definition, filters, grouping)
    zone = zone_of(tz)
    begin, stop = time_range(start, end, zone)
    by_status = grouping == "status" and definition.dynamic_prefix is not None
    only = next(iter(filters), None) if not raw else None  # the one filter the rollups answer
    counts = ("reached",) if by_status else definition.counts_for(only or grouping)
    offered = counts if by_status or grouping in definition.grouping_counts else definition.names
    chosen = _chosen(measures, offered, definition.family, grouping)
    dynamic = measures is None and definition.dynamic_prefix is not None and not by_status and not raw
    stored = _stored(definition, chosen, counts)
    require_app(session, app_id)
    first, last = rollups.hours(begin, stop)
    reader = (_raw_reader if raw else _rollup_reader)(
        session, definition, app_id, filters, first, last, dynamic
    )
    extra: list[str] = []  # dynamic measures found (signage statuses), in first-seen order
    if by_status:
        table, totals_raw = _statuses(reader, definition)
    else:
        whole = raw and _rows_are_whole(definition, grouping)
        table, totals_raw = _counted(reader, definition, grouping, stored, zone, extra, whole)
        if grouping == "day":
            for day in _days(begin, stop, zone):
                table.setdefault(day, {})
    names = [*chosen, *extra]
    return {
        "family": definition.family,
        "group_by": grouping,
        "from": begin.isoformat(),
        "to": stop.isoformat(),
        "tz": zone.key,
        "filters": filters,
        "measures": names,
        "rows": _sorted_rows(definition, grouping, names, table),
        "totals": _measured(definition, names, totals_raw),
    }


def _grouping(definition: Measures, group_by: str | None) -> str:
    grouping = group_by or "day"
    if grouping not in definition.groupings:
        raise InvalidInput(
            f"group_by: unknown grouping '{grouping}' for {definition.family}"
            f" (expected one of {_allowed(definition.groupings)})"
        )
    return grouping


def _sorted_rows(
    definition: Measures, grouping: str, names: list[str], table: dict[Any, dict[str, int]]
) -> list[dict[str, Any]]:
    """Days in order; any other grouping by its first measure, largest first (no value last)."""
    rows = [{"key": key, **_measured(definition, names, values)} for key, values in table.items()]
    if grouping == "day":
        rows.sort(key=lambda row: row["key"])
    else:
        first_measure = names[0] if names else None
        rows.sort(key=lambda row: (-(row.get(first_measure or "") or 0), row["key"] is None, str(row["key"])))
    return rows


# A reader: (dimension, or None for days and totals; by hour; stored measures) → (key, measure, total).
Reader = Callable[[str | None, bool, list[str]], list[tuple[Any, str, int]]]


def _rollup_reader(
    session: Session,
    definition: Measures,
    app_id: str,
    filters: dict[str, str],
    first: datetime,
    last: datetime,
    dynamic: bool,
) -> Reader:
    """Reads the rollups: no filter, or one filter read from its own dimension's counts."""
    only = next(iter(filters.items()), None)

    def read(dimension: str | None, by_bucket: bool, names: list[str]) -> list[tuple[Any, str, int]]:
        dimension = dimension or (only[0] if only else ALL)  # days and totals: under the filter's dimension
        prefix = definition.dynamic_prefix if dynamic or not names else None
        return rollups.sums(
            session,
            app_id=app_id,
            family=definition.family,
            dimension=dimension,
            measures=names,
            start=first,
            end=last,
            by_bucket=by_bucket,
            measure_prefix=prefix,
            dim_value=only[1] if only and dimension == only[0] else None,
        )

    return read


def _raw_reader(
    session: Session,
    definition: Measures,
    app_id: str,
    filters: dict[str, str],
    first: datetime,
    last: datetime,
    dynamic: bool,
) -> Reader:
    """Reads the family's raw rows (core.facts) under every filter."""
    facts = definition.facts
    assert facts is not None

    def read(dimension: str | None, by_bucket: bool, names: list[str]) -> list[tuple[Any, str, int]]:
        return sums_of_facts(
            session, facts, app_id=app_id, grouping=dimension, measures=names, filters=filters,
            start=first, end=last, by_bucket=by_bucket,
        )  # fmt: skip

    return read


def _counted(
    read: Reader,
    definition: Measures,
    grouping: str,
    stored: list[str],
    zone: ZoneInfo,
    extra: list[str],
    whole: bool,
) -> tuple[dict[Any, dict[str, int]], dict[str, int]]:
    """The rows (by day or by the grouping's values) and the totals of the stored measures; ``whole``:
    the rows hold every counted row once, so the totals are their sums (one read of raw rows, not two)."""
    by_bucket = grouping == "day"
    found = read(None if by_bucket else grouping, by_bucket, stored)
    table: dict[Any, dict[str, int]] = {}
    for key, measure, n in found:
        key = key.astimezone(zone).date().isoformat() if by_bucket else key or None
        name = _public(definition, measure, extra)
        row = table.setdefault(key, {})
        row[name] = row.get(name, 0) + n
    totals: dict[str, int] = {}
    for _, measure, n in found if whole else read(None, False, stored):
        name = _public(definition, measure, extra)
        totals[name] = totals.get(name, 0) + n
    return table, totals


def _rows_are_whole(definition: Measures, grouping: str) -> bool:
    """Whether the raw rows grouped by ``grouping`` count each row once: by day, or by a dimension every
    row is known under (the totals of a dimension known on some events only count the others too)."""
    if grouping == "day":
        return True
    assert definition.facts is not None
    return definition.facts.dimensions[grouping].known is None


def _statuses(read: Reader, definition: Measures) -> tuple[dict[Any, dict[str, int]], dict[str, int]]:
    """Signage's group_by=status: each status reached, from the rollups' totals."""
    assert definition.dynamic_prefix is not None
    found = read(None, False, [])
    table: dict[Any, dict[str, int]] = {}
    for _, measure, n in found:
        table.setdefault(measure.removeprefix(definition.dynamic_prefix), {})["reached"] = n
    return table, {"reached": sum(n for _, _, n in found)}


def with_previous(session: Session, answer: dict[str, Any], **params: Any) -> dict[str, Any]:
    """``answer`` with ``previous``: the same call over the period of the same length just before it."""
    begin, stop = datetime.fromisoformat(answer["from"]), datetime.fromisoformat(answer["to"])
    start = begin - (stop - begin)
    before = metrics(session, **params, start=start.isoformat(), end=begin.isoformat())
    return {**answer, "previous": {k: before[k] for k in ("from", "to", "rows", "totals")}}


def filterable(definition: Measures) -> list[str]:
    """The dimensions a filter can name: the groupings but day and those with measures of their own."""
    own = {"day", "status", *definition.grouping_counts}
    return [g for g in definition.groupings if g not in own]


def needs_raw_rows(definition: Measures, filters: dict[str, str], grouping: str) -> bool:
    """Whether the answer comes from the family's raw rows (core.facts) rather than the rollups, which
    keep each dimension alone: no filter, or one filter with day or its own dimension, read the rollups;
    any other combination the raw rows. What neither can answer is refused, naming what combines."""
    dimensions = filterable(definition)
    for name in filters:
        if name not in dimensions:
            raise InvalidInput(
                f"filter[{name}]: unknown dimension for {definition.family}"
                f" (expected one of {_allowed(dimensions)})"
            )
    if not filters or (len(filters) == 1 and grouping in ("day", *filters)):
        return False
    known = ("day", *definition.facts.dimensions) if definition.facts else ()
    combined = [name for name in definition.groupings if name in known]
    if grouping not in combined:
        given = " and ".join(f"filter[{name}]" for name in filters)
        raise InvalidInput(
            f"group_by: {grouping} cannot be combined with {given} for {definition.family}"
            f" (filters combine with each other and with group_by {_allowed(combined) or 'day only'})"
        )
    return True


def _chosen(measures: str | None, offered: tuple[str, ...], family: str, grouping: str) -> list[str]:
    if measures is None:
        return list(offered)
    chosen = [m.strip() for m in measures.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in offered]
    if not chosen or unknown:
        raise InvalidInput(
            f"measures: unknown measure '{unknown[0] if unknown else measures}' for {family} by {grouping}"
            f" (expected one or more of {_allowed(offered)})"
        )
    return list(dict.fromkeys(chosen))


def _stored(definition: Measures, chosen: list[str], counts: tuple[str, ...]) -> list[str]:
    needed: list[str] = []
    for name in chosen:
        ratio = definition.ratios.get(name)
        needed.extend((ratio.numerator, ratio.denominator) if ratio else (name,))
    return [name for name in dict.fromkeys(needed) if name in counts or name in definition.counts]


def _public(definition: Measures, measure: str, extra: list[str]) -> str:
    prefix = definition.dynamic_prefix
    if prefix and measure.startswith(prefix):
        name = measure.removeprefix(prefix)
        if name not in extra:
            extra.append(name)
        return name
    return measure


def _measured(definition: Measures, names: list[str], values: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        ratio = definition.ratios.get(name)
        if ratio is None:
            out[name] = values.get(name, 0)
        else:
            out[name] = _rate(values.get(ratio.numerator, 0), values.get(ratio.denominator, 0))
    return out


def _rate(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    return round(numerator / denominator, 4)


def _days(begin: datetime, stop: datetime, zone: ZoneInfo) -> Iterator[str]:
    day = begin.astimezone(zone).date()
    last = (stop - timedelta(microseconds=1)).astimezone(zone).date()
    while day <= last:
        yield day.isoformat()
        day += timedelta(days=1)


# --- funnels --------------------------------------------------------------------------------------------


def funnel(
    session: Session,
    *,
    app_id: str,
    family: str | None,
    steps: str | None,
    window: str | None,
    start: str | None,
    end: str | None,
    tz: str | None,
    step_windows: str | None = None,
    exclude: str | None = None,
    campaign: str | None = None,
    filters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Journeys whose first step happened in [from, to), and how many went on to reach each next step, in
    order, within ``window`` of their first and within each step's own window of the step before. A
    journey that did an exclusion step between the two steps it names counts in no step (as PostHog).
    ``filters`` keep the journeys whose first step's event is counted under each filter's value (the
    dimensions the metrics count that event under)."""
    definition = definition_of(family)
    filters = _known_filters(definition, filters)
    names = [s.strip() for s in (steps or "").split(",") if s.strip()]
    if not names or len(names) > MAX_STEPS:
        raise InvalidInput(f"steps: give 1 to {MAX_STEPS} steps, comma-separated (from {_known(definition)})")
    plan = FunnelPlan(
        [_step(definition, name, "steps") for name in names],
        window_of(window),
        _step_windows(step_windows, len(names)),
        _exclusions(definition, exclude, len(names)),
        _first_step_test(definition, filters),
        filters,
    )
    if campaign is not None and "campaign" not in definition.groupings:
        raise InvalidInput(f"campaign: {definition.family} has no campaigns")
    begin, stop = time_range(start, end, zone_of(tz))
    require_app(session, app_id)
    reached, excluded = plan.count(session, app_id, definition.family, begin, stop, campaign)
    return {
        "family": definition.family,
        "steps": _step_views(names, reached, plan.step_windows),
        "window": window or "P7D",
        "exclude": [
            {"step": e.name, "from_step": e.after + 1, "to_step": e.before + 1} for e in plan.exclusions
        ],
        "excluded": excluded,
        "campaign": campaign,
        "filters": filters,
        "from": begin.isoformat(),
        "to": stop.isoformat(),
    }


def _known_filters(definition: Measures, filters: dict[str, str] | None) -> dict[str, str]:
    filters = dict(filters or {})
    for name in filters:
        if name not in filterable(definition):
            raise InvalidInput(
                f"filter[{name}]: unknown dimension for {definition.family}"
                f" (expected one of {_allowed(filterable(definition))})"
            )
    return filters


def _step_views(
    names: list[str], reached: list[int], windows: list[timedelta | None]
) -> list[dict[str, Any]]:
    """Each step's journeys, their share of the first step's and of the step before's, and its window."""
    return [
        {
            "step": name,
            "count": count,
            "conversion": _rate(count, reached[0]),
            "from_previous": _rate(count, reached[index - 1]) if index else _rate(count, count),
            "window": _duration_text(limit) if limit is not None else None,
        }
        for index, (name, count, limit) in enumerate(zip(names, reached, windows, strict=True))
    ]


@dataclass
class _Journey:
    first: datetime  # when it did the first step
    last: datetime  # when it did the last step it reached
    done: int = 0  # steps reached
    excluded: bool = False


@dataclass(frozen=True)
class Exclusion:
    """A step that drops a journey which does it after reaching step ``after`` and before ``before``
    (indexes from 0)."""

    name: str
    step: Step
    after: int
    before: int


@dataclass(frozen=True)
class FunnelPlan:
    steps: list[Step]
    window: timedelta  # from the first step
    step_windows: list[timedelta | None]  # from the step before (none for the first)
    exclusions: list[Exclusion]
    starts: Callable[[str, dict[str, Any]], bool] | None = None  # the filters, on the first step's event
    filters: dict[str, str] = field(default_factory=dict)  # what ``starts`` tests, by dimension

    def alone(self, kind: str, payload: dict[str, Any]) -> int:
        """The steps a journey of this one event reaches (what ``advance`` does with a journey's first)."""
        if self.starts is not None and not self.starts(kind, payload):
            return 0
        done = 0
        while done < len(self.steps) and _matches(self.steps[done], kind, payload):
            done += 1
        return done

    def count(
        self,
        session: Session,
        app_id: str,
        family: str,
        begin: datetime,
        stop: datetime,
        campaign: str | None,
    ) -> tuple[list[int], int]:
        """(journeys per step, journeys excluded): from the rollups and the few journeys with more than
        their opening event where it can (admin.funnels), else reading the events in time order once."""
        counted = count_from_rollups(self, session, app_id, family, begin, stop, campaign)
        if counted is not None:
            return counted
        query = self.events_query(app_id, family, begin, stop).execution_options(yield_per=EXPORT_CHUNK)
        return self.tally(self.walk(session.execute(query), stop, campaign))

    def types(self) -> list[str]:
        return sorted({step.type for step in self.steps} | {e.step.type for e in self.exclusions})

    def events_query(self, app_id: str, family: str, begin: datetime, stop: datetime) -> Any:
        """The events a funnel reads, in time order: its steps' types, from ``begin`` up to a window after
        ``stop``."""
        return (
            select(EVENTS.c.journey_id, EVENTS.c.type, EVENTS.c.payload, EVENTS.c.created_at)
            .where(
                tenant(EVENTS.c, app_id),
                EVENTS.c.family == family,
                EVENTS.c.type.in_(self.types()),
                EVENTS.c.created_at >= begin,
                EVENTS.c.created_at < stop + self.window,
            )
            .order_by(EVENTS.c.created_at, EVENTS.c.id)
        )

    def walk(self, rows: Iterable[Any], stop: datetime, campaign: str | None) -> dict[str, _Journey]:
        """Each journey that did the first step before ``stop``, moved through ``rows`` (in time order)."""
        journeys: dict[str, _Journey] = {}
        for journey_id, kind, payload, at in rows:
            payload = payload or {}
            if campaign is not None and payload.get("campaign_id") != campaign:
                continue
            state = journeys.get(journey_id)
            if state is None:
                if at >= stop or not _matches(self.steps[0], kind, payload):
                    continue
                if self.starts is not None and not self.starts(kind, payload):
                    continue
                state = journeys[journey_id] = _Journey(first=at, last=at)
            self.advance(state, kind, payload, at)
        return journeys

    def tally(self, journeys: dict[str, _Journey]) -> tuple[list[int], int]:
        reached = [0] * len(self.steps)
        for state in journeys.values():
            for index in range(0 if state.excluded else state.done):
                reached[index] += 1
        return reached, sum(1 for state in journeys.values() if state.excluded)

    def advance(self, state: _Journey, kind: str, payload: dict[str, Any], at: datetime) -> None:
        if state.excluded or at > state.first + self.window:
            return
        moved = False
        while state.done < len(self.steps) and _matches(self.steps[state.done], kind, payload):
            limit = self.step_windows[state.done]
            if state.done and limit is not None and at > state.last + limit:
                break
            state.done, state.last, moved = state.done + 1, at, True
        if not moved and state.done and _matches(self.steps[state.done - 1], kind, payload):
            state.last = at  # the step again: the next step's own window counts from its latest time
        elif not moved:
            state.excluded = any(
                e.after < state.done <= e.before and _matches(e.step, kind, payload) for e in self.exclusions
            )


def _first_step_test(
    definition: Measures, filters: dict[str, str]
) -> Callable[[str, dict[str, Any]], bool] | None:
    """Whether a journey's first event is counted under every filter's value: the family's own
    ``contribute`` says which dimensions the event names, and their values (as the rollups keep them)."""
    if not filters:
        return None

    def starts(kind: str, payload: dict[str, Any]) -> bool:
        for dims, _ in definition.contribute({"type": kind, "payload": payload}):
            if all(name in dims and rollups.value_text(dims[name]) == v for name, v in filters.items()):
                return True
        return False

    return starts


def _known(definition: Measures) -> str:
    return ", ".join(definition.steps) + (", or a campaign status" if definition.dynamic_step else "")


def _step(definition: Measures, name: str, parameter: str) -> Step:
    step = definition.steps.get(name)
    if step is None and definition.dynamic_step is not None and _STEP_NAME.fullmatch(name):
        step = definition.dynamic_step(name)
    if step is None:
        known = _known(definition)
        raise InvalidInput(
            f"{parameter}: unknown step '{name}' for {definition.family} (expected one of {known})"
        )
    return step


def _step_windows(value: str | None, count: int) -> list[timedelta | None]:
    """``step_windows``: one duration per step after the first (empty: only the funnel's window)."""
    if not value:
        return [None] * count
    parts = [part.strip() for part in value.split(",")]
    if len(parts) != count - 1:
        raise InvalidInput(
            f"step_windows: give one duration (or nothing) for each step after the first: {count - 1},"
            f" comma-separated, e.g. PT1H,,P1D"
        )
    return [None, *(window_of(part, "step_windows") if part else None for part in parts)]


_EXCLUSION = re.compile(r"^([^@]+?)(?:@(\d+)-(\d+))?$")


def _exclusions(definition: Measures, value: str | None, count: int) -> list[Exclusion]:
    """``exclude``: steps, each ``NAME`` (between the first and the last step) or ``NAME@A-B`` (between
    step A and step B, counted from 1)."""
    out: list[Exclusion] = []
    for part in (p.strip() for p in (value or "").split(",") if p.strip()):
        found = _EXCLUSION.match(part)
        low, high = (int(found[2]), int(found[3])) if found and found[2] else (1, count)
        if found is None or not 1 <= low < high <= count:
            raise InvalidInput(
                f"exclude: '{part}' is not NAME or NAME@A-B with 1 <= A < B <= {count} (the steps' numbers)"
            )
        name = found[1].strip()
        out.append(Exclusion(name, _step(definition, name, "exclude"), low - 1, high - 1))
    return out


def _duration_text(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    return f"P{f'{days}D' if days else ''}{f'T{time}' if time else ''}"


def _matches(step: Step, kind: str, payload: dict[str, Any]) -> bool:
    return step.type == kind and (step.test is None or step.test(payload))


# --- journeys -------------------------------------------------------------------------------------------

MAX_JOURNEY_EVENTS = 10_000


def journey(session: Session, *, app_id: str, family: str, journey_id: str) -> dict[str, Any]:
    definition_of(family)
    rows = session.execute(
        select(EVENTS)
        .where(tenant(EVENTS.c, app_id), EVENTS.c.family == family, EVENTS.c.journey_id == journey_id)
        .order_by(EVENTS.c.created_at, EVENTS.c.id)
        .limit(MAX_JOURNEY_EVENTS)
    ).all()
    if not rows:
        raise NotFound(f"no {family} journey '{journey_id}' in app '{app_id}'")
    events = [
        {
            "id": row.id,
            "type": row.type,
            "user_id": row.user_id,
            "payload": row.payload,
            "created_at": row.created_at.isoformat(),
        }
        for row in rows
    ]
    return {
        "family": family,
        "journey_id": journey_id,
        "started_at": events[0]["created_at"],
        "last_at": events[-1]["created_at"],
        "events": events,
    }


# --- CSV ------------------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    return value


def _text(rows: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def metrics_csv(answer: dict[str, Any]) -> Iterator[bytes]:
    names = answer["measures"]
    yield _text([[answer["group_by"], *names]]).encode()
    for row in answer["rows"]:
        yield _text([[row["key"], *(row.get(n) for n in names)]]).encode()
    yield _text([["total", *(answer["totals"].get(n) for n in names)]]).encode()


def funnel_csv(answer: dict[str, Any]) -> Iterator[bytes]:
    yield _text([["step", "count", "conversion", "from_previous"]]).encode()
    for s in answer["steps"]:
        yield _text([[s["step"], s["count"], s["conversion"], s["from_previous"]]]).encode()


def export_plan(
    session: Session, *, app_id: str, family: str, start: str | None, end: str | None, tz: str | None
) -> tuple[Any, list[str], str]:
    """Check the request before a byte is sent: the query, its columns and the file's name."""
    definition = definition_of(family)
    if definition.export is None:
        raise InvalidInput(f"family: {family} has nothing to export")
    begin, stop = time_range(start, end, zone_of(tz))
    require_app(session, app_id)
    table = definition.export.table
    time_column = table.c[definition.export.time_column]
    query = (
        select(table)
        .where(tenant(table.c, app_id), time_column >= begin, time_column < stop)
        .order_by(time_column, *table.primary_key.columns)
    )
    columns = [column.name for column in table.columns]
    return query, columns, f"{app_id}-{family}-{definition.export.name}.csv"


def stream_rows(engine: Engine, query: Any, columns: list[str]) -> Iterator[bytes]:
    """The CSV of ``query``, a chunk of rows at a time from a server-side cursor: constant memory."""
    yield _text([columns]).encode()
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=EXPORT_CHUNK).execute(query)
        for chunk in result.partitions(EXPORT_CHUNK):
            yield _text(chunk).encode()
