"""Listing a user's eligible surveys (each listing is a session the click_urls point at), and hiding one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.journeys.events import record_event
from ..core.storage.ids import new_hex_id, utcnow
from ..core.tenancy.apps import tenant
from ..core.web.errors import NotFound
from . import quotas
from .attribution import Attribution, query_of
from .click_rules import FAMILY, FINISHED, survey_details
from .models import (
    Survey,
    SurveyClick,
    SurveySession,
    SurveySettings,
    SurveySkip,
    SurveyStartBonus,
)
from .schemas import FALLBACK_LANGUAGE, LanguagePreference
from .session_steps import settings_of


def list_surveys(
    session: Session,
    *,
    app_id: str,
    user_id: str,
    country: str | None,
    languages: LanguagePreference,
    base_url: str,
    attribution: Attribution | None = None,
) -> dict[str, Any]:
    """The user's eligible surveys, each with a click_url on a new listing session: those in the user's
    languages first, in the order of their weights (see ``LanguagePreference.rank``). The click_urls carry
    ``attribution`` (the listing request's UTM fields, link and sub-ids), so their clicks keep it."""
    with session.begin():
        settings = settings_of(session, app_id)
        session_id = new_hex_id(32)
        session.add(
            SurveySession(
                id=session_id,
                app_id=app_id,
                user_id=user_id,
                country=country,
                languages=list(languages.preferred),
                created_at=utcnow(),
            )
        )
        surveys = list(
            session.scalars(
                select(Survey)
                .where(tenant(Survey, app_id), Survey.active.is_(True))
                .order_by(Survey.position)
            )
        )
        hidden = _done_by(session, app_id, user_id, settings)
        full = _full_surveys(session, app_id, country)
        eligible = _ranked(
            [s for s in surveys if s.id not in hidden and s.id not in full], languages, country
        )
        lang = languages.preferred[0] if languages.preferred else FALLBACK_LANGUAGE
        carried = query_of(attribution or {})
        listed = [
            {
                "id": survey.id,
                "type": survey.type,
                "click_url": f"{base_url}v2/client/clicks?i={survey.id}&s={session_id}{carried}",
                **{k: v for k, v in survey_details(survey, settings, country, lang).items() if k != "id"},
                "tags": [],
            }
            for survey in eligible
        ]
        return {"restriction_reason": None, "surveys": listed}


def _done_by(session: Session, app_id: str, user_id: str, settings: SurveySettings) -> set[str]:
    """The surveys the user is done with: skipped, finished, or the start bonus once earned."""
    hidden = set(
        session.scalars(
            select(SurveySkip.survey_id).where(tenant(SurveySkip, app_id), SurveySkip.user_id == user_id)
        )
    )
    hidden |= set(
        session.scalars(
            select(SurveyClick.survey_id)
            .where(
                tenant(SurveyClick, app_id),
                SurveyClick.user_id == user_id,
                SurveyClick.status.in_(FINISHED),
            )
            .distinct()
        )
    )
    if session.get(SurveyStartBonus, (app_id, user_id)) is not None:
        hidden.add(settings.start_bonus_id or "")
    return hidden


def _ranked(surveys: list[Survey], languages: LanguagePreference, country: str | None) -> list[Survey]:
    """The surveys the user may take, in the user's languages first, then by position; the start bonus
    ranks first, and a survey for another country is left out."""
    ranked = []
    for survey in surveys:
        rank = 0 if survey.type == "start_bonus" else languages.rank(survey.language)
        if rank is None or (survey.type == "survey" and country and survey.country != country):
            continue
        ranked.append((rank, survey.position, survey))
    return [survey for _, _, survey in sorted(ranked, key=lambda item: item[:2])]


def _full_surveys(session: Session, app_id: str, country: str | None) -> set[str]:
    rows = session.execute(
        select(quotas.SurveyQuota).where(
            tenant(quotas.SurveyQuota, app_id),
            quotas.SurveyQuota.country.in_([quotas.OVERALL, *([country] if country else [])]),
        )
    ).scalars()
    full = set()
    for q in rows:
        if (q.cap_completes is not None and q.completes >= q.cap_completes) or (
            q.cap_open_clicks is not None and q.open_clicks >= q.cap_open_clicks
        ):
            full.add(q.survey_id)
    return full


def skip_survey(session: Session, *, app_id: str, user_id: str, survey_id: str) -> None:
    """Hide a survey from this user's listings (idempotent)."""
    with session.begin():
        survey = session.get(Survey, (app_id, survey_id))
        if survey is None or not survey.active:
            raise NotFound(f"survey '{survey_id}' not found")
        try:
            with session.begin_nested():
                session.add(
                    SurveySkip(app_id=app_id, user_id=user_id, survey_id=survey_id, created_at=utcnow())
                )
        except IntegrityError:
            return
        record_event(
            session,
            app_id=app_id,
            family=FAMILY,
            journey_id=survey_id,
            user_id=user_id,
            type="survey.skipped",
            payload={"survey_id": survey_id},
        )
