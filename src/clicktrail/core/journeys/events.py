"""The journey event log: one append-only table that every family writes to and analytics and webhooks
read from. Families append inside their own transaction, so an event exists exactly when its change does,
and so do the webhook messages of the subscriptions it matches (written beside it, see ``webhooks``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..storage.db import table_of
from ..storage.ids import utcnow
from ..storage.writer import Tx
from ..tenancy.apps import tenant
from . import livestream, outbox, rollups, webhooks
from .log import EVENTS, JourneyEvent

OUTBOX = table_of(outbox.OutboxMessage)


def event_row(
    *,
    app_id: str,
    family: str,
    journey_id: str,
    type: str,
    user_id: str | None = None,
    payload: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """One event as a row, for a writer job to buffer (``tx.insert(EVENTS, row)``)."""
    return {
        "app_id": app_id,
        "family": family,
        "journey_id": journey_id,
        "user_id": user_id,
        "type": type,
        "payload": payload or {},
        "created_at": at or utcnow(),
    }


def append_event(tx: Tx, **fields: Any) -> None:
    """Append one event (the fields of :func:`event_row`) in a writer batch."""
    append_row(tx, event_row(**fields))


def append_row(tx: Tx, row: dict[str, Any]) -> None:
    """Append an :func:`event_row` in a writer batch: it commits exactly when the job's other writes do,
    and so do its webhook messages."""
    tx.insert(EVENTS, row)
    rollups.count_in_batch(tx, row)
    livestream.notify_in_batch(tx, row["app_id"])
    messages = webhooks.outbox_rows(row, _subscriptions(tx, row["app_id"]))
    for message in messages:
        tx.insert(OUTBOX, message)
    if messages:
        tx.after_commit(outbox.nudge)


def _subscriptions(tx: Tx, app_id: str) -> list[Any]:
    """The app's webhook subscriptions as of this batch: read once per app per batch, in its transaction."""
    return tx.memo(
        ("webhooks", app_id),
        lambda: list(tx.execute(webhooks.subscriptions_query(app_id), sees_buffered=False)),
    )


def record_event(session: Session, **fields: Any) -> None:
    """Append one event (the fields of :func:`event_row`) in the caller's transaction, with its webhook
    messages. ``type`` is dotted, family-first: ``click.created``."""
    row = event_row(**fields)
    session.execute(EVENTS.insert().values(**row))
    rollups.count_in_session(session, row)
    livestream.notify_in_session(session, row["app_id"])
    subscriptions = session.execute(webhooks.subscriptions_query(row["app_id"])).all()
    messages = webhooks.outbox_rows(row, subscriptions)
    if messages:
        session.execute(OUTBOX.insert(), messages)
        event.listen(session, "after_commit", lambda _: outbox.nudge(), once=True)


def list_events(
    session: Session,
    *,
    app_id: str,
    family: str | None = None,
    type: str | None = None,
    journey_id: str | None = None,
    user_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after: int | None = None,
    limit: int = 100,
) -> list[JourneyEvent]:
    """Oldest first, keyset-paginated on id (``after`` = the last id seen)."""
    query = select(JourneyEvent).where(tenant(JourneyEvent, app_id))
    if family is not None:
        query = query.where(JourneyEvent.family == family)
    if type is not None:
        query = query.where(JourneyEvent.type == type)
    if journey_id is not None:
        query = query.where(JourneyEvent.journey_id == journey_id)
    if user_id is not None:
        query = query.where(JourneyEvent.user_id == user_id)
    if since is not None:
        query = query.where(JourneyEvent.created_at >= since)
    if until is not None:
        query = query.where(JourneyEvent.created_at <= until)
    if after is not None:
        query = query.where(JourneyEvent.id > after)
    return list(session.scalars(query.order_by(JourneyEvent.id).limit(limit)))


def latest_event_id(session: Session, app_id: str) -> int:
    """The id of the app's newest event (0: none yet): where a live reader starts."""
    newest = session.scalar(select(func.max(JourneyEvent.id)).where(tenant(JourneyEvent, app_id)))
    return int(newest or 0)


def event_view(event: Any) -> dict[str, Any]:
    """An event (a ``JourneyEvent`` or a row of ``EVENTS``) as the API shows it."""
    return {
        "id": event.id,
        "family": event.family,
        "journey_id": event.journey_id,
        "user_id": event.user_id,
        "type": event.type,
        "payload": event.payload,
        "created_at": event.created_at,
    }
