"""The click's hot steps in a writer job (Core statements through the job's ``tx``): a click is a plain
dict of its columns, kept up to date with what the job writes. The same steps in an ORM session are in
``session_steps``; the rules both follow are in ``click_rules``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, select, update

from ..core.journeys.events import append_event
from ..core.storage.db import conflict_insert, table_of
from ..core.storage.ids import utcnow
from ..core.storage.writer import LockedRows, Read, Tx
from ..core.tenancy.apps import tenant
from . import quotas
from .cached_definitions import SurveyDef
from .click_rules import CLICKS, FAMILY, FINISHED, event_payload
from .models import SurveyAnswer, SurveySession, SurveyStartBonus, SurveyUser

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
        payload=event_payload(click, type, payload),
    )


# A click's row, read and locked with the batch's others: its id is the capability of the click routes,
# so it is found by id alone (as ``CLICK`` finds it).
CLICK_ROWS = LockedRows(
    select=select(CLICKS)
    .where(CLICKS.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(CLICKS.c.id)
    .with_for_update(),
    update=update(CLICKS).where(CLICKS.c.id == bindparam("row_id")),
)


def declared_click(click_id: str) -> Read:
    return Read(CLICK_ROWS, None, click_id)


def move(tx: Tx, click: Click, *, expect_cursor: int | None = None, **values: Any) -> bool:
    """The once-only step on a click the job declared (its row is locked, and ``click`` is what the job
    read of it): False if its cursor is not ``expect_cursor`` any more."""
    if expect_cursor is not None and click["cursor"] != expect_cursor:
        return False
    values["updated_at"] = utcnow()
    tx.update(declared_click(click["id"]), values)
    click.update(values)
    return True


def refusal(tx: Tx, survey: SurveyDef, click: Click) -> str | None:
    """Why a new click may not ask its questions: the user finished the survey (or earned the start
    bonus) before, or the survey has no open-click slot left; None when it may."""
    if survey.type == "start_bonus":
        earned = select(BONUSES.c.click_id).where(
            tenant(BONUSES.c, click["app_id"]), BONUSES.c.user_id == click["user_id"]
        )
        return "already_finished" if tx.execute(earned, sees_buffered=False).first() is not None else None
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
    if tx.execute(finished, sees_buffered=False).first() is not None:
        return "already_finished"
    if not quotas.claim_slot(tx, app_id=click["app_id"], survey=survey, country=click["country"]):
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
    """The questions the user was asked before (answered or skipped), this batch's answers included."""
    query = select(ANSWERS.c.question_id).where(
        tenant(ANSWERS.c, click["app_id"]),
        ANSWERS.c.user_id == click["user_id"],
        ANSWERS.c.question_id.in_(question_ids),
    )
    asked = set(tx.execute(query, sees_buffered=False).scalars())
    user = (click["app_id"], click["user_id"])
    asked.update(
        r["question_id"] for _, r in tx.gathered(_write_answers) if (r["app_id"], r["user_id"]) == user
    )
    return asked & set(question_ids)


def remember(tx: Tx, click: Click, question_id: str, answers: list[str] | None) -> None:
    """Note that the user was asked ``question_id`` (``is_duplicate`` on later clicks): with the answers,
    or, for a skip (``None``), as asked with no answer, never overwriting an answer given before. Written
    with the batch's other answers, one upsert ``executemany`` per kind, as the batch commits."""
    row = {
        "app_id": click["app_id"],
        "user_id": click["user_id"],
        "question_id": question_id,
        "answers": answers or [],
        "click_id": click["id"],
        "answered_at": utcnow(),
    }
    tx.gather(_write_answers, (answers is None, row))


def _write_answers(tx: Tx, answers: list[tuple[bool, dict[str, Any]]]) -> None:
    """The batch's answers, as (skipped, row): skips first, as they never overwrite, so a key's last
    answer wins as if each had been written in turn. Rows in key order (so concurrent batches lock shared
    rows in one order); the sort is stable, so a key's answers keep their order."""
    for skipped in (True, False):
        rows = [row for skip, row in answers if skip is skipped]
        rows.sort(key=lambda r: (r["app_id"], r["user_id"], r["question_id"]))
        tx.write_many(ANSWERS, _upsert_answers(tx.dialect.name, skipped=skipped), rows)


@lru_cache(maxsize=4)
def _upsert_answers(dialect: str, *, skipped: bool) -> Any:
    insert = conflict_insert(dialect, ANSWERS)
    keys = ["app_id", "user_id", "question_id"]
    if skipped:
        return insert.on_conflict_do_nothing(index_elements=keys)
    latest = {name: insert.excluded[name] for name in ("answers", "click_id", "answered_at")}
    return insert.on_conflict_do_update(index_elements=keys, set_=latest)


def _inserted(tx: Tx, table: Table, row: dict[str, Any]) -> bool:
    """INSERT unless the row's key is taken; whether it was (RETURNING says: psycopg gives no rowcount for
    ON CONFLICT DO NOTHING)."""
    return tx.execute(_insert_new(tx.dialect.name, table), row, sees_buffered=False).first() is not None


@lru_cache(maxsize=8)
def _insert_new(dialect: str, table: Table) -> Any:
    return conflict_insert(dialect, table).on_conflict_do_nothing().returning(table.c.user_id)
