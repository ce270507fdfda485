"""The click flow's steps in an ORM session (outcomes, listing, the click's routes): loading a click and
the app's settings, the guarded status transition, releasing a quota slot, journey events and the
screen-out callback; and what both kinds of steps share: back URLs and the survey's wire details. The
hot steps' versions, for writer jobs, are in ``job_steps``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..core.errors import NotFound
from ..core.events import record_event
from ..core.ids import storable, utcnow
from . import quotas
from .attribution import COUNTED, counted
from .cached_definitions import Settings, SurveyDef
from .callbacks import amount, enqueue_callback, fill
from .models import (
    COMPLETED,
    SCREENED_OUT,
    Survey,
    SurveyClick,
    SurveySettings,
)

FAMILY = "surveys"
FINISHED = (COMPLETED, SCREENED_OUT)
AnySettings = SurveySettings | Settings  # a row, or the cached definition


def event(session: Session, click: SurveyClick, type: str, **payload: Any) -> None:
    """The click's journey event, carrying the click's attribution (its outcomes count under it)."""
    carried = counted({name: getattr(click, name) for name in COUNTED})
    record_event(
        session,
        app_id=click.app_id,
        family=FAMILY,
        journey_id=click.id,
        user_id=click.user_id,
        type=type,
        payload={"survey_id": click.survey_id, **carried, **payload},
    )


def settings_of(session: Session, app_id: str) -> SurveySettings:
    settings = session.get(SurveySettings, app_id)
    if settings is None:
        raise NotFound("surveys are not configured for this app")
    return settings


def back_url(template: str, settings: AnySettings, user_id: str, raw: Decimal) -> str:
    return fill(
        template,
        {"UID": user_id, "VAL": amount(raw * settings.currency_factor), "RAW": amount(raw)},
    )


def termination_url(settings: AnySettings, user_id: str) -> str:
    return back_url(settings.termination_url, settings, user_id, Decimal(0))


DETAIL_KEYS = ("id", "cpi", "value", "loi", "country", "language", "rating", "category")
CATEGORY_KEYS = ("name", "icon_name", "icon_url", "name_internal")


def survey_details(
    survey: Survey | SurveyDef, settings: AnySettings, country: str | None, lang: str
) -> dict[str, Any]:
    """The survey as the wire shows it. ``country`` and ``language`` are never null (every SDK decodes
    them as required strings): an unknown country is ``""``."""
    return details_view(
        {
            "id": survey.id,
            "cpi": amount(Decimal(survey.cpi)),
            "value": amount(Decimal(survey.cpi) * settings.currency_factor),
            "loi": survey.loi,
            "country": survey.country or country or "",
            "language": survey.language or lang,
            "rating": survey.rating,
            "category": survey.category,
        }
    )


def details_view(details: dict[str, Any]) -> dict[str, Any]:
    """Stored details in the wire's key order: PostgreSQL's JSONB keeps keys in its own order, and the
    answer must be byte-identical on both engines. Clicks stored before country/language were made
    non-null get the same defaults."""
    view = {key: details.get(key) for key in DETAIL_KEYS}
    view["country"] = view["country"] or ""
    view["language"] = view["language"] or "en"
    view["category"] = {key: (view["category"] or {}).get(key, "") for key in CATEGORY_KEYS}
    return view


def transition(
    session: Session,
    click: SurveyClick,
    *,
    expect_status: str,
    expect_cursor: int | None = None,
    status: str | None = None,
    cursor: int | None = None,
    end_reason: str | None = None,
    redirect: tuple[str, str] | None = None,
) -> bool:
    """The once-only step: UPDATE ... WHERE status (and cursor) are what we read; False if not."""
    values: dict[str, Any] = {"updated_at": utcnow()}
    if status is not None:
        values["status"] = status
    if cursor is not None:
        values["cursor"] = cursor
    if end_reason is not None:
        values["end_reason"] = end_reason
    if redirect is not None:
        values["redirect_type"], values["redirect_url"] = redirect
    query = update(SurveyClick).where(SurveyClick.id == click.id, SurveyClick.status == expect_status)
    if expect_cursor is not None:
        query = query.where(SurveyClick.cursor == expect_cursor)
    if session.execute(query.values(**values)).rowcount != 1:  # type: ignore[attr-defined]  # DML gives a CursorResult
        return False
    for key, value in values.items():
        setattr(click, key, value)
    return True


def release(session: Session, click: SurveyClick) -> None:
    if click.click_type == "survey":
        quotas.release_open_click(
            session, app_id=click.app_id, survey_id=click.survey_id, country=click.country
        )


def screenout_callback(session: Session, click: SurveyClick, settings: SurveySettings) -> None:
    if settings.callback_url and settings.callback_secret and settings.screenout_reward is not None:
        enqueue_callback(
            session,
            app_id=click.app_id,
            template=settings.callback_url,
            secret=settings.callback_secret,
            user_id=click.user_id,
            type="SCREENOUT",
            raw=Decimal(settings.screenout_reward),
            factor=Decimal(settings.currency_factor),
        )


def load_click(session: Session, click_id: str) -> SurveyClick:
    click = session.get(SurveyClick, click_id) if len(click_id) <= 36 and storable(click_id) else None
    if click is None:
        raise NotFound(f"click '{click_id[:64]}' not found")
    return click
