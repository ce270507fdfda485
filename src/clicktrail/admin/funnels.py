"""A funnel over many journeys without reading every one of them.

Most journeys of a family with an opening event (``Measures.opening``: a partners click and its one
``click.created``) hold that event alone among the funnel's steps: such a journey reaches the steps its
one event matches in a row, and the rollups already count those events per hour (``clicks``, and a step
with a ``measure`` such as ``unique_clicks``). So the funnel is:

- over the whole UTC hours of the range, the rollups' counts;
- over the partial hours at its edges, the opening events themselves;
- under two filters or more, which no rollup counts together: the range's opening events themselves,
  counted by one SQL statement (``Opening.events``: their dimensions and step measures as SQL);
- then the journeys that did any other step or exclusion in the funnel's span (a registration): read
  whole and walked as :meth:`FunnelPlan.count` walks every journey, each replacing what its opening
  event alone was counted as.

The answer is the full walk's to the journey: the rollups are used only while the stored opening events
are exactly those they counted (see ``_all_stored``: no erasure noted, and the oldest counted hour whole);
after an erasure or a retention purge removed some, the full walk runs (unless two filters or more have the
stored events counted themselves). Campaign funnels (signage) have
no opening event and always walk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from ..core.journeys import rollups
from ..core.journeys.facts import sums as sums_of_facts
from ..core.journeys.log import EVENTS
from ..core.journeys.rollups import ALL, ROLLUPS, Measures, Opening, Step
from ..core.tenancy.apps import tenant


class FunnelPlan(Protocol):
    """What a funnel's plan (``analytics.FunnelPlan``) offers the count: its steps and filters, how far one
    event alone takes a journey, and the full walk for the journeys that did more."""

    @property
    def steps(self) -> list[Step]: ...
    @property
    def window(self) -> timedelta: ...
    @property
    def filters(self) -> dict[str, str]: ...

    def alone(self, kind: str, payload: dict[str, Any]) -> int: ...
    def types(self) -> list[str]: ...
    def events_query(self, app_id: str, family: str, begin: datetime, stop: datetime) -> Any: ...
    def walk(self, rows: Iterable[Any], stop: datetime, campaign: str | None) -> Any: ...
    def tally(self, journeys: Any) -> tuple[list[int], int]: ...


JOURNEYS_PER_READ = 500  # journey ids per IN list


def count_from_rollups(
    plan: FunnelPlan,
    session: Session,
    app_id: str,
    family: str,
    begin: datetime,
    stop: datetime,
    campaign: str | None,
) -> tuple[list[int], int] | None:
    """(journeys per step, journeys excluded) as the full walk counts them, or None where the lone opening
    events cannot be counted apart (no opening event, a campaign; for the rollups: a range within an hour,
    rows deleted since counted). No filter or one reads the rollups (of its value); two or more count the
    opening events themselves (``Opening.events``). The events read here pass through ``plan.alone`` and
    the walk, as in the full walk."""
    definition = rollups.definitions().get(family)
    opening = definition.opening if definition else None
    if opening is None or campaign is not None or plan.steps[0].type != opening.type:
        return None
    assert definition is not None
    measures = _alone_measures(plan.steps, opening)
    if measures is None:
        return None
    if len(plan.filters) > 1:
        alone = _alone_in_events(session, opening, app_id, measures, plan.filters, begin, stop)
    else:
        alone = _alone_in_rollups(plan, session, definition, opening, app_id, measures, begin, stop)
    if alone is None:
        return None
    reached = alone + [0] * (len(plan.steps) - len(alone))
    others = [kind for kind in plan.types() if kind != opening.type]
    excluded = 0
    for journeys in _chunks(_with_more(session, app_id, family, others, begin, stop + plan.window)):
        query = plan.events_query(app_id, family, begin, stop).where(EVENTS.c.journey_id.in_(journeys))
        rows = session.execute(query).all()
        for _, kind, payload, at in rows:
            if kind == opening.type and at < stop:  # counted above as a journey of this event alone
                _add(reached, plan.alone(kind, payload or {}), -1)
        walked, dropped = plan.tally(plan.walk(rows, stop, None))
        _add_all(reached, walked)
        excluded += dropped
    return reached, excluded


def _alone_in_rollups(
    plan: FunnelPlan,
    session: Session,
    definition: Measures,
    opening: Opening,
    app_id: str,
    measures: list[str],
    begin: datetime,
    stop: datetime,
) -> list[int] | None:
    """Per leading step of the opening type, the opening events in [begin, stop) that reach it alone:
    the whole hours from the rollups (under the one filter's value, if any), the partial hours at the
    edges from the events. None if the rollups cannot say."""
    first, last = _hour_after(begin), rollups.hour_of(stop)
    if first >= last or not _all_stored(session, app_id, definition.family, opening):
        return None
    stored = _stored(session, definition, app_id, opening, first, last, plan.filters)
    reached = [stored.get(measure, 0) for measure in measures]
    edges = (EVENTS.c.created_at >= begin) & (EVENTS.c.created_at < first)
    edges |= (EVENTS.c.created_at >= last) & (EVENTS.c.created_at < stop)
    for (payload,) in session.execute(
        select(EVENTS.c.payload).where(*_of(app_id, definition.family, opening.type), edges)
    ):
        _add(reached, plan.alone(opening.type, payload or {}), 1)  # never past the leading steps
    return reached


def _alone_in_events(
    session: Session,
    opening: Opening,
    app_id: str,
    measures: list[str],
    filters: dict[str, str],
    begin: datetime,
    stop: datetime,
) -> list[int] | None:
    """The same from one SQL statement (a sum per measure) over the opening events of [begin, stop) that
    have every filter's value (the rollups keep each dimension alone: none counts a combination). Read
    from the stored events themselves, it needs no check that the rollups still count them."""
    if opening.events is None or not set(measures) <= set(opening.events.measures):
        return None
    if session.get_bind().dialect.name == "postgresql":
        # once the scan's estimated cost passes jit_above_cost (more clicks), compiling it (JIT) takes about
        # as long as running it: 155-180 ms against 190 ms over 200,000 clicks (bench/RESULTS.md)
        session.execute(text("SET LOCAL jit = off"))
    found = sums_of_facts(
        session, opening.events, app_id=app_id, grouping=None, measures=measures, filters=filters,
        start=begin, end=stop, by_bucket=False,
    )  # fmt: skip
    totals = {measure: n for _, measure, n in found}
    return [totals.get(measure, 0) for measure in measures]


def _alone_measures(steps: list[Step], opening: Opening) -> list[str] | None:
    """Per leading step of the opening type, the measure counting the opening events that reach it alone
    (they match it and every step before); None if one of them has no such measure."""
    measures: list[str] = []
    tested: set[str] = set()
    for step in steps:
        if step.type != opening.type:
            break
        if step.test is not None:
            if step.measure is None:
                return None
            tested.add(step.measure)
        if len(tested) > 1:  # two different tests: their conjunction is counted nowhere
            return None
        measures.append(next(iter(tested)) if tested else opening.measure)
    return measures


def _hour_after(at: datetime) -> datetime:
    hour = rollups.hour_of(at)
    return hour if hour == at else hour + timedelta(hours=1)


def _of(app_id: str, family: str, kind: str) -> tuple[ColumnElement[bool], ...]:
    return tenant(EVENTS.c, app_id), EVENTS.c.family == family, EVENTS.c.type == kind


def _stored(
    session: Session,
    definition: Measures,
    app_id: str,
    opening: Opening,
    first: datetime,
    last: datetime,
    filters: dict[str, str],
) -> dict[str, int]:
    wanted = {opening.measure, *(s.measure for s in definition.steps.values() if s.measure)}
    dimension, value = next(iter(filters.items()), (ALL, None))
    sums = rollups.sums(
        session,
        app_id=app_id,
        family=definition.family,
        dimension=dimension,
        dim_value=value,
        measures=sorted(wanted),
        start=first,
        end=last,
        by_bucket=False,
    )
    return {measure: n for _, measure, n in sums}


def _all_stored(session: Session, app_id: str, family: str, opening: Opening) -> bool:
    """Whether every opening event the rollups counted is still stored, and no stored one went uncounted.
    Events go only by erasure, which the rollups note (``ERASED``), or by retention, which removes every
    event older than a time: then the oldest counted hour holds fewer stored events than counted (or none).
    Events stored before the rollups existed (until ``rollups-rebuild``) are older than every counted one:
    then the oldest stored event is older than the oldest counted hour."""
    rows = ROLLUPS.c
    of_family = (tenant(rows, app_id), rows.family == family, rows.dimension == ALL)
    erased = select(rows.count).where(*of_family, rows.measure == rollups.ERASED)
    if session.scalar(erased.limit(1)):
        return False
    oldest = session.scalar(select(func.min(rows.bucket)).where(*of_family, rows.measure == opening.measure))
    first_event = select(func.min(EVENTS.c.created_at)).where(*_of(app_id, family, opening.type))
    stored_first = session.scalar(first_event)
    if oldest is None or stored_first is None:
        return oldest is None and stored_first is None
    if rollups.hour_of(stored_first) != oldest:
        return False
    hour = (EVENTS.c.created_at >= oldest) & (EVENTS.c.created_at < oldest + timedelta(hours=1))
    stored = session.scalar(select(func.count()).where(*_of(app_id, family, opening.type), hour))
    counted = select(rows.count).where(*of_family, rows.measure == opening.measure, rows.bucket == oldest)
    return stored == session.scalar(counted.limit(1))


def _with_more(
    session: Session, app_id: str, family: str, kinds: list[str], begin: datetime, end: datetime
) -> list[str]:
    """The journeys with an event of ``kinds`` in [begin, end)."""
    if not kinds:
        return []
    query = (
        select(EVENTS.c.journey_id)
        .distinct()
        .where(
            tenant(EVENTS.c, app_id),
            EVENTS.c.family == family,
            EVENTS.c.type.in_(kinds),
            EVENTS.c.created_at >= begin,
            EVENTS.c.created_at < end,
        )
    )
    return sorted(session.scalars(query))


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), JOURNEYS_PER_READ):
        yield ids[start : start + JOURNEYS_PER_READ]


def _add(reached: list[int], steps: int, n: int) -> None:
    for index in range(steps):
        reached[index] += n


def _add_all(reached: list[int], more: list[int]) -> None:
    for index, n in enumerate(more):
        reached[index] += n
