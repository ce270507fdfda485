"""The click flow's steps in an ORM session (outcomes, listing, the click's routes): loading a click and
the app's settings, the guarded status transition, releasing a quota slot, journey events and the
screen-out callback. The hot steps' versions, for writer jobs, are in ``job_steps``; the rules both
follow are in ``click_rules``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..core.journeys.events import record_event
from ..core.storage.ids import storable, utcnow
from ..core.web.errors import NotFound
from .callbacks import enqueue_callback
from .click_rules import FAMILY, event_payload, guarded_move, release_slot, screenout_reward
from .models import SurveyClick, SurveySettings


def columns_of(click: SurveyClick) -> dict[str, Any]:
    """The click's columns, as ``click_rules`` reads a click (and as a writer job holds one)."""
    return {attr.key: getattr(click, attr.key) for attr in inspect(SurveyClick).column_attrs}


def event(session: Session, click: SurveyClick, type: str, **payload: Any) -> None:
    """The click's journey event, carrying the click's attribution (its outcomes count under it)."""
    record_event(
        session,
        app_id=click.app_id,
        family=FAMILY,
        journey_id=click.id,
        user_id=click.user_id,
        type=type,
        payload=event_payload(columns_of(click), type, payload),
    )


def settings_of(session: Session, app_id: str) -> SurveySettings:
    settings = session.get(SurveySettings, app_id)
    if settings is None:
        raise NotFound("surveys are not configured for this app")
    return settings


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
    statement, params = guarded_move(columns_of(click), expect_status, expect_cursor, values)
    if session.execute(statement, params).rowcount != 1:  # type: ignore[attr-defined]  # DML gives a CursorResult
        return False
    for key, value in values.items():
        set_committed_value(click, key, value)  # the row has them already: nothing left to flush
    return True


def release(session: Session, click: SurveyClick) -> None:
    release_slot(session, columns_of(click))


def screenout_callback(session: Session, click: SurveyClick, settings: SurveySettings) -> None:
    reward = screenout_reward(settings)
    if reward is not None:
        enqueue_callback(
            session,
            app_id=click.app_id,
            template=settings.callback_url,
            secret=settings.callback_secret,
            user_id=click.user_id,
            type="SCREENOUT",
            raw=Decimal(reward),
            factor=Decimal(settings.currency_factor),
        )


def load_click(session: Session, click_id: str) -> SurveyClick:
    click = session.get(SurveyClick, click_id) if len(click_id) <= 36 and storable(click_id) else None
    if click is None:
        raise NotFound(f"click '{click_id[:64]}' not found")
    return click
