"""What the click's steps share, whether they run in an ORM session (``session_steps``) or in a writer
job (``job_steps``): the guarded status move's statement, what a journey event carries, which clicks
give a quota slot back, what a screen-out pays, back URLs and the survey's wire details. A click is
read here as a mapping of its columns (the job's clicks are such dicts)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Update, bindparam, update
from sqlalchemy.orm import Session

from ..core.storage.db import table_of
from ..core.storage.writer import Tx
from ..core.tenancy.apps import tenant
from . import quotas
from .attribution import counted
from .cached_definitions import Settings, SurveyDef
from .callbacks import amount, fill
from .models import COMPLETED, SCREENED_OUT, Survey, SurveyClick, SurveySettings

FAMILY = "surveys"
FINISHED = (COMPLETED, SCREENED_OUT)
AnySettings = SurveySettings | Settings  # a row, or the cached definition
CLICKS = table_of(SurveyClick)


def guarded_move(
    click: Mapping[str, Any], expect_status: str, expect_cursor: int | None, values: dict[str, Any]
) -> tuple[Update, dict[str, Any]]:
    """The once-only step: UPDATE the click's ``values`` WHERE its status (and cursor) are still what the
    step read. The statement is built once per set of columns; one row changed means the step won."""
    params = {"click_id": click["id"], "app": click["app_id"], "expect_status": expect_status}
    if expect_cursor is not None:
        params["expect_cursor"] = expect_cursor
    params.update((f"new_{key}", value) for key, value in values.items())
    return _move(tuple(values), expect_cursor is not None), params


@lru_cache(maxsize=64)
def _move(columns: tuple[str, ...], with_cursor: bool) -> Update:
    query = update(CLICKS).where(
        CLICKS.c.id == bindparam("click_id"),
        tenant(CLICKS.c, bindparam("app")),
        CLICKS.c.status == bindparam("expect_status"),
    )
    if with_cursor:
        query = query.where(CLICKS.c.cursor == bindparam("expect_cursor"))
    return query.values(
        {column: bindparam(f"new_{column}", type_=CLICKS.c[column].type) for column in columns}
    )


def event_payload(click: Mapping[str, Any], type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A click's journey event's payload: its survey, and for an outcome the click's attribution (so it
    counts under the click's dimensions; a question's event is counted per question only)."""
    carried = {} if type.startswith("question.") else counted(click)
    return {"survey_id": click["survey_id"], **carried, **payload}


def release_slot(db: Session | Connection | Tx, click: Mapping[str, Any]) -> None:
    """Give the click's open-click slot back: only a survey click holds one (a start-bonus click none)."""
    if click["click_type"] == "survey":
        quotas.release_open_click(
            db, app_id=click["app_id"], survey_id=click["survey_id"], country=click["country"]
        )


def screenout_reward(settings: AnySettings) -> Decimal | None:
    """What a screen-out calls the app back with; None when it calls nothing (no callback configured, or
    no screen-out reward)."""
    if settings.callback_url and settings.callback_secret:
        return settings.screenout_reward
    return None


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
