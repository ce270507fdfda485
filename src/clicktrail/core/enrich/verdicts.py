"""A click's verdict (ok, bot, orphan, duplicate, blocked, expired, limit_reached) and its unique flag, from
its user agent and when its visitor last clicked the same thing: the rules every family judges its clicks by
(partners: a visitor is an ip + user agent on a link; surveys: a wall user on a survey). Where the last click
comes from is the family's; orphans and limits are partners' alone so far."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .useragent import UserAgent

LIMITS = {"expired": "expires_at", "limit_reached": "max_clicks"}  # a limit's verdict → its reason


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: str  # ok | bot | orphan | duplicate | blocked | expired | limit_reached
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
    orphan: bool = False,
    limited: str | None = None,
) -> Verdict:
    """The verdict of a click at ``at`` whose visitor last clicked the same link (partners) or survey
    (surveys) at ``last_seen``.
    ``orphan``: no configured link matches the click's URI. What the visitor is (blocked, a bot) comes
    first; an orphan is a human click that reached no link, whether or not it repeats. ``limited``: the
    click came past its link's ``expires_at`` ("expired") or ``max_clicks`` ("limit_reached"), which
    comes before all else: the link did not let it through."""
    window_start = at - timedelta(seconds=window_seconds)
    if limited:
        verdict, reason = limited, LIMITS[limited]
    elif blocked:
        verdict, reason = "blocked", blocked
    elif agent.is_link_preview:
        verdict, reason = "bot", "link_preview"
    elif agent.is_bot:
        verdict, reason = "bot", "bot_user_agent"
    elif orphan:
        verdict, reason = "orphan", "no_matching_link"
    elif last_seen is not None and window_seconds and last_seen >= window_start:
        verdict, reason = "duplicate", "repeat_within_window"
    else:
        verdict, reason = "ok", None
    unique = verdict in ("ok", "duplicate") and (last_seen is None or last_seen < day_start(at))
    return Verdict(verdict, reason, unique)


def lookup_floor(at: datetime, window_seconds: int) -> datetime:
    """The earliest click time that can change the verdict of a click at ``at``."""
    return min(day_start(at), at - timedelta(seconds=window_seconds))
