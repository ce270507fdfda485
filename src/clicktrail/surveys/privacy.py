"""Erasure and retention for surveys. A person is the publisher's user id (``X-User-Id``): erasing them
removes their clicks, answers, skips, listings, start bonus and user row (an open click gives its quota slot
back; counted completes stay counted). Retention deletes answers older than the cutoff (a later click then
asks that question again without ``is_duplicate``) and nulls the answer codes their ``question.answered``
events carry (the question, position and verdict stay); clicks, which carry no raw personal data beyond
the publisher's pseudonymous user id, stay for the statistics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..core.journeys.log import JourneyEvent
from ..core.journeys.privacy import Erased, Purged
from ..core.tenancy.apps import tenant
from . import quotas
from .click_rules import FAMILY
from .models import (
    IN_PROGRESS,
    SurveyAnswer,
    SurveyClick,
    SurveySession,
    SurveySkip,
    SurveyStartBonus,
    SurveyUser,
)

# Children first; every table is keyed by (app_id, user_id).
PERSONAL = (SurveyAnswer, SurveySkip, SurveyStartBonus, SurveyClick, SurveySession, SurveyUser)


def erase(session: Session, *, app_id: str, user_id: str) -> Erased:
    clicks = session.execute(
        select(
            SurveyClick.id,
            SurveyClick.survey_id,
            SurveyClick.country,
            SurveyClick.status,
            SurveyClick.click_type,
        ).where(tenant(SurveyClick, app_id), SurveyClick.user_id == user_id)
    ).all()
    for click in clicks:
        if click.click_type == "survey" and click.status in IN_PROGRESS:  # as click_rules.release_slot does
            quotas.release_open_click(
                session, app_id=app_id, survey_id=click.survey_id, country=click.country
            )
    erased = Erased(journeys={c.id for c in clicks}, users={user_id})
    for model in PERSONAL:
        result = session.execute(delete(model).where(tenant(model, app_id), model.user_id == user_id))
        erased.rows[model.__tablename__] = result.rowcount  # type: ignore[attr-defined]  # DML gives a CursorResult
    return erased


def purge(session: Session, *, app_id: str, before: datetime) -> Purged:
    result = session.execute(
        delete(SurveyAnswer).where(tenant(SurveyAnswer, app_id), SurveyAnswer.answered_at < before)
    )
    answered = session.execute(
        select(JourneyEvent.id, JourneyEvent.payload).where(
            tenant(JourneyEvent, app_id),
            JourneyEvent.type == "question.answered",
            JourneyEvent.family == FAMILY,
            JourneyEvent.created_at < before,
            JourneyEvent.payload["answers"].as_string().is_not(None),
        )
    ).all()
    if answered:
        session.execute(
            update(JourneyEvent),
            [{"id": row.id, "payload": {**row.payload, "answers": None}} for row in answered],
        )
    return Purged(
        anonymized={"journey_events": len(answered)},
        removed={"survey_answers": result.rowcount},  # type: ignore[attr-defined]  # DML gives a CursorResult
    )
