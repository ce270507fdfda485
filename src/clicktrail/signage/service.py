"""The journey rules: sessions opened by a scan or a form backend, ordered statuses, one coupon per session.

Each public function owns one transaction. Once-only steps are guarded in the database: a status step is a
conditional UPDATE on the session row, a coupon is a conditional UPDATE on the session (not issued yet and
eligible) plus a claim of one free code (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite transactions are
``BEGIN IMMEDIATE``, so they are serialized), with unique constraints behind both."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote_plus, urlencode, urlsplit, urlunsplit

from sqlalchemy import Row, and_, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from ..core.enrich import attribution
from ..core.enrich.attribution import Attribution
from ..core.enrich.attribution import columns as attribution_columns
from ..core.enrich.redirect_rules import Visit, first_match
from ..core.enrich.useragent import UserAgent, parse_user_agent
from ..core.journeys.events import append_event, append_row, event_row, record_event
from ..core.storage.db import table_of
from ..core.storage.ids import new_uuid7, storable, utcnow
from ..core.storage.writer import LockedRows, Read, Tx, Writer
from ..core.tenancy.apps import tenant
from ..core.web.errors import InvalidInput, NotFound, clip
from .campaigns import Rules, load_rules
from .config import DUPLICATE_WINDOW
from .models import Campaign, Coupon, JourneySession, OrphanScan
from .verdicts import judge_scan, ua_hash

FAMILY = "signage"
CLAIM_ATTEMPTS = 5
SESSIONS = table_of(JourneySession)
ORPHANS = table_of(OrphanScan)


# --- opening a session ----------------------------------------------------------------------------------


async def record_scan(
    writer: Writer,
    campaigns: dict[str, Rules],
    *,
    app_id: str,
    campaign_id: str,
    ip: str | None,
    country: str | None,
    user_agent: str | None,
    fallback_url: str = "",
    accept_language: str | None = None,
    query: str = "",
    attribution: Attribution | None = None,
    window_seconds: int = DUPLICATE_WINDOW,
) -> str:
    """A QR scan: open a session, log the scan, and return the URL to redirect to: the target of the
    campaign's first redirect rule the scan matches, else its form. A scan of a campaign the app does not
    have, or past the campaign's ``expires_at`` or ``max_clicks``, opens no session: it is an orphan scan
    when the app has a ``fallback_url`` (returned), else 404. ``attribution``: the scan URL's fields, kept
    on the session (or orphan scan) and its event. The scan gets a verdict (``verdicts``; a repeat of the
    visitor within ``window_seconds`` is a duplicate), which changes nothing of where it is sent."""
    user_agent = (user_agent or "").replace("\x00", "")[:512] or None
    ip = _address(ip)
    fields = attribution_columns(attribution or {})
    scanned = Scanned(app_id, campaign_id[:64], ip, country, user_agent, fields)
    rules = campaigns.get(campaign_id)
    if rules is None or (rules.expires_at is not None and utcnow() >= rules.expires_at):
        if not (fallback_url and storable(campaign_id)):
            raise NotFound(f"No record with campaign_id: {clip(campaign_id)}")
        await writer.submit(_orphan_job(scanned, "unknown_campaign" if rules is None else "expired"))
        return fallback_url
    row = _session_row(app_id, campaign_id, rules, source="scan", ip=ip, country=country, ua=user_agent)
    row.update(fields, ua_hash=ua_hash(user_agent))
    agent = parse_user_agent(user_agent)
    matched = None
    if rules.redirects:  # a campaign without rules costs nothing more
        seen = Visit(
            now=row["created_at"], country=country, user_agent=user_agent, accept_language=accept_language,
            query=query,
        )  # fmt: skip
        matched = first_match(rules.redirects, seen)
    rule = matched.name if matched is not None else None
    target = with_session_id(matched.target if matched is not None else rules.form_url, row["id"])
    counter = Read(_CAMPAIGNS, app_id, campaign_id) if rules.max_clicks else None
    orphan = _orphan_job(scanned, "limit_reached") if fallback_url else None

    def job(tx: Tx) -> str:
        if counter is not None and not _counted(tx, counter):
            if orphan is None:
                raise NotFound(f"No record with campaign_id: {clip(campaign_id)}")
            orphan(tx)
            return fallback_url
        judge_scan(tx, row, agent=agent, window_seconds=window_seconds)
        tx.insert(SESSIONS, row)
        append_row(tx, _scan_event(row, described(agent), rule))
        return target

    return await writer.submit(job, reads=(counter,) if counter is not None else ())


def _scan_event(row: dict[str, Any], agent: dict[str, Any], rule: str | None) -> dict[str, Any]:
    """The ``scan.recorded`` event of a session a scan opened (``rule``: the redirect rule it followed):
    the scan's attribution and dimensions (the metrics count it under them) and its verdict."""
    payload = {"campaign_id": row["campaign_id"], "ip": row["ip"], "country": row["country"], **agent}
    verdict = {
        "verdict": row["verdict"],
        "verdict_reason": row["verdict_reason"],
        "unique": row["is_unique"],
        "bot": row["verdict"] == "bot",
    }
    return event_row(
        app_id=row["app_id"],
        family=FAMILY,
        journey_id=row["id"],
        type="scan.recorded",
        payload={**payload, "rule": rule, **_attribution_payload(row), **verdict},
        at=row["created_at"],
    )


def _attribution_payload(row: dict[str, Any]) -> dict[str, Any]:
    """The fields a scan gave (a journey search finds them) and its metrics dimensions that are known."""
    known = {name: value for name, value in attribution.dimensions(row).items() if value is not None}
    return {**attribution.given(row), **known}


# Built once: the counters of a batch's limited campaigns are read (and locked) by one statement.
_CAMPAIGNS = LockedRows(
    select=select(Campaign.id, Campaign.clicks_used, Campaign.max_clicks)
    .where(tenant(Campaign, bindparam("app")), Campaign.id.in_(bindparam("ids", expanding=True)))
    .order_by(Campaign.id)
    .with_for_update(),
    update=update(Campaign).where(tenant(Campaign, bindparam("app")), Campaign.id == bindparam("row_id")),
)


def _counted(tx: Tx, counter: Read) -> bool:
    """Count the scan against its campaign's ``max_clicks`` (the stored one: a change applied since the
    rules were cached counts at once); False when the campaign has reached it. The row is locked until the
    batch commits, so processes never let more through."""
    used = tx.read(counter)
    if used is None or used["max_clicks"] is None:
        return True
    if used["clicks_used"] >= used["max_clicks"]:
        return False
    tx.update(counter, {"clicks_used": used["clicks_used"] + 1})
    return True


@dataclass(frozen=True, slots=True)
class Scanned:
    """Who scanned what, as an orphan scan keeps it."""

    app_id: str
    campaign_id: str
    ip: str | None
    country: str | None
    user_agent: str | None
    attribution: dict[str, str | None]  # every field, None when not given


def _orphan_job(scan: Scanned, reason: str) -> Callable[[Tx], None]:
    """A scan that opened no session, as a writer job: its row and its ``scan.orphaned`` event."""
    scanned = asdict(scan)
    row = {
        "id": new_uuid7(),
        **scanned.pop("attribution"),
        **scanned,
        "reason": reason,
        "created_at": utcnow(),
    }
    payload = {"campaign_id": scan.campaign_id, "reason": reason, "ip": scan.ip, "country": scan.country}
    payload.update(_attribution_payload(row))
    event = event_row(
        app_id=scan.app_id,
        family=FAMILY,
        journey_id=row["id"],
        type="scan.orphaned",
        payload={**payload, **describe_user_agent(scan.user_agent)},
        at=row["created_at"],
    )

    def job(tx: Tx) -> None:
        tx.insert(ORPHANS, row)
        append_row(tx, event)

    return job


def _session_row(
    app_id: str,
    campaign_id: str,
    rules: Rules,
    *,
    source: str,
    ip: str | None = None,
    country: str | None = None,
    ua: str | None = None,
) -> dict[str, Any]:
    now = utcnow()
    ttl = rules.session_ttl_seconds
    return {
        "id": new_uuid7(),
        "app_id": app_id,
        "campaign_id": campaign_id,
        "source": source,
        "status": None,
        "status_changed_at": None,
        "coupon_code": None,
        "coupon_issued_at": None,
        "ip": ip,
        "country": country,
        "user_agent": ua,
        "created_at": now,
        "expires_at": now + timedelta(seconds=ttl) if ttl else None,
    }


def create_session(session: Session, *, app_id: str, campaign_id: str) -> str:
    """A session opened by the form's backend (no scan); returns its id."""
    with session.begin():
        session_id = _open_session(session, app_id=app_id, campaign_id=campaign_id, source="api")
        record_event(
            session,
            app_id=app_id,
            family=FAMILY,
            journey_id=session_id,
            type="session.created",
            payload={"campaign_id": campaign_id, "source": "api"},
        )
    return session_id


def _open_session(session: Session, *, app_id: str, campaign_id: str, source: str) -> str:
    if not (storable(app_id) and storable(campaign_id)):
        raise NotFound(f"No record with campaign_id: {clip(campaign_id)}")
    rules = load_rules(session, app_id).get(campaign_id)
    if rules is None:
        raise NotFound(f"No record with campaign_id: {clip(campaign_id)}")
    row = _session_row(app_id, campaign_id, rules, source=source)
    session.execute(insert(JourneySession).values(**row))
    return row["id"]


def _address(ip: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def with_session_id(form_url: str, session_id: str) -> str:
    """The form URL with ``session_id`` in its query; the form's own parameters (byte for byte, minus any
    stale ``session_id``) and fragment are kept."""
    parts = urlsplit(form_url)
    kept = [p for p in parts.query.split("&") if p and unquote_plus(p.partition("=")[0]) != "session_id"]
    query = "&".join([*kept, urlencode({"session_id": session_id})])
    return urlunsplit(parts._replace(query=query))


def describe_user_agent(user_agent: str | None) -> dict[str, Any]:
    """Browser, OS and device of a user agent; bots and link previewers are flagged, not dropped."""
    return described(parse_user_agent(user_agent))


def described(agent: UserAgent) -> dict[str, Any]:
    """A parsed user agent as a scan's event carries it."""
    return {
        "browser": agent.browser,
        "os": agent.os,
        "device": agent.device,
        "is_bot": agent.is_bot,
        "is_link_preview": agent.is_link_preview,
    }


# --- statuses -------------------------------------------------------------------------------------------


async def update_status(
    writer: Writer, campaigns: dict[str, Rules], *, app_id: str, session_id: str, new_status: str
) -> None:
    """Move a session forward to ``new_status`` (skipping ahead is allowed, going back is not)."""
    if not storable(session_id):
        raise NotFound(f"No record with session_id: {clip(session_id)}")

    declared = Read(_SESSIONS, app_id, session_id)

    def job(tx: Tx) -> None:
        now = utcnow()
        current = tx.read(declared)
        live = current is not None and (current["expires_at"] is None or current["expires_at"] > now)
        rules = campaigns.get(current["campaign_id"]) if current is not None and live else None
        if current is None or rules is None:
            raise NotFound(f"No record with session_id: {clip(session_id)}")
        if new_status not in rules.statuses:
            raise InvalidInput(f"Invalid new_status {clip(new_status)}")
        if current["status"] in rules.statuses[rules.statuses.index(new_status) :]:
            raise InvalidInput(f"Action already completed for session_id: {clip(session_id)}")
        tx.update(declared, {"status": new_status, "status_changed_at": now})
        append_event(
            tx,
            app_id=app_id,
            family=FAMILY,
            journey_id=session_id,
            type="status.changed",
            payload={
                "campaign_id": current["campaign_id"],
                "from": current["status"],
                "to": new_status,
                "skipped": _skipped(list(rules.statuses), current["status"], new_status),
            },
            at=now,
        )

    await writer.submit(job, reads=(declared,))


# Built once: every status step of a batch is read (and locked) by one statement, and written by one.
_SESSIONS = LockedRows(
    select=select(
        JourneySession.id, JourneySession.campaign_id, JourneySession.status, JourneySession.expires_at
    )
    .where(tenant(JourneySession, bindparam("app")), JourneySession.id.in_(bindparam("ids", expanding=True)))
    .order_by(JourneySession.id)
    .with_for_update(),
    update=update(JourneySession).where(
        tenant(JourneySession, bindparam("app")), JourneySession.id == bindparam("row_id")
    ),
)


def _skipped(statuses: list[str], previous: str | None, new: str) -> list[str]:
    start = statuses.index(previous) + 1 if previous in statuses else 0
    return statuses[start : statuses.index(new)]


def _locked_session(
    session: Session, *, app_id: str, session_id: str, now: datetime
) -> Row[str, str | None, datetime | None, list[str], str] | None:
    """The live session with its campaign's rules, its row locked until the transaction ends."""
    if not storable(session_id):
        return None
    return session.execute(
        select(
            JourneySession.campaign_id,
            JourneySession.status,
            JourneySession.coupon_issued_at,
            Campaign.statuses,
            Campaign.coupon_after,
        )
        .join(
            Campaign,
            and_(Campaign.app_id == JourneySession.app_id, Campaign.id == JourneySession.campaign_id),
        )
        .where(
            JourneySession.id == session_id,
            tenant(JourneySession, app_id),
            or_(JourneySession.expires_at.is_(None), JourneySession.expires_at > now),
        )
        .with_for_update(of=JourneySession)
    ).first()


# --- coupons --------------------------------------------------------------------------------------------


def issue_coupon(session: Session, *, app_id: str, session_id: str) -> str:
    """Hand the session one code of its campaign's pool, once it has reached ``coupon_after``."""
    with session.begin():
        now = utcnow()
        current = _locked_session(session, app_id=app_id, session_id=session_id, now=now)
        if current is None:
            raise InvalidInput(f"Invalid session_id {clip(session_id)}")
        statuses = list(current.statuses)
        eligible = (
            statuses[statuses.index(current.coupon_after) :] if current.coupon_after in statuses else []
        )
        marked = session.execute(
            update(JourneySession)
            .where(
                JourneySession.id == session_id,
                tenant(JourneySession, app_id),
                JourneySession.coupon_issued_at.is_(None),
                JourneySession.status.in_(eligible),
            )
            .values(coupon_issued_at=now)
        )
        if marked.rowcount != 1:  # type: ignore[attr-defined]  # DML gives a CursorResult
            if current.coupon_issued_at is not None:
                raise InvalidInput(f"Coupon already issued for session_id: {clip(session_id)}")
            raise InvalidInput(
                f"Coupon not available yet for session_id: {clip(session_id)}"
                f" (status must reach {current.coupon_after})"
            )
        code = _claim_code(
            session, app_id=app_id, campaign_id=current.campaign_id, session_id=session_id, now=now
        )
        session.execute(
            update(JourneySession)
            .where(JourneySession.id == session_id, tenant(JourneySession, app_id))
            .values(coupon_code=code)
        )
        record_event(
            session,
            app_id=app_id,
            family=FAMILY,
            journey_id=session_id,
            type="coupon.issued",
            payload={"campaign_id": current.campaign_id, "coupon_code": code, "status": current.status},
            at=now,
        )
    return code


def _claim_code(session: Session, *, app_id: str, campaign_id: str, session_id: str, now: datetime) -> str:
    """Take the first free code of the pool that no concurrent transaction holds."""
    for _ in range(CLAIM_ATTEMPTS):
        free = session.execute(
            select(Coupon.id, Coupon.code)
            .where(tenant(Coupon, app_id), Coupon.campaign_id == campaign_id, Coupon.session_id.is_(None))
            .order_by(Coupon.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if free is None:
            break
        claimed = session.execute(
            update(Coupon)
            .where(Coupon.id == free.id, tenant(Coupon, app_id), Coupon.session_id.is_(None))
            .values(session_id=session_id, issued_at=now)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]  # DML gives a CursorResult
            return free.code
    raise InvalidInput(f"No coupons left for campaign {clip(campaign_id)}")
