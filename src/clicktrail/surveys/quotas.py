"""Quota counters, guarded in the database: a slot is taken by a conditional UPDATE (``... WHERE count <
cap``) checked by rowcount, inside a savepoint so a refused claim leaves the other counter untouched.
Row locks make PostgreSQL serialize claims on one counter; SQLite's write lock does the same."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Update, or_, select, update
from sqlalchemy.orm import Session

from ..core.journeys.events import record_event
from ..core.storage.db import is_postgres
from ..core.storage.ids import utcnow
from ..core.storage.writer import Tx
from ..core.tenancy.apps import tenant
from .attribution import CARRIED, counted
from .cached_definitions import SurveyDef
from .models import IN_PROGRESS, TERMINATED, SurveyClick, SurveyQuota

OVERALL = "*"


def _keys(country: str | None) -> list[str]:
    return [OVERALL] if not country else [OVERALL, country]


def _rows(session: Session, app_id: str, survey_id: str, country: str | None) -> list[str]:
    return list(
        session.scalars(
            select(SurveyQuota.country)
            .where(
                tenant(SurveyQuota, app_id),
                SurveyQuota.survey_id == survey_id,
                SurveyQuota.country.in_(_keys(country)),
            )
            .order_by(SurveyQuota.country)
        )
    )


def _claim_one(app_id: str, survey_id: str, key: str, column: str) -> Update:
    """Take one slot of counter ``key`` when it is under its caps (the statement's rowcount says)."""
    conditions = [or_(SurveyQuota.cap_completes.is_(None), SurveyQuota.completes < SurveyQuota.cap_completes)]
    if column == "open_clicks":
        conditions.append(
            or_(SurveyQuota.cap_open_clicks.is_(None), SurveyQuota.open_clicks < SurveyQuota.cap_open_clicks)
        )
    counter = getattr(SurveyQuota, column)
    return (
        update(SurveyQuota)
        .where(
            tenant(SurveyQuota, app_id),
            SurveyQuota.survey_id == survey_id,
            SurveyQuota.country == key,
            *conditions,
        )
        .values({column: counter + 1})
    )


def _claim(session: Session, app_id: str, survey_id: str, country: str | None, *, column: str) -> bool:
    keys = _rows(session, app_id, survey_id, country)
    savepoint = session.begin_nested()
    for key in keys:  # "*" first: one order everywhere, so two claims never wait on each other crosswise
        result = session.execute(_claim_one(app_id, survey_id, key, column))
        if result.rowcount != 1:  # type: ignore[attr-defined]  # DML gives a CursorResult
            savepoint.rollback()
            return False
    savepoint.commit()
    return True


def claim_slot(tx: Tx, *, app_id: str, survey: SurveyDef, country: str | None) -> bool:
    """Take an open-click slot, in a writer job; False when the survey (or its country) is full of clicks
    or completes. The survey's counters are known from its definition (no read), and a refused claim
    gives back the slots it took before it (no savepoint)."""
    wanted = _keys(country)
    claimed: list[str] = []
    for key in (quota.country for quota in survey.quotas if quota.country in wanted):
        if tx.execute(_claim_one(app_id, survey.id, key, "open_clicks")).rowcount != 1:
            if claimed:
                release_open_click(tx, app_id=app_id, survey_id=survey.id, keys=claimed)
            return False
        claimed.append(key)
    return True


def claim_complete(session: Session, *, app_id: str, survey_id: str, country: str | None) -> bool:
    """Count one complete; False (nothing counted) when the completes cap is reached."""
    return _claim(session, app_id, survey_id, country, column="completes")


def release_open_click(
    session: Session | Connection | Tx,
    *,
    app_id: str,
    survey_id: str,
    country: str | None = None,
    keys: list[str] | None = None,
) -> None:
    """Give back an open-click slot of the counters of "*" and ``country`` (or of ``keys``)."""
    session.execute(
        update(SurveyQuota)
        .where(
            tenant(SurveyQuota, app_id),
            SurveyQuota.survey_id == survey_id,
            SurveyQuota.country.in_(_keys(country) if keys is None else keys),
            SurveyQuota.open_clicks > 0,
        )
        .values(open_clicks=SurveyQuota.open_clicks - 1)
    )


def uncount_complete(session: Session, *, app_id: str, survey_id: str, country: str | None) -> None:
    session.execute(
        update(SurveyQuota)
        .where(
            tenant(SurveyQuota, app_id),
            SurveyQuota.survey_id == survey_id,
            SurveyQuota.country.in_(_keys(country)),
            SurveyQuota.completes > 0,
        )
        .values(completes=SurveyQuota.completes - 1)
    )


def full_keys(
    session: Session | Connection | Tx, *, app_id: str, survey_id: str, country: str | None
) -> list[str]:
    """The counters (of "*" and ``country``) whose completes cap is reached."""
    return list(
        session.execute(
            select(SurveyQuota.country).where(
                tenant(SurveyQuota, app_id),
                SurveyQuota.survey_id == survey_id,
                SurveyQuota.country.in_(_keys(country)),
                SurveyQuota.cap_completes.is_not(None),
                SurveyQuota.completes >= SurveyQuota.cap_completes,
            )
        ).scalars()
    )


def close_full(
    session: Session, *, app_id: str, survey_id: str, keys: list[str], url_for: Callable[[str], str]
) -> int:
    """End every in-progress click of a survey whose completes are full (overall or in one country) as
    termination with reason ``quota_full``; returns how many. A click locked by a step in flight right now
    is skipped (``SKIP LOCKED``, so no lock cycle with it): that step finds the survey full itself."""
    found = select(SurveyClick.id).where(
        tenant(SurveyClick, app_id),
        SurveyClick.survey_id == survey_id,
        SurveyClick.status.in_(IN_PROGRESS),
    )
    if OVERALL not in keys:
        found = found.where(SurveyClick.country.in_(keys))
    if is_postgres(session):
        found = found.with_for_update(skip_locked=True)
    ids = list(session.scalars(found))
    if not ids:
        return 0
    ended = session.execute(
        update(SurveyClick)
        .where(tenant(SurveyClick, app_id), SurveyClick.id.in_(ids), SurveyClick.status.in_(IN_PROGRESS))
        .values(
            status=TERMINATED,
            redirect_type="termination",
            end_reason="quota_full",
            updated_at=utcnow(),
        )
        .returning(
            SurveyClick.id,
            SurveyClick.user_id,
            SurveyClick.country,
            *(getattr(SurveyClick, name) for name in CARRIED),
        )
    ).all()
    for click_id, user_id, country, *carried in ended:
        session.execute(
            update(SurveyClick).where(SurveyClick.id == click_id).values(redirect_url=url_for(user_id))
        )
        release_open_click(session, app_id=app_id, survey_id=survey_id, country=country)
        record_event(
            session,
            app_id=app_id,
            family="surveys",
            journey_id=click_id,
            user_id=user_id,
            type="click.terminated",
            payload={
                "survey_id": survey_id,
                **counted(dict(zip(CARRIED, carried, strict=True))),
                "reason": "quota_full",
                "country": country,
            },
        )
    return len(ended)
