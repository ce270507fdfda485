"""Webhooks: an app's subscriptions to its journey events, and their signed delivery through the outbox.

Every journey event an app's subscription matches becomes one outbox message, written in the same
transaction as the event (``fan_out``), so a webhook exists exactly when its event does. The outbox
worker sends it as JSON signed with the subscription's secret (``signing``: ``X-Clicktrail-Signature``
over the body, signed when sent), with ``X-Clicktrail-Event`` (the event type) and
``X-Clicktrail-Delivery`` (the message id, the same on every retry: receivers deduplicate on it). The
signing secret has to be recoverable to sign with, so unlike credential secrets it is kept as given; no
answer of the API ever shows it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from ..storage.db import Base, JSONType, UTCDateTime
from ..storage.ids import new_uuid7, utcnow
from ..tenancy.apps import tenant

TOPIC = "webhook"


class Webhook(Base):
    __tablename__ = "webhooks"
    __table_args__ = (UniqueConstraint("app_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    secret: Mapped[str] = mapped_column(String(255))
    events: Mapped[list[str]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def matches(patterns: Iterable[str], family: str, event_type: str) -> bool:
    """Whether a subscription's patterns (``core.config.EventPattern``: "*", "click.created", "click.*",
    "partners.click.created", "partners.*") take an event."""
    names = (event_type, f"{family}.{event_type}")
    for pattern in patterns:
        if pattern == "*" or pattern in names:
            return True
        if pattern.endswith(".*") and any(name.startswith(pattern[:-1]) for name in names):
            return True
    return False


def subscriptions_query(app_id: str) -> Any:
    """(id, url, event patterns) of the app's subscriptions."""
    columns = (Webhook.id, Webhook.url, Webhook.events)
    return select(*columns).where(tenant(Webhook, app_id)).order_by(Webhook.id)


def message_body(event: dict[str, Any], message_id: str) -> str:
    """What a receiver gets: the event, with the message id it can deduplicate on."""
    return orjson.dumps(
        {
            "id": message_id,
            "app_id": event["app_id"],
            "family": event["family"],
            "type": event["type"],
            "journey_id": event["journey_id"],
            "user_id": event["user_id"],
            "payload": event["payload"],
            "created_at": event["created_at"].isoformat(),
        },
        default=str,  # amounts are Decimals
    ).decode()


def outbox_rows(event: dict[str, Any], subscriptions: Iterable[Any]) -> list[dict[str, Any]]:
    """One outbox row per subscription the event matches (``event`` is an ``event_row``)."""
    rows = []
    for hook_id, url, patterns in subscriptions:
        if matches(patterns, event["family"], event["type"]):
            message_id = f"msg_{new_uuid7()}"
            rows.append(
                {
                    "app_id": event["app_id"],
                    "topic": TOPIC,
                    "method": "POST",
                    "url": url,
                    "headers": {"X-Clicktrail-Event": event["type"], "X-Clicktrail-Delivery": message_id},
                    "body": message_body(event, message_id),
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": event["created_at"],
                    "created_at": event["created_at"],
                    "webhook_id": hook_id,
                }
            )
    return rows
