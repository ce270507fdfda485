"""Tables of the signage family: campaigns and the app's settings (from config), sessions (one per QR scan),
orphan scans (a scan that opened no session) and coupon pools."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..core.storage.db import Base, JSONType, UTCDateTime
from ..core.storage.ids import utcnow


class Campaign(Base):
    __tablename__ = "signage_campaigns"

    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    form_url: Mapped[str] = mapped_column(String(2048))
    statuses: Mapped[list[str]] = mapped_column(JSONType)
    coupon_after: Mapped[str] = mapped_column(String(64))
    session_ttl_seconds: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Limits (config) and the scans that opened a session, moved on by the writer under a row lock.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_clicks: Mapped[int | None] = mapped_column(BigInteger)
    clicks_used: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Settings(Base):
    """The app's signage settings beside its campaigns: where a scan that opens no session is sent."""

    __tablename__ = "signage_settings"

    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    fallback_url: Mapped[str | None] = mapped_column(String(2048))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrphanScan(Base):
    """A scan that opened no session (its campaign is unknown), sent to the app's ``fallback_url``.
    ``campaign_id`` is the id the QR code named."""

    __tablename__ = "signage_orphan_scans"
    __table_args__ = (Index("ix_signage_orphan_scans_app_created", "app_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    campaign_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(16))  # unknown_campaign | expired | limit_reached
    ip: Mapped[str | None] = mapped_column(String(45))
    country: Mapped[str | None] = mapped_column(String(2))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JourneySession(Base):
    """A shopper's journey through one campaign; its id is the vendor's ``session_id``."""

    __tablename__ = "signage_sessions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["app_id", "campaign_id"],
            ["signage_campaigns.app_id", "signage_campaigns.id"],
            ondelete="CASCADE",
        ),
        Index("ix_signage_sessions_app_campaign_created", "app_id", "campaign_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(8))  # scan | api
    status: Mapped[str | None] = mapped_column(String(64))
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    coupon_code: Mapped[str | None] = mapped_column(String(64))
    coupon_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str | None] = mapped_column(String(45))
    country: Mapped[str | None] = mapped_column(String(2))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Coupon(Base):
    """One code of a campaign's pool. ``session_id`` is set once, when the code is issued."""

    __tablename__ = "signage_coupons"
    __table_args__ = (
        UniqueConstraint("app_id", "code"),
        UniqueConstraint("session_id"),
        ForeignKeyConstraint(
            ["app_id", "campaign_id"],
            ["signage_campaigns.app_id", "signage_campaigns.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(["session_id"], ["signage_sessions.id"], ondelete="CASCADE"),
        # The free part of each pool, in order: what a claim scans.
        Index(
            "ix_signage_coupons_free",
            "app_id",
            "campaign_id",
            "id",
            postgresql_where=text("session_id IS NULL"),
            sqlite_where=text("session_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # listed | generated
    session_id: Mapped[str | None] = mapped_column(String(36))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
