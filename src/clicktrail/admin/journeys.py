"""Recent journeys, newest first, optionally those a search term finds: a journey or user id (exactly),
or any text of an event's payload (an email, a click or session id, a utm value), case-insensitively.

It reads the app's newest ``SCANNED`` matching events (by id, on the app's id index) and groups them by
journey: a search finds what happened lately, not in the whole history (the raw export is for that)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session

from ..core import tenancy
from ..core.events import EVENTS
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
