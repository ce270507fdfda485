"""Applying the ``signage:`` section: campaigns are upserted, coupon pools only ever grow.

Runs inside the one transaction of ``clicktrail apply`` / ``PUT /admin/v1/config``. Listed codes that are
new are added; generated codes top the pool up to ``generate.count`` (issued ones count, so applying twice
generates nothing more). Codes are never removed or changed, so issued ones are never disturbed."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..core.enrich import redirect_rules
from ..core.storage.ids import utcnow
from ..core.tenancy.apps import App, tenant
from ..core.web.errors import ConfigError
from . import config
from .models import Campaign, Coupon, Settings

log = logging.getLogger("clicktrail.signage")
SECTION = "signage"


@dataclass(frozen=True, slots=True)
class Rules:
    """What the hot routes need of a campaign, cached per process until the config moves."""

    form_url: str
    statuses: tuple[str, ...]
    coupon_after: str
    session_ttl_seconds: int | None
    redirects: tuple[redirect_rules.Rule, ...] = ()  # the redirect rules, in order; none: the form
    expires_at: datetime | None = None
    max_clicks: int | None = None


def load_rules(session: Session, app_id: str) -> dict[str, Rules]:
    """The app's campaigns by id (a ``ConfigCache`` loader), their redirect rules compiled."""
    redirects = _redirects(session, app_id)
    return {
        c.id: Rules(
            c.form_url,
            tuple(c.statuses),
            c.coupon_after,
            c.session_ttl_seconds,
            redirects.get(c.id, ()),
            c.expires_at,
            c.max_clicks,
        )
        for c in session.scalars(select(Campaign).where(tenant(Campaign, app_id)))
    }


def _redirects(session: Session, app_id: str) -> dict[str, tuple[redirect_rules.Rule, ...]]:
    """Campaign id → its compiled redirect rules, from the signage section as last applied (rules have no
    table: the section the app's config keeps is theirs)."""
    stored: dict[str, Any] = session.scalar(select(App.config).where(App.id == app_id)) or {}
    section = stored.get(SECTION) or {}
    timezone = section.get("timezone") or "UTC"
    found: dict[str, tuple[redirect_rules.Rule, ...]] = {}
    for campaign in section.get("campaigns") or []:
        raw = campaign.get("rules") if isinstance(campaign, dict) else None
        if not raw:
            continue
        try:
            found[campaign["id"]] = redirect_rules.compile_stored(raw, timezone)
        except (ValidationError, ValueError, KeyError) as exc:  # stored by an older release's model
            log.warning("signage: app %s campaign rules not loaded: %s", app_id, redirect_rules.where(exc))
    return found


def load_fallback(session: Session, app_id: str) -> str:
    """Where the app sends a scan that opens no session (a ``ConfigCache`` loader); "": nowhere (404).
    Never None: the cache takes None for "not loaded yet"."""
    settings = session.get(Settings, app_id)
    return (settings.fallback_url or "") if settings is not None else ""


def load_window(session: Session, app_id: str) -> int:
    """The app's ``duplicate_window_seconds`` (a ``ConfigCache`` loader): the default without settings."""
    window = session.scalar(select(Settings.duplicate_window_seconds).where(Settings.app_id == app_id))
    return config.DUPLICATE_WINDOW if window is None else window


def apply(session: Session, *, app_id: str, section: config.SignageConfig) -> list[str]:
    before = _applied_before(session, app_id)
    changes = _apply_settings(session, app_id, section)
    if (before.get("timezone") or "UTC") != section.timezone:
        changes.append(f"signage timezone set to '{section.timezone}'")
    rules_before = {
        c.get("id"): c.get("rules") or [] for c in before.get("campaigns") or [] if isinstance(c, dict)
    }
    # Locked, so two concurrent applies cannot both top the same pool up.
    existing = {
        c.id: c for c in session.scalars(select(Campaign).where(tenant(Campaign, app_id)).with_for_update())
    }
    # code → campaign, for the whole app: a code belongs to one pool only.
    owners: dict[str, str] = {
        code: campaign_id
        for code, campaign_id in session.execute(
            select(Coupon.code, Coupon.campaign_id).where(tenant(Coupon, app_id))
        )
    }
    problems: list[tuple[str, str]] = []
    for index, spec in enumerate(section.campaigns):
        rules_moved = _dumped_rules(spec) != rules_before.get(spec.id, [])
        changes.extend(_upsert_campaign(session, app_id, spec, existing.get(spec.id), rules_moved))
        if spec.coupons is None:
            continue
        path = f"campaigns[{index}].coupons"
        for j, code in enumerate(spec.coupons.codes):
            owner = owners.get(code)
            if owner is not None and owner != spec.id:
                problems.append(
                    (f"{path}.codes[{j}]", f"code '{code}' already belongs to campaign '{owner}'")
                )
    if problems:
        raise ConfigError(problems)
    for spec in section.campaigns:
        if spec.coupons is not None:
            changes.extend(_grow_pool(session, app_id, spec, owners))
    return changes


def _applied_before(session: Session, app_id: str) -> dict[str, Any]:
    """The signage section as the last apply stored it. This apply has already put the new one on the app
    (apply stores a section before its family applies it) but not flushed it: read without flushing."""
    with session.no_autoflush:
        stored = session.scalar(select(App.config).where(App.id == app_id))
    section = (stored or {}).get(SECTION)
    return section if isinstance(section, dict) else {}


def _dumped_rules(spec: config.Campaign) -> list[dict[str, Any]]:
    """The campaign's rules as apply stores them (``_store_section``)."""
    return [rule.model_dump(mode="json", exclude_unset=True) for rule in spec.rules]


def _apply_settings(session: Session, app_id: str, section: config.SignageConfig) -> list[str]:
    wanted = {
        "fallback_url": section.fallback_url,
        "duplicate_window_seconds": section.duplicate_window_seconds,
    }
    row = session.get(Settings, app_id, with_for_update=True)
    if row is None:
        if wanted == {"fallback_url": None, "duplicate_window_seconds": config.DUPLICATE_WINDOW}:
            return []  # the defaults: no row needed
        session.add(Settings(app_id=app_id, **wanted))
        session.flush()
        return ["signage settings created"]
    changed = [name for name, value in wanted.items() if getattr(row, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(row, name, wanted[name])
    row.updated_at = utcnow()
    session.flush()
    return [f"signage settings updated ({', '.join(changed)})"]


def _upsert_campaign(
    session: Session, app_id: str, spec: config.Campaign, row: Campaign | None, rules_moved: bool = False
) -> list[str]:
    wanted = {
        "form_url": spec.form_url,
        "statuses": list(spec.statuses),
        "coupon_after": spec.coupon_status,
        "session_ttl_seconds": spec.session_ttl_seconds,
        "expires_at": spec.expires_at,
        "max_clicks": spec.max_clicks,
    }
    if row is None:
        session.add(Campaign(app_id=app_id, id=spec.id, **wanted))
        session.flush()
        return [f"signage campaign '{spec.id}' created"]
    changed = [name for name, value in wanted.items() if getattr(row, name) != value]
    if not changed and not rules_moved:
        return []
    for name in changed:
        setattr(row, name, wanted[name])
    changed += ["rules"] if rules_moved else []  # kept in the app's stored section, not in this row
    row.updated_at = utcnow()
    session.flush()
    return [f"signage campaign '{spec.id}' updated ({', '.join(changed)})"]


def _grow_pool(session: Session, app_id: str, spec: config.Campaign, owners: dict[str, str]) -> list[str]:
    assert spec.coupons is not None
    now = utcnow()
    rows = []
    for code in spec.coupons.codes:
        if code not in owners:
            owners[code] = spec.id
            rows.append({"code": code, "source": "listed"})
    listed = len(rows)
    generate = spec.coupons.generate
    if generate is not None:
        have = session.scalar(
            select(func.count())
            .select_from(Coupon)
            .where(tenant(Coupon, app_id), Coupon.campaign_id == spec.id, Coupon.source == "generated")
        )
        for _ in range(max(0, generate.count - (have or 0))):
            code = _fresh_code(generate, owners)
            owners[code] = spec.id
            rows.append({"code": code, "source": "generated"})
    if not rows:
        return []
    session.execute(
        insert(Coupon),
        [{"app_id": app_id, "campaign_id": spec.id, "created_at": now, **row} for row in rows],
    )
    changes = []
    if listed:
        changes.append(f"signage campaign '{spec.id}': {listed} coupon code(s) added")
    if len(rows) > listed:
        changes.append(f"signage campaign '{spec.id}': {len(rows) - listed} coupon code(s) generated")
    return changes


def _fresh_code(generate: config.Generate, taken: dict[str, str]) -> str:
    """A code from the operating system's cryptographic random source, unused in this app."""
    while True:
        body = "".join(secrets.choice(config.GENERATED_ALPHABET) for _ in range(generate.length))
        code = generate.prefix + body
        if code not in taken:
            return code
