"""An app's privacy settings (the ``privacy`` section of its config) and the pieces erasure and retention
share: IP anonymization, the cached settings the hot paths read, and what a family reports it erased.

IP anonymization works like Shlink's: an address is cut to its network (IPv4: the last octet zeroed, a /24;
IPv6: the last 80 bits zeroed, a /48) before it is stored. The country is looked up, and blocklists are
checked, on the full address first, so both stay right; the duplicate and unique verdicts then compare
anonymized addresses (a visitor is "this /24 + this user agent"), which can merge two people behind one
network into one visitor: the price of never storing the full address."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true, update
from sqlalchemy.orm import Session

from ..config.document import PrivacySpec
from ..enrich.addresses import parsed_address
from ..storage.ids import utcnow
from ..tenancy.apps import App, tenant
from .log import JourneyEvent

SECTION = "privacy"


@lru_cache(maxsize=4096)
def anonymize_ip(ip: str) -> str:
    """``81.2.69.142`` → ``81.2.69.0``; ``2a02:2e0:3fe:1001:7777:772e:2:85`` → ``2a02:2e0:3fe::``. An
    IPv4-mapped IPv6 address is cut as IPv4. Text that is no address is returned as it is."""
    addr = parsed_address(ip)
    if addr is None:
        return ip
    prefix = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False).network_address)


@dataclass(frozen=True, slots=True)
class Privacy:
    anonymize_ip: bool = False
    personal_data_days: int | None = None

    def ip(self, ip: str) -> str:
        """The address as stored: anonymized when the app asks for it."""
        return anonymize_ip(ip) if self.anonymize_ip else ip


DEFAULT = Privacy()


def privacy_of(config: dict) -> Privacy:
    section = config.get(SECTION) or {}
    return Privacy(
        anonymize_ip=bool(section.get("anonymize_ip", False)),
        personal_data_days=section.get("personal_data_days"),
    )


def anonymizing() -> ColumnElement[bool]:
    """An app row whose privacy section sets ``anonymize_ip`` (one query answers it for every app)."""
    return App.config[(SECTION, "anonymize_ip")].as_boolean() == true()


def load_privacy(session: Session, app_id: str) -> Privacy:
    """The app's privacy settings (a ``ConfigCache`` loader: hot paths read them from memory)."""
    config = session.scalar(select(App.config).where(App.id == app_id))
    return privacy_of(config or {})


def apply_privacy(session: Session, app_id: str, spec: PrivacySpec | None) -> list[str]:
    """Store the section (absent: left as it is). A change moves the app's config version, so every
    process's cached settings reload."""
    if spec is None:
        return []
    wanted = spec.model_dump(mode="json")
    app = session.get(App, app_id)
    assert app is not None
    if app.config.get(SECTION) == wanted:
        return []
    app.config = {**app.config, SECTION: wanted}
    app.updated_at = utcnow()
    return ["privacy settings updated"]


@dataclass
class Erased:
    """What a family erased of one person: rows per table, and the journey and user ids its journey events
    use for that person (the core removes those events and the pending messages about them)."""

    rows: dict[str, int] = field(default_factory=dict)
    journeys: set[str] = field(default_factory=set)
    users: set[str] = field(default_factory=set)


@dataclass
class Purged:
    """What retention did to one app's rows of one family, per table: rows it kept for the statistics but
    stripped of personal data (columns nulled, payload fields redacted), and rows it deleted."""

    anonymized: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)


def older_events(
    app_id: str, family: str, types: Sequence[str], before: datetime
) -> list[ColumnElement[bool]]:
    """The family's events of ``types`` made before the cutoff: a range of
    ``ix_journey_events_app_type_time`` (app, family, type, time)."""
    return [
        tenant(JourneyEvent, app_id),
        JourneyEvent.family == family,
        JourneyEvent.type.in_(types),
        JourneyEvent.created_at < before,
    ]


def null_older(session: Session, model: Any, app_id: str, before: datetime, columns: Sequence[str]) -> int:
    """Null ``columns`` on the app's rows of ``model`` made (``created_at``) before the cutoff that still
    hold one: one statement, so a row is counted once however many of them it held; the rows changed."""
    held = [getattr(model, name).is_not(None) for name in columns]
    return session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        update(model)
        .where(tenant(model, app_id), model.created_at < before, or_(*held))
        .values(dict.fromkeys(columns))
        .execution_options(synchronize_session=False)
    ).rowcount


def redact_payloads(
    session: Session,
    events: Sequence[ColumnElement[bool]],
    *,
    nulled: Sequence[str] = (),
    removed: Sequence[str] = (),
) -> int:
    """Strip personal data from the payloads of the ``events`` (conditions on the event log) that still
    carry some: the ``nulled`` keys set to null (the key stays, saying a value was there), the ``removed``
    keys dropped. The payloads are edited in Python and written back by id, the same on both engines
    (their JSON functions differ); a redacted payload matches no more, so a second run changes nothing.
    The number of events changed, each once however many of its keys went."""
    keys = (*nulled, *removed)
    found = session.execute(
        select(JourneyEvent.id, JourneyEvent.payload).where(
            *events, or_(*(JourneyEvent.payload[key].as_string().is_not(None) for key in keys))
        )
    ).all()
    if found:
        session.execute(
            update(JourneyEvent),
            [{"id": row.id, "payload": _redacted(row.payload, nulled, removed)} for row in found],
        )
    return len(found)


def _redacted(payload: dict[str, Any], nulled: Sequence[str], removed: Sequence[str]) -> dict[str, Any]:
    kept = {key: value for key, value in payload.items() if key not in removed}
    return {**kept, **{key: None for key in nulled if key in payload}}
