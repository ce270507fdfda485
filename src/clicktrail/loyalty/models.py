"""Loyalty tables. Money is stored as integer cents (exact on both engines); rates as decimal text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.storage.db import Base, JSONType, UTCDateTime
from ..core.storage.ids import utcnow

Id = BigInteger().with_variant(Integer, "sqlite")
# Stored answers are replayed as they were first sent: plain JSON keeps their key order (JSONB would not).
Answer = JSON()


class Program(Base):
    """One app's earn rules (the scalar keys of its ``loyalty:`` section)."""

    __tablename__ = "loyalty_programs"

    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    points_per_unit: Mapped[str] = mapped_column(String(32))
    near_miss_window_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(32))


class Offer(Base):
    __tablename__ = "loyalty_offers"

    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    threshold_cents: Mapped[int] = mapped_column(BigInteger)
    bonus_points: Mapped[int] = mapped_column(BigInteger)
    message: Mapped[dict[str, str]] = mapped_column(JSONType)
    position: Mapped[int] = mapped_column(Integer)


class Member(Base):
    __tablename__ = "loyalty_members"
    __table_args__ = (
        UniqueConstraint("app_id", "account_id"),
        UniqueConstraint("app_id", "loyalty_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(String(128))
    loyalty_id: Mapped[str] = mapped_column(String(128))
    points_balance: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MemberIdentifier(Base):
    """How a member is found: one row per (identifier type, value) the app has seen for them. ``value`` is
    a keyed hash (``members.digest``), never the identifier itself: an email or phone number is never
    stored, and the hash is all a lookup needs."""

    __tablename__ = "loyalty_member_identifiers"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    identifier_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(255), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("loyalty_members.id", ondelete="CASCADE"))


class IdentifierKey(Base):
    """The app's key of the identifier hashes (random, one per app, so one app's hashes cannot be matched
    against another's)."""

    __tablename__ = "loyalty_identifier_keys"

    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))  # 32 random bytes, hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoyaltySession(Base):
    __tablename__ = "loyalty_sessions"
    __table_args__ = (UniqueConstraint("app_id", "correlation_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    correlation_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("loyalty_members.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(32))
    external_identifier: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | finalized
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Trial(Base):
    __tablename__ = "loyalty_trials"
    __table_args__ = (UniqueConstraint("session_id", "call_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[int] = mapped_column(ForeignKey("loyalty_sessions.id", ondelete="CASCADE"))
    call_id: Mapped[str] = mapped_column(String(64))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    response: Mapped[dict[str, Any]] = mapped_column(Answer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Prompt(Base):
    __tablename__ = "loyalty_prompts"
    __table_args__ = (
        UniqueConstraint("app_id", "prompt_id"),
        Index("ix_loyalty_prompts_session_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(String(64))
    prompt_id: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[int] = mapped_column(ForeignKey("loyalty_sessions.id", ondelete="CASCADE"))
    trial_id: Mapped[int] = mapped_column(ForeignKey("loyalty_trials.id", ondelete="CASCADE"))
    offer_id: Mapped[str] = mapped_column(String(64))
    gap_cents: Mapped[int] = mapped_column(BigInteger)
    message: Mapped[str] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Transaction(Base):
    """A finalized basket: one per session (the unique session_id is the once-only guard)."""

    __tablename__ = "loyalty_transactions"
    __table_args__ = (
        UniqueConstraint("app_id", "transaction_id"),
        UniqueConstraint("session_id"),
        Index("ix_loyalty_transactions_app_member_id", "app_id", "member_id", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(String(64))
    transaction_id: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[int] = mapped_column(ForeignKey("loyalty_sessions.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("loyalty_members.id", ondelete="CASCADE"))
    call_id: Mapped[str] = mapped_column(String(64))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    base_points: Mapped[int] = mapped_column(BigInteger)
    bonus_points: Mapped[int] = mapped_column(BigInteger)
    transaction_date: Mapped[datetime] = mapped_column(UTCDateTime)
    response: Mapped[dict[str, Any]] = mapped_column(Answer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
