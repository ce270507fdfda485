"""Links and banners: applying the config section, and the per-process catalog the click hot path reads.

A click's link is the configured link whose URI matches the click's URI on host, path and ``referral``
parameter; its banner comes from a ``banner`` (or ``bannerId``) parameter of the click URI (DESIGN §9)."""

from __future__ import annotations

import ipaddress
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pydantic import ValidationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..core.enrich import redirect_rules
from ..core.storage.ids import utcnow
from ..core.tenancy.apps import tenant
from ..core.web.errors import ConfigError
from .config import PartnersConfig, duplicate_ids
from .models import PartnerBanner, PartnerLink, PartnerSettings

log = logging.getLogger("clicktrail.partners")


# Landing URIs repeat (a link, a few banners and UTM sets), and parsing one costs more than the rest of
# its lookup: the pure parsers below remember their last few thousand answers.
@lru_cache(maxsize=4096)
def match_key(uri: str) -> str | None:
    """host (lowercased, with a non-default port) + path (no trailing slash) + the referral value."""
    try:
        parts = urlsplit(uri.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    if port is not None and (parts.scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    referral = (parse_qs(parts.query).get("referral") or [""])[0]
    return f"{host}{path}?referral={referral}"


@lru_cache(maxsize=4096)
def banner_param(uri: str) -> str | None:
    try:
        query = parse_qs(urlsplit(uri).query)
    except ValueError:
        return None
    for name in ("banner", "bannerId"):
        if query.get(name):
            return query[name][0]
    return None


@dataclass(frozen=True, slots=True)
class LinkRow:
    id: str
    postback_url: str | None
    expires_at: datetime | None = None
    max_clicks: int | None = None
    uri: str = ""  # where its tracked redirect sends a visit no rule matches
    rules: tuple[redirect_rules.Rule, ...] = ()  # in order; none: every visit goes to the uri


@dataclass(frozen=True, slots=True)
class BannerRow:
    id: str
    link_id: str
    name: str
    cdn_file_url: str | None


@dataclass(frozen=True)
class Catalog:
    """What one app's click creation needs, loaded once per settings version."""

    version: int
    links_by_key: dict[str, LinkRow]
    links_by_id: dict[str, LinkRow]
    banners: dict[str, BannerRow]
    duplicate_window_seconds: int
    blocked_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    blocked_countries: frozenset[str]
    fallback_url: str | None = None  # where the tracked redirect sends a visit past its link's limits

    def resolve(self, uri: str) -> tuple[LinkRow | None, BannerRow | None]:
        key = match_key(uri)
        link = self.links_by_key.get(key) if key else None
        banner_id = banner_param(uri)
        banner = self.banners.get(banner_id) if banner_id else None
        if banner is not None:
            if link is None:
                link = self.links_by_id.get(banner.link_id)
            elif banner.link_id != link.id:
                banner = None
        return link, banner

    def blocked(self, ip: str | None, country_code: str | None) -> str | None:
        if country_code and country_code in self.blocked_countries:
            return "blocked_country"
        if self.blocked_networks and ip:
            addr = ipaddress.ip_address(ip)
            if any(addr.version == net.version and addr in net for net in self.blocked_networks):
                return "blocked_ip"
        return None


EMPTY = Catalog(0, {}, {}, {}, PartnersConfig().duplicate_window_seconds, (), frozenset())


def load_catalog(session: Session, app_id: str) -> Catalog:
    """What one app's click creation needs (a ``ConfigCache`` loader: cached until the config moves)."""
    settings = session.get(PartnerSettings, app_id)
    if settings is None:
        return EMPTY
    links = list(session.scalars(select(PartnerLink).where(tenant(PartnerLink, app_id))))
    banners = session.scalars(select(PartnerBanner).where(tenant(PartnerBanner, app_id)))
    rows = {link.id: _link_row(app_id, link, settings.timezone) for link in links}
    return Catalog(
        version=settings.version,
        links_by_key={link.match_key: rows[link.id] for link in links},
        links_by_id=rows,
        banners={b.id: BannerRow(b.id, b.link_id, b.name, b.cdn_file_url) for b in banners},
        duplicate_window_seconds=settings.duplicate_window_seconds,
        blocked_networks=tuple(ipaddress.ip_network(n) for n in settings.blocked_networks),
        blocked_countries=frozenset(settings.blocked_countries),
        fallback_url=settings.fallback_url,
    )


def _link_row(app_id: str, link: PartnerLink, timezone: str) -> LinkRow:
    rules = _compiled_rules(app_id, link, timezone) if link.rules else ()
    return LinkRow(link.id, link.postback_url, link.expires_at, link.max_clicks, link.uri, rules)


def _compiled_rules(app_id: str, link: PartnerLink, timezone: str) -> tuple[redirect_rules.Rule, ...]:
    """The link's stored rules, compiled; none (the uri for every visit) when they no longer load."""
    try:
        return redirect_rules.compile_stored(link.rules, timezone)
    except (ValidationError, ValueError) as exc:
        log.warning(
            "partners: app %s link %s rules not loaded: %s", app_id, link.id, redirect_rules.where(exc)
        )
        return ()


# --- apply ----------------------------------------------------------------------------------------------


def apply_section(session: Session, *, app_id: str, section: PartnersConfig) -> list[str]:
    """Make the app's links, banners and settings what the section says; report what changed."""
    _check_links(section)
    now = utcnow()
    changes = _apply_links(session, app_id, section, now)
    changes += _apply_banners(session, app_id, section)
    changes += _apply_settings(session, app_id, section, links_changed=bool(changes))
    session.flush()
    return changes


def _check_links(section: PartnersConfig) -> None:
    """Refuse duplicate ids, and two links a click could not tell apart (same host, path and referral)."""
    problems = duplicate_ids(section)
    keys: dict[str, int] = {}
    for i, link in enumerate(section.links):
        key = match_key(link.uri)
        if key in keys:
            problems.append(
                (f"links[{i}].uri", f"matches the same host, path and referral as links[{keys[key]}].uri")
            )
        keys.setdefault(key or "", i)
    if problems:
        raise ConfigError(problems)


def _apply_links(session: Session, app_id: str, section: PartnersConfig, now: datetime) -> list[str]:
    changes: list[str] = []
    existing = {
        link.id: link for link in session.scalars(select(PartnerLink).where(tenant(PartnerLink, app_id)))
    }
    wanted_ids = {link.id for link in section.links}
    gone = sorted(set(existing) - wanted_ids)
    if gone:
        session.execute(delete(PartnerLink).where(tenant(PartnerLink, app_id), PartnerLink.id.in_(gone)))
        changes.extend(f"partners link {link_id} removed" for link_id in gone)
    for spec in section.links:
        values: dict[str, Any] = {
            "uri": spec.uri,
            "name": spec.name,
            "match_key": match_key(spec.uri),
            "postback_url": spec.postback_url,
            "expires_at": spec.expires_at,
            "max_clicks": spec.max_clicks,
            # as written (exclude_unset): a window's "from", no defaults added; none stored as NULL
            "rules": [rule.model_dump(mode="json", exclude_unset=True) for rule in spec.rules] or None,
        }
        current = existing.get(spec.id)
        if current is None:
            session.add(PartnerLink(app_id=app_id, id=spec.id, create_time=now, update_time=now, **values))
            changes.append(f"partners link {spec.id} created")
        elif _update(current, values):
            current.update_time = now
            changes.append(f"partners link {spec.id} updated")
    return changes


def _apply_banners(session: Session, app_id: str, section: PartnersConfig) -> list[str]:
    changes: list[str] = []
    banners = {b.id: b for b in session.scalars(select(PartnerBanner).where(tenant(PartnerBanner, app_id)))}
    wanted_banners = {b.id: (link.id, b) for link in section.links for b in link.banners}
    gone_banners = sorted(set(banners) - set(wanted_banners))
    if gone_banners:
        session.execute(
            delete(PartnerBanner).where(tenant(PartnerBanner, app_id), PartnerBanner.id.in_(gone_banners))
        )
        changes.extend(f"partners banner {banner_id} removed" for banner_id in gone_banners)
    for banner_id, (link_id, banner) in wanted_banners.items():
        values = {"link_id": link_id, "name": banner.name, "cdn_file_url": banner.cdn_file_url}
        stored = banners.get(banner_id)
        if stored is None:
            session.add(PartnerBanner(app_id=app_id, id=banner_id, **values))
            changes.append(f"partners banner {banner_id} created")
        elif _update(stored, values):
            changes.append(f"partners banner {banner_id} updated")
    return changes


def _apply_settings(
    session: Session, app_id: str, section: PartnersConfig, *, links_changed: bool
) -> list[str]:
    """The settings row; its version moves on whenever anything of the section changed (the cached
    catalog is reloaded then)."""
    changes: list[str] = []
    settings_values: dict[str, Any] = {
        "duplicate_window_seconds": section.duplicate_window_seconds,
        "blocked_networks": list(section.blocklist.networks),
        "blocked_countries": list(section.blocklist.countries),
        "timezone": section.timezone,
        "fallback_url": section.fallback_url,
    }
    settings = session.get(PartnerSettings, app_id)
    if settings is None:
        # A random start, so an app deleted and created again never meets a catalog cached for the old one.
        session.add(PartnerSettings(app_id=app_id, version=secrets.randbelow(2**30) + 1, **settings_values))
        return ["partners settings created"]
    if _update(settings, settings_values):
        changes.append("partners settings updated")
    if links_changed or changes:
        session.flush()
        # Conditional bump: concurrent applies each move the version on, never back.
        session.execute(
            update(PartnerSettings)
            .where(tenant(PartnerSettings, app_id))
            .values(version=PartnerSettings.version + 1)
        )
    return changes


def _update(row: Any, values: dict[str, Any]) -> bool:
    """Set the row's attributes to ``values``; whether any differed."""
    if all(getattr(row, k) == v for k, v in values.items()):
        return False
    for k, v in values.items():
        setattr(row, k, v)
    return True
