"""Tables of the surveys family. Definitions (settings, questions, surveys, quotas) are written by ``apply``;
the rest (sessions, clicks, answers, skips) by the click flow. Every row carries ``app_id``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Index, Integer, Numeric, String, true
from sqlalchemy.orm import Mapped, mapped_column

from ..core.storage.db import Base, JSONType, UTCDateTime

# Click statuses. "open": questions pending; "qualified": sent into the survey (still open for quotas).
OPEN, QUALIFIED = "open", "qualified"
COMPLETED, SCREENED_OUT, TERMINATED, START_BONUS = "completed", "screened_out", "terminated", "start_bonus"
IN_PROGRESS = (OPEN, QUALIFIED)


class SurveySettings(Base):
    __tablename__ = "survey_settings"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    currency_factor: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    termination_url: Mapped[str] = mapped_column(String(2048))
    start_bonus_url: Mapped[str | None] = mapped_column(String(2048))
    callback_url: Mapped[str | None] = mapped_column(String(2048))
    callback_secret: Mapped[str | None] = mapped_column(String(255))
    screenout_reward: Mapped[Decimal | None] = mapped_column(Numeric(16, 4))
    profile_questions: Mapped[list[str]] = mapped_column(JSONType)
    start_bonus_id: Mapped[str | None] = mapped_column(String(64))
    # {light, dark, currency}: the app settings document and the offerwall's theme (config.AppSettings)
    app_settings: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # A click of the same user on the same survey within this many seconds is a "duplicate".
    duplicate_window_seconds: Mapped[int] = mapped_column(Integer, default=1800, server_default="1800")


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(8))
    texts: Mapped[list[list[str]]] = mapped_column(JSONType)  # [[lang, text], ...] in the file's order
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)  # [{code, text: [[lang, text]]}]
    can_skip: Mapped[bool] = mapped_column(Boolean)
    example: Mapped[str | None] = mapped_column(String(255))
    birthdate: Mapped[bool] = mapped_column(Boolean)
    validation: Mapped[dict[str, Any]] = mapped_column(JSONType)  # {min, max, regex}


class Survey(Base):
    __tablename__ = "survey_surveys"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(16))  # survey | start_bonus
    active: Mapped[bool] = mapped_column(Boolean)
    position: Mapped[int] = mapped_column(Integer)
    cpi: Mapped[Decimal] = mapped_column(Numeric(16, 4))
    loi: Mapped[float] = mapped_column()
    country: Mapped[str | None] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(2))
    rating: Mapped[int] = mapped_column(Integer)
    category: Mapped[dict[str, str]] = mapped_column(JSONType)
    entry_url: Mapped[str | None] = mapped_column(String(2048))
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)  # [{id, qualifying}]


class SurveyQuota(Base):
    """Counters with their caps: country "*" is the survey overall, others per click country."""

    __tablename__ = "survey_quotas"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    cap_completes: Mapped[int | None] = mapped_column(Integer)
    cap_open_clicks: Mapped[int | None] = mapped_column(Integer)
    completes: Mapped[int] = mapped_column(Integer, default=0)
    open_clicks: Mapped[int] = mapped_column(Integer, default=0)


class SurveySession(Base):
    """One survey listing: ``s`` of every click_url it hands out (the impression ``i`` is the survey)."""

    __tablename__ = "survey_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(65))
    country: Mapped[str | None] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SurveyUser(Base):
    __tablename__ = "survey_users"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(65), primary_key=True)
    first_click_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SurveyClick(Base):
    __tablename__ = "survey_clicks"
    __table_args__ = (
        Index("ix_survey_clicks_user", "app_id", "user_id", "survey_id"),
        Index("ix_survey_clicks_survey_status", "app_id", "survey_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(65))
    survey_id: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[str] = mapped_column(String(32))
    click_type: Mapped[str] = mapped_column(String(16))
    question_mode: Mapped[str] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(JSONType)
    # The questions of this click, fixed at creation: [{id, dup, qualifying}].
    plan: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType)  # survey_details as of the click
    cursor: Mapped[int] = mapped_column(Integer)  # answered or skipped so far = index of the open question
    status: Mapped[str] = mapped_column(String(16))
    redirect_type: Mapped[str | None] = mapped_column(String(16))
    redirect_url: Mapped[str | None] = mapped_column(String(4096))
    end_reason: Mapped[str | None] = mapped_column(String(32))
    complete_tx: Mapped[str | None] = mapped_column(String(40))
    reconciled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Where the click came from: its click URL's parameters (``attribution``), None when not given.
    utm_source: Mapped[str | None] = mapped_column(String(255))
    utm_medium: Mapped[str | None] = mapped_column(String(255))
    utm_campaign: Mapped[str | None] = mapped_column(String(255))
    utm_term: Mapped[str | None] = mapped_column(String(255))
    utm_content: Mapped[str | None] = mapped_column(String(255))
    link: Mapped[str | None] = mapped_column(String(64))
    sub1: Mapped[str | None] = mapped_column(String(255))
    sub2: Mapped[str | None] = mapped_column(String(255))
    sub3: Mapped[str | None] = mapped_column(String(255))
    sub4: Mapped[str | None] = mapped_column(String(255))
    sub5: Mapped[str | None] = mapped_column(String(255))
    gclid: Mapped[str | None] = mapped_column(String(255))
    fbclid: Mapped[str | None] = mapped_column(String(255))
    msclkid: Mapped[str | None] = mapped_column(String(255))
    # The ad network its click id names, named when the click is made: its outcome events carry it, and
    # retention, which nulls the click ids, keeps it (it names no person).
    ad_network: Mapped[str | None] = mapped_column(String(16))
    # Ours, for analytics (``verdicts``): never changes what the API answers. ok | bot | duplicate
    verdict: Mapped[str] = mapped_column(String(16), default="ok", server_default="ok")
    verdict_reason: Mapped[str | None] = mapped_column(String(32))
    # the first human click of this user on this survey that UTC day
    is_unique: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class SurveyAnswer(Base):
    """The latest answer of a user to a question of the bank (``[]`` when skipped): ``is_duplicate``."""

    __tablename__ = "survey_answers"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(65), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    answers: Mapped[list[str]] = mapped_column(JSONType)
    click_id: Mapped[str] = mapped_column(String(36))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SurveySkip(Base):
    __tablename__ = "survey_skips"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(65), primary_key=True)
    survey_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SurveyStartBonus(Base):
    """One row per user who earned the start bonus: the unique key makes it once only."""

    __tablename__ = "survey_start_bonuses"

    app_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(65), primary_key=True)
    click_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
