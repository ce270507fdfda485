"""Tables of the signage family: campaigns and the app's settings (from config), sessions (one per QR scan),
orphan scans (a scan that opened no session) and coupon pools."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
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


class Attributed:
    """Where a scan came from: its URL's UTM fields, sub-ids and ad click ids (``core.enrich.attribution``,
    whose ``FIELDS`` these are), None when not given."""

    utm_source: Mapped[str | None] = mapped_column(String(255))
    utm_medium: Mapped[str | None] = mapped_column(String(255))
    utm_campaign: Mapped[str | None] = mapped_column(String(255))
    utm_term: Mapped[str | None] = mapped_column(String(255))
    utm_content: Mapped[str | None] = mapped_column(String(255))
    sub1: Mapped[str | None] = mapped_column(String(255))
    sub2: Mapped[str | None] = mapped_column(String(255))
    sub3: Mapped[str | None] = mapped_column(String(255))
    sub4: Mapped[str | None] = mapped_column(String(255))
    sub5: Mapped[str | None] = mapped_column(String(255))
    gclid: Mapped[str | None] = mapped_column(String(255))
    fbclid: Mapped[str | None] = mapped_column(String(255))
    msclkid: Mapped[str | None] = mapped_column(String(255))


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
    """The app's signage settings beside its campaigns: where a scan that opens no session is sent, and the
    window within which a visitor's repeat scan of a campaign is a duplicate."""

    __tablename__ = "signage_settings"

    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    fallback_url: Mapped[str | None] = mapped_column(String(2048))
    # A scan of the same visitor on the same campaign within this many seconds is a "duplicate".
    duplicate_window_seconds: Mapped[int] = mapped_column(Integer, default=1800, server_default="1800")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrphanScan(Attributed, Base):
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


class JourneySession(Attributed, Base):
    """A shopper's journey through one campaign; its id is the vendor's ``session_id``. A session a scan
    opened keeps the scan's attribution and verdict; one the API opened has neither (verdict None)."""

    __tablename__ = "signage_sessions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["app_id", "campaign_id"],
            ["signage_campaigns.app_id", "signage_campaigns.id"],
            ondelete="CASCADE",
        ),
        Index("ix_signage_sessions_app_campaign_created", "app_id", "campaign_id", "created_at"),
        # A visitor's scans of a campaign: the last one decides a new scan's verdict (duplicate, unique).
        Index("ix_signage_sessions_visitor", "app_id", "campaign_id", "ip", "ua_hash", "created_at"),
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
    ua_hash: Mapped[str | None] = mapped_column(String(32))  # with ip: the visitor, as partners'
    # Ours, for analytics (``core.enrich.verdicts``): ok | bot | duplicate; None: opened by the API, or by
    # a scan before verdicts were kept. Never changes where the scan is sent.
    verdict: Mapped[str | None] = mapped_column(String(16))
    verdict_reason: Mapped[str | None] = mapped_column(String(32))
    is_unique: Mapped[bool | None] = mapped_column(Boolean)  # the visitor's first human scan that UTC day
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
