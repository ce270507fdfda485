"""Recent journeys, and the live view's summary.

Recent journeys, newest first, or those a search term finds. The term is looked up first as an exact
journey id, then as an exact user id, each on its index through the app's whole log; only when neither
matches is it sought in the payload text of the app's newest ``SEARCHED`` events (an email, a click or
session id, a utm value), case-insensitively. Testing payload text has no index, so that search is bounded
and says how many events it tested (``searched``); the events list pages through the whole history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from ..core.journeys.events import event_view, latest_event_id
from ..core.journeys.log import EVENTS
from ..core.scopes import family_names
from ..core.storage.ids import utcnow
from ..core.tenancy import apps as tenancy
from ..core.tenancy.apps import tenant

SCANNED = 5000  # the most events a list reads (the newest, or the newest an id search finds)
SEARCHED = 10_000  # the newest events a payload text search tests: its cost stays flat as the log grows


def recent_journeys(session: Session, *, app_id: str, q: str | None, limit: int) -> dict[str, Any]:
    """Two reads: the matching events' ids and journeys (no payloads), then the rows of the ``limit``
    journeys shown among them (a payload is decoded only for what the list shows). ``match`` says how
    ``q`` was found (``journey_id``, ``user_id`` or ``payload``); ``searched``, for a payload search, how
    many of the newest events it tested."""
    with session.begin():
        tenancy.get_app(session, app_id)
        events = select(EVENTS.c.id, EVENTS.c.family, EVENTS.c.journey_id).where(tenant(EVENTS.c, app_id))
        match: str | None = None
        searched: int | None = None
        if not q:
            matching = session.execute(_first(events, SCANNED)).all()
        else:
            match, matching, searched = _search(session, app_id, events, q)
        wanted = _shown_event_ids(matching, limit)
        rows = session.execute(
            select(EVENTS)
            .where(tenant(EVENTS.c, app_id), EVENTS.c.id.in_(wanted))
            .order_by(EVENTS.c.id.desc())
        )
        return {"items": _by_journey(rows.all()), "match": match, "searched": searched}


def _first(query: Any, count: int) -> Any:
    return query.order_by(EVENTS.c.id.desc()).limit(count)


def _search(session: Session, app_id: str, events: Any, q: str) -> tuple[str, list[Any], int | None]:
    """How ``q`` is found, the newest ``SCANNED`` events it finds and, for a payload search, how many
    events it tested. The journey index leads with the family: naming every family (the log holds only
    theirs) makes the lookup a few exact probes instead of a walk of all the app's entries."""
    by_journey = events.where(EVENTS.c.family.in_(family_names()), EVENTS.c.journey_id == q)
    if matching := session.execute(_first(by_journey, SCANNED)).all():
        return "journey_id", list(matching), None
    by_user = events.where(_same_user(session, q))
    if matching := session.execute(_first(by_user, SCANNED)).all():
        return "user_id", list(matching), None
    return "payload", *_search_payloads(session, app_id, events, q)


def _same_user(session: Session, user_id: str) -> Any:
    """``user_id = ?``; on SQLite marked unlikely: its statistics count the events without a user as one
    user's, so it would scan the whole table rather than the user index (0.5 s over 200,000 events)."""
    same = EVENTS.c.user_id == user_id
    return func.unlikely(same) if session.get_bind().dialect.name == "sqlite" else same


def _search_payloads(session: Session, app_id: str, events: Any, q: str) -> tuple[list[Any], int]:
    """The newest ``SCANNED`` of the app's newest ``SEARCHED`` events whose payload holds ``q``, and how
    many events were tested. The search reads the id range that was counted: events that arrive meanwhile
    lie above it, and are not tested on top of the count."""
    newest = select(EVENTS.c.id).where(tenant(EVENTS.c, app_id)).order_by(EVENTS.c.id.desc()).limit(SEARCHED)
    window = newest.subquery()
    searched, low, high = session.execute(
        select(func.count(), func.min(window.c.id), func.max(window.c.id))
    ).one()
    if not searched:
        return [], 0
    payload_text = func.lower(cast(EVENTS.c.payload, Text))
    query = events.where(EVENTS.c.id.between(low, high), payload_text.contains(q.lower(), autoescape=True))
    return list(session.execute(_first(query, SCANNED)).all()), searched


def _shown_event_ids(matching: Sequence[Any], limit: int) -> list[int]:
    """The ids of the matching events (newest first) of the first ``limit`` journeys among them."""
    shown: dict[tuple[str, str], list[int]] = {}
    for event_id, family, journey_id in matching:
        ids = shown.get((family, journey_id))
        if ids is None and len(shown) < limit:
            ids = shown[(family, journey_id)] = []
        if ids is not None:
            ids.append(event_id)
    return [event_id for ids in shown.values() for event_id in ids]


def _by_journey(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """One summary per journey, in the order of its newest event (``rows`` are newest first)."""
    journeys: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row.family, row.journey_id)
        seen = journeys.get(key)
        if seen is None:
            journeys[key] = {
                "family": row.family,
                "journey_id": row.journey_id,
                "user_id": row.user_id,
                "events": 1,
                "first_at": row.created_at,
                "last_at": row.created_at,
                "last_type": row.type,
                "utm_source": (row.payload or {}).get("utm_source"),
            }
            continue
        seen["events"] += 1
        seen["first_at"] = row.created_at
        seen["user_id"] = seen["user_id"] or row.user_id
        seen["utm_source"] = seen["utm_source"] or (row.payload or {}).get("utm_source")
    return list(journeys.values())


LIVE_SCANNED = 5000  # the newest events a live summary reads, whatever the range (its cost stays flat)
LIVE_SHOWN = 100


def live_summary(session: Session, *, app_id: str, minutes: int) -> dict[str, Any]:
    """The last ``minutes``' events (newest first, at most ``LIVE_SHOWN``) and visitors: distinct users,
    else client addresses, else journeys. Read from the app's newest ``LIVE_SCANNED`` events only (by id,
    on the app's index), so a busy app's summary stays as cheap as a quiet one's; ``complete`` says
    whether the range lay within them. Only the range's rows leave the database (a payload each)."""
    since = utcnow() - timedelta(minutes=minutes)
    with session.begin():
        tenancy.get_app(session, app_id)
        newest = (
            select(EVENTS.c.id, EVENTS.c.created_at)
            .where(tenant(EVENTS.c, app_id))
            .order_by(EVENTS.c.id.desc())
            .limit(LIVE_SCANNED)
            .subquery()
        )
        scanned, top = session.execute(select(func.count(), func.max(newest.c.id))).one()
        in_range = select(newest.c.id).where(newest.c.created_at >= since)
        rows = session.execute(
            select(EVENTS).where(EVENTS.c.id.in_(in_range)).order_by(EVENTS.c.id.desc())
        ).all()
        last_id = top if top is not None else latest_event_id(session, app_id)
        views = [event_view(row) for row in rows]
    return {
        "since": since,
        "visitors": len({visitor(view) for view in views}),
        "events": views[:LIVE_SHOWN],
        "matched": len(views),
        "last_id": last_id,
        "complete": scanned < LIVE_SCANNED or len(views) < scanned,
    }


def visitor(event: dict[str, Any]) -> str:
    """Who an event is from: its user, else its client address, else its journey."""
    payload = event.get("payload") or {}
    if event.get("user_id"):
        return f"user:{event['user_id']}"
    if payload.get("ip"):
        return f"ip:{payload['ip']}"
    return f"journey:{event['journey_id']}"
