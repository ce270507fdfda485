"""Webhook subscriptions of an app. The signing secret has to be recoverable to sign with (HMAC-SHA256),
so unlike credential secrets it is kept as given; the admin API never shows it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base, JSONType, UTCDateTime
from .ids import utcnow


class Webhook(Base):
    __tablename__ = "webhooks"
    __table_args__ = (UniqueConstraint("app_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    secret: Mapped[str] = mapped_column(String(255))
    events: Mapped[list[str]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
