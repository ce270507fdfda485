"""Erasure and retention for partners.

A person is a registered profile, named by its id, its ``uuid`` (the CRM's client id) or one of its contact
values (an email, a phone number; compared case-insensitively): erasing them removes the profile, its
contacts and every click registered to it, with their journey events. A click nobody registered carries no
person to find it by (its ip, user agent and click ids age out with retention, or go with
``DELETE /ib/v1/clicks/{id}``).

Retention keeps clicks for the statistics (time, link, banner, country, browser, OS, device, verdict, UTM,
sub-ids, and the referrer host and ad network the row stored when the click was recorded) and nulls their
raw personal data once older than the cutoff: ip, user agent, referrer, city, coordinates and the ad click
ids (gclid, fbclid, msclkid: an ad network can tie one to a person). The click ids also leave the
payloads of the click's events (``ad_network`` stays, so the metrics do not move): of every click event
older than the cutoff, and of every event of a click purged now, however recent (a registration made after
the click). A profile last updated before the cutoff loses its contacts and its
names; its id, uuid, country and the click's registration stay, so registration counts do not change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from ..core.enrich.attribution import CLICK_IDS
from ..core.journeys.log import JourneyEvent
from ..core.journeys.privacy import Erased, Purged, older_events, redact_payloads
from ..core.storage.db import UTCDateTime
from ..core.tenancy.apps import tenant
from .models import PartnerClick, PartnerContact, PartnerProfile

FAMILY = "partners"

RAW_CLICK_COLUMNS = ("ip", "user_agent", "referrer", "city", "latitude", "longitude")
PURGED_CLICK_COLUMNS = (*RAW_CLICK_COLUMNS, *CLICK_IDS)  # an ad network can tie a click id to a person
# The events whose payload carries the click's given attribution, click ids included.
CARRYING_CLICK_IDS = ("click.created", "click.registered", "profile.updated")
JOURNEYS = 500  # journey ids per IN list


def erase(session: Session, *, app_id: str, user_id: str) -> Erased:
    by_contact = select(PartnerContact.profile_id).where(
        tenant(PartnerContact, app_id), PartnerContact.value_lc == user_id.strip().lower()
    )
    profile_ids = set(
        session.scalars(
            select(PartnerProfile.id).where(
                tenant(PartnerProfile, app_id),
                or_(
                    PartnerProfile.id == user_id,
                    PartnerProfile.uuid == user_id,
                    PartnerProfile.id.in_(by_contact),
                ),
            )
        )
    )
    if not profile_ids:
        return Erased(rows=dict.fromkeys(("partner_clicks", "partner_contacts", "partner_profiles"), 0))
    erased = Erased(users=profile_ids)
    clicks = tenant(PartnerClick, app_id), PartnerClick.profile_id.in_(profile_ids)
    erased.journeys = set(session.scalars(select(PartnerClick.id).where(*clicks)))
    erased.rows["partner_clicks"] = session.execute(delete(PartnerClick).where(*clicks)).rowcount  # type: ignore[attr-defined]  # DML gives a CursorResult
    erased.rows["partner_contacts"] = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        delete(PartnerContact).where(
            tenant(PartnerContact, app_id), PartnerContact.profile_id.in_(profile_ids)
        )
    ).rowcount
    erased.rows["partner_profiles"] = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        delete(PartnerProfile).where(tenant(PartnerProfile, app_id), PartnerProfile.id.in_(profile_ids))
    ).rowcount
    return erased


def redact_click_ids(session: Session, app_id: str, journeys: Sequence[str]) -> int:
    """Remove the click ids from the payloads of these clicks' events (``ix_journey_events_app_journey``),
    however recent: a registration made after the click was purged still names its click id. The events
    changed."""
    changed = 0
    for start in range(0, len(journeys), JOURNEYS):
        chunk = journeys[start : start + JOURNEYS]
        where = [
            tenant(JourneyEvent, app_id),
            JourneyEvent.family == FAMILY,
            JourneyEvent.journey_id.in_(chunk),
        ]
        changed += redact_payloads(session, where, removed=CLICK_IDS)
    return changed


def purge(session: Session, *, app_id: str, before: datetime) -> Purged:
    raw = [getattr(PartnerClick, name) for name in PURGED_CLICK_COLUMNS]
    clicks = session.scalars(
        update(PartnerClick)
        .where(
            tenant(PartnerClick, app_id),
            PartnerClick.create_time < before,
            or_(*(column.is_not(None) for column in raw)),
        )
        .values(dict.fromkeys(PURGED_CLICK_COLUMNS))
        .returning(PartnerClick.id)
        .execution_options(synchronize_session=False)
    ).all()
    events = redact_payloads(
        session, older_events(app_id, FAMILY, CARRYING_CLICK_IDS, before), removed=CLICK_IDS
    )
    events += redact_click_ids(session, app_id, clicks)
    stale = select(PartnerProfile.id).where(
        tenant(PartnerProfile, app_id), PartnerProfile.update_time < before
    )
    contacts = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        delete(PartnerContact)
        .where(tenant(PartnerContact, app_id), PartnerContact.profile_id.in_(stale))
        .execution_options(synchronize_session=False)
    ).rowcount
    profiles = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        update(PartnerProfile)
        .where(
            tenant(PartnerProfile, app_id),
            PartnerProfile.update_time < before,
            or_(
                PartnerProfile.first_name.is_not(None),
                PartnerProfile.last_name.is_not(None),
                PartnerProfile.middle_name.is_not(None),
                func.length(PartnerProfile.full_name_lc) > 0,
            ),
        )
        .values(first_name=None, last_name=None, middle_name=None, full_name_lc="")
        .execution_options(synchronize_session=False)
    ).rowcount
    return Purged(
        anonymized={"partner_clicks": len(clicks), "partner_profiles": profiles, "journey_events": events},
        removed={"partner_contacts": contacts},
    )


# The reservations (PostgreSQL, partners_0005) of clicks older than the cutoff, whose clicks row retention
# has deleted or dropped with their month; one whose click still stands (it moved to a later month) stays.
_EXPIRED_UUIDS = text(
    "DELETE FROM partner_click_uuids WHERE ctid = ANY(ARRAY("
    " SELECT u.ctid FROM partner_click_uuids u WHERE u.create_time < :cutoff AND NOT EXISTS ("
    "  SELECT 1 FROM partner_clicks c WHERE c.id = u.click_id AND c.app_id = u.app_id AND c.uuid = u.uuid)"
    " LIMIT :limit))"
).bindparams(bindparam("cutoff", type_=UTCDateTime))


def expire(conn: Connection, *, cutoff: datetime, limit: int) -> dict[str, int]:
    """Row retention's last step: release the uuids of expired clicks. A uuid is kept unique per app by
    a reservation row (PostgreSQL only, since partitioning); dropping a month leaves its clicks'
    reservations behind, and without this they would pile up for ever."""
    if conn.dialect.name != "postgresql":
        return {}
    return {"partner_click_uuids": conn.execute(_EXPIRED_UUIDS, {"cutoff": cutoff, "limit": limit}).rowcount}
