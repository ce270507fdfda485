"""A survey click's verdict (ok, bot, duplicate) and unique flag, by the rules partners' clicks are judged
by (``core.enrich.verdicts.judge``): the visitor is the wall user (app, user id), the "link" the survey,
and the agent that of the request that opened the click. Never blocked: surveys have no blocklist.

A verdict is ours, for analytics: the click opens, asks and pays exactly as without it.

The user's last click on the survey is read from the database (the ``ix_survey_clicks_user`` index: the
user's clicks on one survey are few) together with the clicks the batch has noted, which are not written
until it commits; so a repeat inside one batch is a duplicate too."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select

from ..core.enrich.useragent import UserAgent
from ..core.enrich.verdicts import Verdict, judge, lookup_floor
from ..core.storage.writer import Tx
from ..core.tenancy.apps import tenant
from .click_rules import CLICKS

__all__ = ["Verdict", "judge_click"]

UserSurvey = tuple[str, str, str]  # app, user id, survey

# Built once: only its parameters change from one click to the next.
LAST_CLICK = select(func.max(CLICKS.c.created_at)).where(
    tenant(CLICKS.c, bindparam("app_id")),
    CLICKS.c.user_id == bindparam("user_id"),
    CLICKS.c.survey_id == bindparam("survey_id"),
    CLICKS.c.created_at >= bindparam("floor", type_=CLICKS.c.created_at.type),
    CLICKS.c.created_at <= bindparam("until", type_=CLICKS.c.created_at.type),
)


def last_click(tx: Tx, key: UserSurvey, *, floor: datetime, at: datetime) -> datetime | None:
    """The user's latest click on the survey in [floor, at], committed or noted by this batch; notes the
    click at ``at`` for the batch's later jobs (a job the writer undoes takes its note with it)."""
    app_id, user_id, survey_id = key
    params = {"app_id": app_id, "user_id": user_id, "survey_id": survey_id, "floor": floor, "until": at}
    # The batch's clicks are buffered (written as it commits): they come from its notes, not the query.
    stored: Any = tx.execute(LAST_CLICK, params, sees_buffered=False).scalar()
    noted: tuple[datetime, ...] = tx.noted(("surveys.user_survey_clicks", key)) or ()
    tx.note(("surveys.user_survey_clicks", key), (*noted, at))
    return max((t for t in (stored, *noted) if t is not None and floor <= t <= at), default=None)


def judge_click(tx: Tx, click: dict[str, Any], *, agent: UserAgent, window_seconds: int) -> Verdict:
    """The verdict of the new ``click`` (its ``created_at`` is when it was made), set on it as its columns."""
    at = click["created_at"]
    key = (click["app_id"], click["user_id"], click["survey_id"])
    last_seen = last_click(tx, key, floor=lookup_floor(at, window_seconds), at=at)
    verdict = judge(at=at, last_seen=last_seen, window_seconds=window_seconds, blocked=None, agent=agent)
    click.update(verdict=verdict.verdict, verdict_reason=verdict.reason, is_unique=verdict.unique)
    return verdict
