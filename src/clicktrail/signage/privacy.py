"""Retention for signage. A session is a QR scan by an unknown shopper: it carries no user id, so there is
no person to erase by one. Once older than the cutoff, a session's ip, user agent and user agent hash are
nulled, and so is the ip in its ``scan.recorded`` event (the country and the parsed browser, OS and device
stay); the same for an orphan scan (a scan that opened no session) and its ``scan.orphaned`` event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..core.journeys.log import JourneyEvent
from ..core.journeys.privacy import Purged
from ..core.tenancy.apps import tenant
from .models import JourneySession, OrphanScan

FAMILY = "signage"


def purge(session: Session, *, app_id: str, before: datetime) -> Purged:
    sessions = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        update(JourneySession)
        .where(
            tenant(JourneySession, app_id),
            JourneySession.created_at < before,
            or_(
                JourneySession.ip.is_not(None),
                JourneySession.user_agent.is_not(None),
                JourneySession.ua_hash.is_not(None),
            ),
        )
        .values(ip=None, user_agent=None, ua_hash=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    orphans = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        update(OrphanScan)
        .where(
            tenant(OrphanScan, app_id),
            OrphanScan.created_at < before,
            or_(OrphanScan.ip.is_not(None), OrphanScan.user_agent.is_not(None)),
        )
        .values(ip=None, user_agent=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    scans = session.execute(
        select(JourneyEvent.id, JourneyEvent.payload).where(
            tenant(JourneyEvent, app_id),
            JourneyEvent.type.in_(("scan.recorded", "scan.orphaned")),
            JourneyEvent.family == FAMILY,
            JourneyEvent.created_at < before,
            JourneyEvent.payload["ip"].as_string().is_not(None),
        )
    ).all()
    if scans:
        session.execute(
            update(JourneyEvent),
            [{"id": row.id, "payload": {**row.payload, "ip": None}} for row in scans],
        )
    anonymized = {"signage_sessions": sessions, "signage_orphan_scans": orphans, "journey_events": len(scans)}
    return Purged(anonymized=anonymized)
