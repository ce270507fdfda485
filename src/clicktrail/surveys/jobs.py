"""The statements of the click's hot steps, for writer jobs (Core, on the batch's connection): a click is
a plain dict of its columns, kept up to date with what the job writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..core.db import table_of
from ..core.events import append_event
from ..core.ids import utcnow
from ..core.tenancy import tenant
from ..core.writer import Tx
from . import quotas
from .catalog import SurveyDef
from .models import SurveyAnswer, SurveyClick, SurveySession, SurveyStartBonus, SurveyUser
from .steps import FAMILY, FINISHED

CLICKS = table_of(SurveyClick)
ANSWERS = table_of(SurveyAnswer)
USERS = table_of(SurveyUser)
BONUSES = table_of(SurveyStartBonus)
Click = dict[str, Any]

# Built once: only their parameters change from one click to the next.
CLICK = select(CLICKS).where(CLICKS.c.id == bindparam("id"))
LISTING = select(
    SurveySession.id,
    SurveySession.app_id,
    SurveySession.user_id,
    SurveySession.country,
    SurveySession.languages,
).where(SurveySession.id == bindparam("id"))


def append(tx: Tx, click: Click, type: str, **payload: Any) -> None:
    """The click's journey event, appended in the job (with its webhook messages and rollup counts)."""
    append_event(
        tx,
        app_id=click["app_id"],
        family=FAMILY,
        journey_id=click["id"],
        user_id=click["user_id"],
        type=type,
        payload={"survey_id": click["survey_id"], **payload},
    )


def move(tx: Tx, click: Click, *, expect_cursor: int | None = None, **values: Any) -> bool:
    """The once-only step: UPDATE ... WHERE status (and cursor) are what the job read; False if not."""
    values["updated_at"] = utcnow()
    query = update(CLICKS).where(
        CLICKS.c.id == click["id"], tenant(CLICKS.c, click["app_id"]), CLICKS.c.status == click["status"]
    )
    if expect_cursor is not None:
        query = query.where(CLICKS.c.cursor == expect_cursor)
    if tx.execute_now(query.values(**values)).rowcount != 1:
        return False
    click.update(values)
    return True


def refusal(tx: Tx, survey: SurveyDef, click: Click) -> str | None:
    """Why a new click may not ask its questions: the user finished the survey (or earned the start
    bonus) before, or the survey has no open-click slot left; None when it may."""
    if survey.type == "start_bonus":
        earned = select(BONUSES.c.click_id).where(
            tenant(BONUSES.c, click["app_id"]), BONUSES.c.user_id == click["user_id"]
        )
        return "already_finished" if tx.execute_now(earned).first() is not None else None
    finished = (
        select(CLICKS.c.id)
        .where(
            tenant(CLICKS.c, click["app_id"]),
            CLICKS.c.user_id == click["user_id"],
            CLICKS.c.survey_id == survey.id,
            CLICKS.c.status.in_(FINISHED),
        )
        .limit(1)
    )
    if tx.execute_now(finished).first() is not None:
        return "already_finished"
    if not quotas.claim_slot(tx.conn, app_id=click["app_id"], survey=survey, country=click["country"]):
        return "quota_full"
    return None


def first_click(tx: Tx, click: Click) -> bool:
    """True for the user's first click of the app (the unique key decides between racing clicks)."""
    row = {
        "app_id": click["app_id"],
        "user_id": click["user_id"],
        "first_click_id": click["id"],
        "created_at": utcnow(),
    }
    return _inserted(tx, USERS, row)


def earn_start_bonus(tx: Tx, click: Click) -> bool:
    """Record the user's start bonus; False when it was earned before (its unique key says)."""
    row = {
        "app_id": click["app_id"],
        "user_id": click["user_id"],
        "click_id": click["id"],
        "created_at": utcnow(),
    }
    return _inserted(tx, BONUSES, row)


def answered_before(tx: Tx, click: Click, question_ids: list[str]) -> set[str]:
    query = select(ANSWERS.c.question_id).where(
        tenant(ANSWERS.c, click["app_id"]),
        ANSWERS.c.user_id == click["user_id"],
        ANSWERS.c.question_id.in_(question_ids),
    )
    return set(tx.execute_now(query).scalars())


def remember(tx: Tx, click: Click, question_id: str, answers: list[str] | None) -> None:
    """Note that the user was asked ``question_id`` (``is_duplicate`` on later clicks): with the answers,
    or, for a skip (``None``), as asked with no answer, never overwriting an answer given before."""
    now = utcnow()
    row = {
        "app_id": click["app_id"],
        "user_id": click["user_id"],
        "question_id": question_id,
        "answers": answers or [],
        "click_id": click["id"],
        "answered_at": now,
    }
    stmt = _insert(tx.conn, ANSWERS).values(row)
    keys = ["app_id", "user_id", "question_id"]
    if answers is None:
        tx.execute_now(stmt.on_conflict_do_nothing(index_elements=keys))
        return
    changes = {"answers": stmt.excluded.answers, "click_id": click["id"], "answered_at": now}
    tx.execute_now(stmt.on_conflict_do_update(index_elements=keys, set_=changes))


def release(tx: Tx, click: Click) -> None:
    if click["click_type"] == "survey":
        quotas.release_open_click(
            tx.conn, app_id=click["app_id"], survey_id=click["survey_id"], country=click["country"]
        )


def _inserted(tx: Tx, table: Table, row: dict[str, Any]) -> bool:
    """INSERT unless the row's key is taken; whether it was (RETURNING says: psycopg gives no rowcount for
    ON CONFLICT DO NOTHING)."""
    insert = _insert(tx.conn, table).values(row).on_conflict_do_nothing()
    return tx.execute_now(insert.returning(table.c.user_id)).first() is not None


def _insert(conn: Connection, table: Table) -> Any:
    """The dialect's INSERT, the one with ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
    return (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
