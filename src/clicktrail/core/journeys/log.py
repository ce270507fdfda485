"""The journey event log's table: one append-only table that every family writes to and analytics and
webhooks read from (``events`` appends to it; ``rollups`` and ``facts`` count it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..storage.db import Base, JSONType, UTCDateTime, table_of
from ..storage.ids import utcnow


class JourneyEvent(Base):
    __tablename__ = "journey_events"
    __table_args__ = (
        Index("ix_journey_events_app_id_id", "app_id", "id"),
        Index("ix_journey_events_app_journey", "app_id", "family", "journey_id"),
        Index("ix_journey_events_app_type_id", "app_id", "type", "id"),
        Index("ix_journey_events_app_user_id", "app_id", "user_id", "id"),  # events?user_id=, people
        # A funnel's counts: a type's events over hours, and the journeys of a rarer type (admin.funnels).
        Index("ix_journey_events_app_type_time", "app_id", "family", "type", "created_at", "journey_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64))
    family: Mapped[str] = mapped_column(String(16))
    journey_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


EVENTS = table_of(JourneyEvent)
