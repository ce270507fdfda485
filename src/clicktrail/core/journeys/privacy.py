"""An app's privacy settings (the ``privacy`` section of its config) and the pieces erasure and retention
share: IP anonymization, the cached settings the hot paths read, and what a family reports it erased.

IP anonymization works like Shlink's: an address is cut to its network (IPv4: the last octet zeroed, a /24;
IPv6: the last 80 bits zeroed, a /48) before it is stored. The country is looked up, and blocklists are
checked, on the full address first, so both stay right; the duplicate and unique verdicts then compare
anonymized addresses (a visitor is "this /24 + this user agent"), which can merge two people behind one
network into one visitor: the price of never storing the full address."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from ..config.document import PrivacySpec
from ..enrich.addresses import parsed_address
from ..storage.ids import utcnow
from ..tenancy.apps import App

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
