"""The admin view of the outbox: deliveries (webhooks, vendor callbacks, postbacks) with their state and
last error, replaying dead letters, and a test message to an app's webhooks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.config.document import hide_query_values
from ..core.journeys import outbox, webhooks
from ..core.journeys.events import OUTBOX, event_row
from ..core.journeys.outbound import hide_userinfo
from ..core.journeys.outbox import OutboxMessage
from ..core.tenancy import apps as tenancy
from ..core.tenancy import audit
from ..core.tenancy.access import Actor
from ..core.tenancy.apps import tenant
from ..core.web.errors import Conflict, NotFound, clip


def deliveries_page(
    session: Session, *, app_id: str, status: str | None, topic: str | None, after: int | None, limit: int
) -> dict[str, Any]:
    """Newest first, keyset-paginated on id (``after`` = the last id seen)."""
    with session.begin():
        tenancy.get_app(session, app_id)
        query = select(OutboxMessage).where(tenant(OutboxMessage, app_id))
        if status is not None:
            query = query.where(OutboxMessage.status == status)
        if topic is not None:
            query = query.where(OutboxMessage.topic == topic)
        if after is not None:
            query = query.where(OutboxMessage.id < after)
        rows = list(session.scalars(query.order_by(OutboxMessage.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    items = [delivery_view(row) for row in rows[:limit]]
    return {"items": items, "next_after": items[-1]["id"] if more else None}


def delivery_view(row: OutboxMessage) -> dict[str, Any]:
    return {
        "id": row.id,
        "topic": row.topic,
        "event": row.headers.get("X-Clicktrail-Event"),
        "method": row.method,
        "url": hide_userinfo(hide_query_values(row.url)),  # postback keys, callback signatures, passwords
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "next_attempt_at": row.next_attempt_at if row.status == "pending" else None,
        "created_at": row.created_at,
        "delivered_at": row.delivered_at,
    }


def replay_one(session: Session, actor: Actor, *, app_id: str, delivery_id: int) -> dict[str, Any]:
    with session.begin():
        tenancy.get_app(session, app_id)
        row = session.scalar(
            select(OutboxMessage).where(tenant(OutboxMessage, app_id), OutboxMessage.id == delivery_id)
        )
        if row is None:
            raise NotFound(f"delivery {delivery_id} not found")
        if row.status != "dead":
            raise Conflict(f"delivery {delivery_id} is {row.status}: only dead letters are replayed")
        outbox.replay(session, app_id=app_id, message_id=delivery_id)
        audit.record(session, actor, "delivery.replay", f"delivery {delivery_id}", app_id=app_id)
    return {"replayed": 1}


def replay_dead(session: Session, actor: Actor, *, app_id: str) -> dict[str, Any]:
    with session.begin():
        tenancy.get_app(session, app_id)
        replayed = outbox.replay(session, app_id=app_id)
        audit.record(
            session,
            actor,
            "delivery.replay",
            "every dead delivery",
            app_id=app_id,
            detail=f"{replayed} replayed",
        )
        return {"replayed": replayed}


def send_test(session: Session, actor: Actor, *, app_id: str, url: str | None) -> dict[str, Any]:
    """A ``webhook.test`` message to each of the app's webhooks (or the one at ``url``), whatever events
    they subscribe to. It is not a journey event: analytics never see it."""
    with session.begin():
        tenancy.get_app(session, app_id)
        subscriptions = [
            (hook_id, hook_url, ["*"])
            for hook_id, hook_url, _ in session.execute(webhooks.subscriptions_query(app_id))
            if url is None or hook_url == url
        ]
        if not subscriptions:
            raise NotFound("no webhook to test" if url is None else f"no webhook with url {clip(url)}")
        event = event_row(
            app_id=app_id, family="admin", journey_id="test", type="webhook.test", payload={"test": True}
        )
        messages = webhooks.outbox_rows(event, subscriptions)
        inserted = [session.execute(OUTBOX.insert().values(**message)) for message in messages]
        ids = [result.inserted_primary_key[0] for result in inserted]  # type: ignore[attr-defined]  # DML: CursorResult
        target = "every webhook" if url is None else hide_userinfo(hide_query_values(url))
        audit.record(session, actor, "webhook.test", target, app_id=app_id)
    outbox.nudge()
    return {"deliveries": ids}
