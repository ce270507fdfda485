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
from ..core.events import EVENTS, JourneyEvent, event_view, latest_event_id
from ..core.ids import utcnow
from ..core.tenancy import tenant

SCANNED = 5000


def recent_journeys(session: Session, *, app_id: str, q: str | None, limit: int) -> dict[str, Any]:
    with session.begin():
        tenancy.get_app(session, app_id)
        query = select(EVENTS).where(tenant(EVENTS.c, app_id))
        if q:
            payload_text = func.lower(cast(EVENTS.c.payload, Text))
            query = query.where(
                or_(
                    EVENTS.c.journey_id == q,
                    EVENTS.c.user_id == q,
                    payload_text.contains(q.lower(), autoescape=True),
                )
            )
        rows = session.execute(query.order_by(EVENTS.c.id.desc()).limit(SCANNED)).all()
    return {"items": _by_journey(rows)[:limit]}


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
    whether the range lay within them."""
    since = utcnow() - timedelta(minutes=minutes)
    with session.begin():
        tenancy.get_app(session, app_id)
        newest = session.scalars(
            select(JourneyEvent)
            .where(tenant(JourneyEvent, app_id))
            .order_by(JourneyEvent.id.desc())
            .limit(LIVE_SCANNED)
        ).all()
        last_id = newest[0].id if newest else latest_event_id(session, app_id)
        recent = [event for event in newest if event.created_at >= since]
        views = [event_view(event) for event in recent]
    return {
        "since": since,
        "visitors": len({visitor(view) for view in views}),
        "events": views[:LIVE_SHOWN],
        "matched": len(views),
        "last_id": last_id,
        "complete": len(newest) < LIVE_SCANNED or len(recent) < len(newest),
    }


def visitor(event: dict[str, Any]) -> str:
    """Who an event is from: its user, else its client address, else its journey."""
    payload = event.get("payload") or {}
    if event.get("user_id"):
        return f"user:{event['user_id']}"
    if payload.get("ip"):
        return f"ip:{payload['ip']}"
    return f"journey:{event['journey_id']}"
