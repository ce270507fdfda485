"""A click's verdict (ok, bot, duplicate, blocked) and its unique flag, from its user agent and when its
visitor last clicked the same thing: the rules every family judges its clicks by (partners: a visitor is an
ip + user agent on a link; surveys: a wall user on a survey). Where the last click comes from is the
family's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .useragent import UserAgent


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: str  # ok | bot | duplicate | blocked
    reason: str | None
    unique: bool  # the visitor's first human click of the thing that UTC day


def day_start(at: datetime) -> datetime:
    return datetime.combine(at.date(), time(), tzinfo=at.tzinfo)


def judge(
    *,
    at: datetime,
    last_seen: datetime | None,
    window_seconds: int,
    blocked: str | None,
    agent: UserAgent,
) -> Verdict:
    """The verdict of a click at ``at`` whose visitor last clicked the same link (partners) or survey
    (surveys) at ``last_seen``."""
    window_start = at - timedelta(seconds=window_seconds)
    if blocked:
        verdict, reason = "blocked", blocked
    elif agent.is_link_preview:
        verdict, reason = "bot", "link_preview"
    elif agent.is_bot:
        verdict, reason = "bot", "bot_user_agent"
    elif last_seen is not None and window_seconds and last_seen >= window_start:
        verdict, reason = "duplicate", "repeat_within_window"
    else:
        verdict, reason = "ok", None
    unique = verdict in ("ok", "duplicate") and (last_seen is None or last_seen < day_start(at))
    return Verdict(verdict, reason, unique)


def lookup_floor(at: datetime, window_seconds: int) -> datetime:
    """The earliest click time that can change the verdict of a click at ``at``."""
    return min(day_start(at), at - timedelta(seconds=window_seconds))
