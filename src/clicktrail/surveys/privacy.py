"""Erasure and retention for surveys. A person is the publisher's user id (``X-User-Id``): erasing them
removes their clicks, answers, skips, listings, start bonus and user row (an open click gives its quota slot
back; counted completes stay counted), with their journey events. Retention deletes answers older than the
cutoff (a later click then asks that question again without ``is_duplicate``) and nulls the answer codes
their ``question.answered`` events carry (the question, position and verdict stay). Clicks stay for the
statistics; older than the cutoff, they lose their ad click ids (gclid, fbclid, msclkid: an ad network can
tie one to a person), and so do their ``click.created`` events' payloads. Their other raw data is the
publisher's pseudonymous user id; UTM fields, link, sub-ids, the row's ``ad_network`` and the outcome
events' stay, so the metrics do not move (an open click's later outcome carries the row's network)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core.enrich.attribution import CLICK_IDS
from ..core.journeys.privacy import Erased, Purged, null_older, older_events, redact_payloads
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
    answered = redact_payloads(
        session, older_events(app_id, FAMILY, ("question.answered",), before), nulled=("answers",)
    )
    clicks = null_older(session, SurveyClick, app_id, before, CLICK_IDS)  # a click's only raw personal data
    created = redact_payloads(
        session, older_events(app_id, FAMILY, ("click.created",), before), removed=CLICK_IDS
    )
    return Purged(
        anonymized={"survey_clicks": clicks, "journey_events": answered + created},  # different events
        removed={"survey_answers": result.rowcount},  # type: ignore[attr-defined]  # DML gives a CursorResult
    )
