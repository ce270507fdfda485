"""Outcomes the survey side reports for a click (complete, screen-out, reconciliation), signed with the
app's callback secret; each causes the vendor-style callback to the publisher."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..core.storage.ids import utcnow
from ..core.web.errors import NotFound, Unauthorized, Unprocessable
from . import quotas
from .callbacks import amount, enqueue_callback, verify
from .click_rules import termination_url
from .models import (
    COMPLETED,
    QUALIFIED,
    SCREENED_OUT,
    TERMINATED,
    Survey,
    SurveyClick,
    SurveySettings,
)
from .session_steps import (
    event,
    load_click,
    release,
    screenout_callback,
    settings_of,
    transition,
)

OUTCOMES = ("complete", "screenout", "reconciliation")


def report_outcome(session: Session, *, click_id: str, outcome: str, target: str) -> dict[str, Any]:
    """The survey side reports a click's outcome, signed with the app's callback secret over
    ``target`` (path and query). Retries of a reported outcome answer the same, and change nothing."""
    refused: Unprocessable | None = None
    with session.begin():
        click = load_click(session, click_id)
        settings = settings_of(session, click.app_id)
        if not settings.callback_secret or not verify(target, settings.callback_secret):
            raise Unauthorized("invalid or missing hash")
        if outcome == "complete":
            refused = _complete(session, click, settings)
        elif outcome == "screenout":
            _in_survey_screenout(session, click, settings)
        else:
            _reconcile(session, click, settings)
        result = {"id": click.id, "status": click.status, "end_reason": click.end_reason}
    if refused is not None:
        raise refused
    return result


def _complete(session: Session, click: SurveyClick, settings: SurveySettings) -> Unprocessable | None:
    if click.status == COMPLETED:
        return None
    if click.click_type != "survey" or click.status != QUALIFIED:
        raise Unprocessable(f"the click is {click.status}, not in the survey", code="INVALID_STATE")
    app_id, survey_id, country = click.app_id, click.survey_id, click.country
    # Counters first, then the click: one lock order for every transaction that touches both.
    counted = quotas.claim_complete(session, app_id=app_id, survey_id=survey_id, country=country)
    status, reason = (COMPLETED, None) if counted else (TERMINATED, "quota_full")
    redirect = None if counted else ("termination", termination_url(settings, click.user_id))
    if not transition(
        session, click, expect_status=QUALIFIED, status=status, end_reason=reason, redirect=redirect
    ):
        raise Unprocessable("the click changed concurrently", code="INVALID_STATE")
    release(session, click)
    if not counted:
        event(session, click, "click.terminated", reason="quota_full", country=country)
        return Unprocessable("the survey's completes quota is full", code="QUOTA_FULL")
    survey = session.get(Survey, (app_id, survey_id))
    if survey is None:
        raise NotFound(f"survey '{survey_id}' not found")
    cpi = Decimal(survey.cpi)
    if settings.callback_url and settings.callback_secret:
        click.complete_tx = enqueue_callback(
            session,
            app_id=app_id,
            template=settings.callback_url,
            secret=settings.callback_secret,
            user_id=click.user_id,
            type="COMPLETE",
            raw=cpi,
            factor=Decimal(settings.currency_factor),
        )
        session.execute(
            update(SurveyClick).where(SurveyClick.id == click.id).values(complete_tx=click.complete_tx)
        )
    event(session, click, "survey.completed", country=country, cpi=amount(cpi), tx=click.complete_tx)
    full = quotas.full_keys(session, app_id=app_id, survey_id=survey_id, country=country)
    if full:
        quotas.close_full(
            session,
            app_id=app_id,
            survey_id=survey_id,
            keys=full,
            url_for=lambda user_id: termination_url(settings, user_id),
        )
    return None


def _in_survey_screenout(session: Session, click: SurveyClick, settings: SurveySettings) -> None:
    if click.status == SCREENED_OUT:
        return
    url = termination_url(settings, click.user_id)
    if not transition(
        session,
        click,
        expect_status=QUALIFIED,
        status=SCREENED_OUT,
        end_reason="screened_out_in_survey",
        redirect=("termination", url),
    ):
        raise Unprocessable(f"the click is {click.status}, not in the survey", code="INVALID_STATE")
    release(session, click)
    event(session, click, "click.screened_out", in_survey=True, country=click.country)
    screenout_callback(session, click, settings)


def _reconcile(session: Session, click: SurveyClick, settings: SurveySettings) -> None:
    if click.status != COMPLETED:
        raise Unprocessable(f"the click is {click.status}, not completed", code="INVALID_STATE")
    result = session.execute(
        update(SurveyClick)
        .where(SurveyClick.id == click.id, SurveyClick.reconciled.is_(False))
        .values(reconciled=True, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  # DML gives a CursorResult
        return  # already reconciled: a retry
    click.reconciled = True
    quotas.uncount_complete(session, app_id=click.app_id, survey_id=click.survey_id, country=click.country)
    survey = session.get(Survey, (click.app_id, click.survey_id))
    if survey is None:
        raise NotFound(f"survey '{click.survey_id}' not found")
    cpi = Decimal(survey.cpi)
    tx = None
    if settings.callback_url and settings.callback_secret:
        tx = enqueue_callback(
            session,
            app_id=click.app_id,
            template=settings.callback_url,
            secret=settings.callback_secret,
            user_id=click.user_id,
            type="RECONCILIATION",
            raw=-cpi,
            factor=Decimal(settings.currency_factor),
            ref=click.complete_tx or "",
        )
    event(session, click, "survey.reconciled", cpi=amount(-cpi), tx=tx, ref=click.complete_tx)
