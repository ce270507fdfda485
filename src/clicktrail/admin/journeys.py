"""Recent journeys, and the live view's summary.

Recent journeys, newest first, optionally those a search term finds: a journey or user id (exactly),
or any text of an event's payload (an email, a click or session id, a utm value), case-insensitively.

It reads the app's newest ``SCANNED`` matching events (by id, on the app's id index) and groups them by
journey: a search finds what happened lately, not in the whole history (the raw export is for that)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session

from ..core import tenancy
from ..core.events import EVENTS, event_view, latest_event_id
from ..core.ids import utcnow
from ..core.tenancy import tenant

SCANNED = 5000
SEARCH_WINDOWS = (20_000, 80_000)  # the newest event ids a search reads first (PostgreSQL), in two reads


def recent_journeys(session: Session, *, app_id: str, q: str | None, limit: int) -> dict[str, Any]:
    """Two reads: the newest ``SCANNED`` matching events' ids and journeys (no payloads), then the rows of
    the ``limit`` journeys shown among them (a payload is decoded only for what the list shows)."""
    with session.begin():
        tenancy.get_app(session, app_id)
        query = select(EVENTS.c.id, EVENTS.c.family, EVENTS.c.journey_id).where(tenant(EVENTS.c, app_id))
        if q:
            payload_text = func.lower(cast(EVENTS.c.payload, Text))
            query = query.where(
                or_(
                    EVENTS.c.journey_id == q,
                    EVENTS.c.user_id == q,
                    payload_text.contains(q.lower(), autoescape=True),
                )
            )
        shown: dict[tuple[str, str], list[int]] = {}  # newest journey first: its scanned events' ids
        windowed = q and session.get_bind().dialect.name == "postgresql"
        matching = (
            _newest(session, app_id, query) if windowed else session.execute(_first(query, SCANNED)).all()
        )
        for event_id, family, journey_id in matching:
            ids = shown.get((family, journey_id))
            if ids is None and len(shown) < limit:
                ids = shown[(family, journey_id)] = []
            if ids is not None:
                ids.append(event_id)
        wanted = [event_id for ids in shown.values() for event_id in ids]
        rows = session.execute(
            select(EVENTS)
            .where(tenant(EVENTS.c, app_id), EVENTS.c.id.in_(wanted))
            .order_by(EVENTS.c.id.desc())
        )
        return {"items": _by_journey(rows.all())}


def _first(query: Any, count: int) -> Any:
    return query.order_by(EVENTS.c.id.desc()).limit(count)


def _newest(session: Session, app_id: str, query: Any) -> list[Any]:
    """The newest ``SCANNED`` rows of a search (the same rows as one read), read first in two windows of
    the newest ids, then in one read of the rest. In one read PostgreSQL expects few matches, so it reads
    every event of the app, tests each and sorts the matches (8 s over 1M events, even for a term in
    every other event); a window is a walk of the app's id index, where a common term is found at once.
    A rare one still needs the whole read. (SQLite walks the index in one read already.)"""
    high = session.scalar(select(func.max(EVENTS.c.id)).where(tenant(EVENTS.c, app_id)))
    found: list[Any] = []
    top = high or 0
    for span in SEARCH_WINDOWS:
        bottom = top - span
        window = query.where(EVENTS.c.id > bottom, EVENTS.c.id <= top)
        found += session.execute(_first(window, SCANNED - len(found))).all()
        top = bottom
        if len(found) >= SCANNED or top <= 0:
            return found
    return [*found, *session.execute(_first(query.where(EVENTS.c.id <= top), SCANNED - len(found)))]


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
