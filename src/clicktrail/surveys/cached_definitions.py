"""What config defines for the surveys family (settings, questions, surveys, which quota counters exist and
what they cap), kept in memory per process by ``ConfigCache`` (``load_definitions`` is its loader): the
hot steps read no definition from the database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.tenancy.apps import tenant
from .models import Survey, SurveyQuestion, SurveyQuota, SurveySettings
from .validation import Rules, rules_of


@dataclass(frozen=True, slots=True)
class Settings:
    currency_factor: Decimal
    termination_url: str
    start_bonus_url: str | None
    callback_url: str | None
    callback_secret: str | None
    screenout_reward: Decimal | None
    profile_questions: tuple[str, ...]
    duplicate_window_seconds: int = 1800


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: str
    texts: list[list[str]]
    answers: list[dict[str, Any]]
    can_skip: bool
    example: str | None
    rules: Rules


@dataclass(frozen=True, slots=True)
class Quota:
    """A counter row of a survey: ``country`` "*" is the survey overall."""

    country: str
    caps_completes: bool
    caps_open_clicks: bool


@dataclass(frozen=True, slots=True)
class SurveyDef:
    id: str
    type: str  # survey | start_bonus
    active: bool
    cpi: Decimal
    loi: float
    country: str | None
    language: str | None
    rating: int
    category: dict[str, str]
    entry_url: str | None
    questions: list[dict[str, Any]]  # [{id, qualifying}]
    quotas: tuple[Quota, ...]  # ordered by country ("*" first): the order claims lock them in


@dataclass(frozen=True, slots=True)
class Definitions:
    settings: Settings | None  # None: the app has no surveys section
    surveys: dict[str, SurveyDef]
    questions: dict[str, Question]


def load_definitions(session: Session, app_id: str) -> Definitions:
    """The app's survey definitions (a ``ConfigCache`` loader)."""
    row = session.get(SurveySettings, app_id)
    quotas: dict[str, list[Quota]] = {}
    for quota in session.scalars(
        select(SurveyQuota).where(tenant(SurveyQuota, app_id)).order_by(SurveyQuota.country)
    ):
        caps = Quota(quota.country, quota.cap_completes is not None, quota.cap_open_clicks is not None)
        quotas.setdefault(quota.survey_id, []).append(caps)
    surveys = {
        s.id: _survey(s, tuple(quotas.get(s.id, ())))
        for s in session.scalars(select(Survey).where(tenant(Survey, app_id)))
    }
    questions = {
        q.id: question_of(q)
        for q in session.scalars(select(SurveyQuestion).where(tenant(SurveyQuestion, app_id)))
    }
    return Definitions(_settings(row) if row is not None else None, surveys, questions)


def question_of(row: SurveyQuestion) -> Question:
    return Question(row.id, row.type, row.texts, row.answers, row.can_skip, row.example, rules_of(row))


def _settings(row: SurveySettings) -> Settings:
    return Settings(
        currency_factor=Decimal(row.currency_factor),
        termination_url=row.termination_url,
        start_bonus_url=row.start_bonus_url,
        callback_url=row.callback_url,
        callback_secret=row.callback_secret,
        screenout_reward=None if row.screenout_reward is None else Decimal(row.screenout_reward),
        profile_questions=tuple(row.profile_questions),
        duplicate_window_seconds=row.duplicate_window_seconds,
    )


def _survey(row: Survey, quotas: tuple[Quota, ...]) -> SurveyDef:
    return SurveyDef(
        id=row.id,
        type=row.type,
        active=row.active,
        cpi=Decimal(row.cpi),
        loi=row.loi,
        country=row.country,
        language=row.language,
        rating=row.rating,
        category=row.category,
        entry_url=row.entry_url,
        questions=row.questions,
        quotas=quotas,
    )
