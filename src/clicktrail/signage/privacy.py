"""Retention for signage. A session is a QR scan by an unknown shopper: it carries no user id, so there is
no person to erase by one. Once older than the cutoff, a session's ip, user agent, user agent hash and ad
click ids (gclid, fbclid, msclkid: an ad network can tie one to a person) are nulled; its ``scan.recorded``
event's ip is nulled and its click ids removed (the country, the parsed browser, OS and device, the UTM
fields, sub-ids and ``ad_network`` stay, so the metrics do not move); the same for an orphan scan (a scan
that opened no session) and its ``scan.orphaned`` event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..core.enrich.attribution import CLICK_IDS
from ..core.journeys.privacy import Purged, null_older, older_events, redact_payloads
from .models import JourneySession, OrphanScan

FAMILY = "signage"
SCANS = ("scan.recorded", "scan.orphaned")  # the events that carry a scan's ip and click ids


# A row's raw personal data: the scanner's address and agent, and the ad click id its URL gave.
SESSION_COLUMNS = ("ip", "user_agent", "ua_hash", *CLICK_IDS)
ORPHAN_COLUMNS = ("ip", "user_agent", *CLICK_IDS)


def purge(session: Session, *, app_id: str, before: datetime) -> Purged:
    sessions = null_older(session, JourneySession, app_id, before, SESSION_COLUMNS)
    orphans = null_older(session, OrphanScan, app_id, before, ORPHAN_COLUMNS)
    scans = redact_payloads(
        session, older_events(app_id, FAMILY, SCANS, before), nulled=("ip",), removed=CLICK_IDS
    )
    anonymized = {"signage_sessions": sessions, "signage_orphan_scans": orphans, "journey_events": scans}
    return Purged(anonymized=anonymized)
