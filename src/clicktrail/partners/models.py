"""Tables of the partners family: the app's links, banners and settings (from config), clicks, and the
profiles (with contacts) that registrations attach to clicks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.storage.db import Base, JSONType, UTCDateTime


class PartnerSettings(Base):
    """One row per app; ``version`` is bumped by every apply that changes links, banners or settings, so
    each process knows when its cached catalog is stale."""

    __tablename__ = "partner_settings"

    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    duplicate_window_seconds: Mapped[int] = mapped_column(Integer)
    blocked_networks: Mapped[list[str]] = mapped_column(JSONType)
    blocked_countries: Mapped[list[str]] = mapped_column(JSONType)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")  # link rules'
    fallback_url: Mapped[str | None] = mapped_column(String(2048))  # a link past its limits; none: 410
    version: Mapped[int] = mapped_column(Integer)


class PartnerLink(Base):
    __tablename__ = "partner_links"

    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    uri: Mapped[str] = mapped_column(String(2048))
    name: Mapped[str | None] = mapped_column(String(255))
    match_key: Mapped[str] = mapped_column(String(2400))  # host + path + referral, see links.match_key
    postback_url: Mapped[str | None] = mapped_column(String(2048))
    create_time: Mapped[datetime] = mapped_column(UTCDateTime)
    update_time: Mapped[datetime] = mapped_column(UTCDateTime)
    # Limits (config) and the clicks the link let through, moved on by the writer under a row lock.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    max_clicks: Mapped[int | None] = mapped_column(BigInteger)
    clicks_used: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # The redirect rules, in order, as the config gave them (config.LinkSpec.rules); none: no rules.
    rules: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)


class PartnerBanner(Base):
    __tablename__ = "partner_banners"

    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    link_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    cdn_file_url: Mapped[str | None] = mapped_column(String(2048))


class PartnerProfile(Base):
    __tablename__ = "partner_profiles"
    # Its index, led by app_id, also serves the app's profiles alone (partners.privacy.purge).
    __table_args__ = (UniqueConstraint("app_id", "uuid"),)

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64))
    first_name: Mapped[str | None] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))
    middle_name: Mapped[str | None] = mapped_column(String(255))
    full_name_lc: Mapped[str] = mapped_column(String(800))  # "first middle last", lowercased, for search
    enabled: Mapped[bool] = mapped_column(Boolean)
    uuid: Mapped[str | None] = mapped_column(String(255))
    tag: Mapped[str | None] = mapped_column(String(255))
    country_code: Mapped[str | None] = mapped_column(String(2))
    country_name: Mapped[str | None] = mapped_column(String(255))
    create_time: Mapped[datetime] = mapped_column(UTCDateTime)
    update_time: Mapped[datetime] = mapped_column(UTCDateTime)


class PartnerContact(Base):
    __tablename__ = "partner_contacts"
    __table_args__ = (Index("ix_partner_contacts_profile", "profile_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(String(64))
    profile_id: Mapped[str] = mapped_column(ForeignKey("partner_profiles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(255))
    value_lc: Mapped[str] = mapped_column(String(255))
    uuid: Mapped[str | None] = mapped_column(String(255))


class PartnerClick(Base):
    __tablename__ = "partner_clicks"
    __table_args__ = (
        UniqueConstraint("app_id", "uuid"),
        # default order (createTime desc, id) and keyset paging
        Index("ix_partner_clicks_app_create", "app_id", "create_time", "id"),
        # sort_by=time, and a time filter's matches ranked by createTime from the index alone (listing.py)
        Index("ix_partner_clicks_app_time_create", "app_id", "time", "id", "create_time"),
        # the duplicate check on the hot path (all equalities, then a time range) and filter[ip]
        Index("ix_partner_clicks_visitor", "app_id", "ip", "ua_hash", "link_id", "time"),
        Index("ix_partner_clicks_app_link", "app_id", "link_id", "time"),  # per-link metrics
        Index("ix_partner_clicks_app_profile", "app_id", "profile_id"),
        # a filter and the default order, with a time range tested in the index too
        Index("ix_partner_clicks_app_country", "app_id", "country_code", "create_time", "time"),
        Index("ix_partner_clicks_app_verdict", "app_id", "verdict", "create_time", "time"),
        # registrations by their time, for metrics over the raw rows (core.facts); registered clicks only
        Index(
            "ix_partner_clicks_app_registered",
            "app_id",
            "registered_time",
            sqlite_where=text("registered_time IS NOT NULL"),
            postgresql_where=text("registered_time IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(24), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64))
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    referrer: Mapped[str | None] = mapped_column(String(2048))
    ip: Mapped[str | None] = mapped_column(String(45))  # None once deleted
    uri: Mapped[str] = mapped_column(String(2048))
    user_agent: Mapped[str | None] = mapped_column(String(2048))
    ua_hash: Mapped[str | None] = mapped_column(String(32))
    locale: Mapped[str | None] = mapped_column(String(64))
    uuid: Mapped[str | None] = mapped_column(String(255))
    utm_campaign: Mapped[str | None] = mapped_column(String(255))
    utm_content: Mapped[str | None] = mapped_column(String(255))
    utm_medium: Mapped[str | None] = mapped_column(String(255))
    utm_source: Mapped[str | None] = mapped_column(String(255))
    utm_term: Mapped[str | None] = mapped_column(String(255))
    # The rest of the URI's attribution (``core.enrich.attribution``): ours, never on the vendor's Click.
    sub1: Mapped[str | None] = mapped_column(String(255))
    sub2: Mapped[str | None] = mapped_column(String(255))
    sub3: Mapped[str | None] = mapped_column(String(255))
    sub4: Mapped[str | None] = mapped_column(String(255))
    sub5: Mapped[str | None] = mapped_column(String(255))
    gclid: Mapped[str | None] = mapped_column(String(255))
    fbclid: Mapped[str | None] = mapped_column(String(255))
    msclkid: Mapped[str | None] = mapped_column(String(255))
    # What the metrics count the click under, named at record time and kept when retention nulls the
    # referrer and click ids (they name no person): the referrer's host and the click id's ad network.
    referrer_host: Mapped[str | None] = mapped_column(String(255))
    ad_network: Mapped[str | None] = mapped_column(String(16))
    profile_id: Mapped[str | None] = mapped_column(String(24))
    link_id: Mapped[str | None] = mapped_column(String(64))
    banner_id: Mapped[str | None] = mapped_column(String(64))
    banner_name: Mapped[str | None] = mapped_column(String(255))
    banner_cdn_file_url: Mapped[str | None] = mapped_column(String(2048))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    city: Mapped[str | None] = mapped_column(String(255))
    country_code: Mapped[str | None] = mapped_column(String(2))
    country_name: Mapped[str | None] = mapped_column(String(255))
    browser: Mapped[str | None] = mapped_column(String(128))
    browser_version: Mapped[str | None] = mapped_column(String(64))
    os: Mapped[str | None] = mapped_column(String(128))
    os_version: Mapped[str | None] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(String(128))
    is_bot: Mapped[bool] = mapped_column(Boolean)
    is_unique: Mapped[bool] = mapped_column(
        Boolean
    )  # first human click of this ip + agent + link that UTC day
    verdict: Mapped[str] = mapped_column(
        String(16)
    )  # ok | bot | orphan | duplicate | blocked | expired | limit_reached
    verdict_reason: Mapped[str | None] = mapped_column(String(32))
    rule: Mapped[str | None] = mapped_column(String(64))  # the link rule a tracked redirect followed
    registered_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    create_time: Mapped[datetime] = mapped_column(UTCDateTime)
    update_time: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
