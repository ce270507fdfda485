"""A scan's verdict (ok, bot, duplicate) and unique flag, by the rules every family judges by
(``core.enrich.verdicts.judge``): the visitor is an ip + user agent (hashed), as partners', the "link" the
campaign, and the agent the phone's. Never blocked (signage has no blocklist); a scan that opens no session
is an orphan scan, kept apart (``scan.orphaned``), so it is not judged here.

A verdict is ours, for analytics: the scan opens its session and is sent on exactly as without it.

The visitor's last scan of the campaign is read from the database (``ix_signage_sessions_visitor``)
together with the scans the batch has noted, which are not written until it commits; so a repeat inside one
batch is a duplicate too. A bot's verdict needs no last scan: it is looked up for humans only. A scan
without an address (none, or not one) is no known visitor: never a duplicate, always unique."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select

from ..core.enrich.useragent import UserAgent
from ..core.enrich.verdicts import Verdict, judge, lookup_floor
from ..core.storage.db import table_of
from ..core.storage.writer import Tx
from ..core.tenancy.apps import tenant
from .models import JourneySession

__all__ = ["Verdict", "judge_scan", "ua_hash"]

SESSIONS = table_of(JourneySession)
Visitor = tuple[str, str, str, str]  # app, campaign, ip, user agent hash

# Built once: only its parameters change from one scan to the next.
LAST_SCAN = select(func.max(SESSIONS.c.created_at)).where(
    tenant(SESSIONS.c, bindparam("app_id")),
    SESSIONS.c.campaign_id == bindparam("campaign_id"),
    SESSIONS.c.ip == bindparam("ip"),
    SESSIONS.c.ua_hash == bindparam("ua_hash"),
    SESSIONS.c.created_at >= bindparam("floor", type_=SESSIONS.c.created_at.type),
    SESSIONS.c.created_at <= bindparam("until", type_=SESSIONS.c.created_at.type),
)


def ua_hash(user_agent: str | None) -> str:
    """The user agent as the visitor key keeps it (partners' hash)."""
    return hashlib.sha256((user_agent or "").encode()).hexdigest()[:32]


def last_scan(tx: Tx, visitor: Visitor, *, floor: datetime, at: datetime) -> datetime | None:
    """The visitor's latest scan of the campaign in [floor, at], committed or noted by this batch; notes
    the scan at ``at`` for the batch's later jobs (a job the writer undoes takes its note with it)."""
    app_id, campaign_id, ip, agent_hash = visitor
    params = {
        "app_id": app_id, "campaign_id": campaign_id, "ip": ip, "ua_hash": agent_hash, "floor": floor,
        "until": at,
    }  # fmt: skip
    # The batch's sessions are buffered (written as it commits): they come from its notes, not the query.
    stored: Any = tx.execute(LAST_SCAN, params, sees_buffered=False).scalar()
    noted: tuple[datetime, ...] = tx.noted(("signage.visitor_scans", visitor)) or ()
    tx.note(("signage.visitor_scans", visitor), (*noted, at))
    return max((t for t in (stored, *noted) if t is not None and floor <= t <= at), default=None)


def judge_scan(tx: Tx, row: dict[str, Any], *, agent: UserAgent, window_seconds: int) -> Verdict:
    """The verdict of the scan that opens session ``row`` (its ``created_at`` is when it was made), set on
    the row as its columns."""
    at = row["created_at"]
    last_seen = None
    # A bot's verdict needs no last scan; a scan without an address has no visitor to repeat.
    if not (agent.is_bot or agent.is_link_preview) and row["ip"] is not None:
        visitor = (row["app_id"], row["campaign_id"], row["ip"], row["ua_hash"])
        last_seen = last_scan(tx, visitor, floor=lookup_floor(at, window_seconds), at=at)
    verdict = judge(at=at, last_seen=last_seen, window_seconds=window_seconds, blocked=None, agent=agent)
    row.update(verdict=verdict.verdict, verdict_reason=verdict.reason, is_unique=verdict.unique)
    return verdict
