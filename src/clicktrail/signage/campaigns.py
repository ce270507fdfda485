"""Applying the ``signage:`` section: campaigns are upserted, coupon pools only ever grow.

Runs inside the one transaction of ``clicktrail apply`` / ``PUT /admin/v1/config``. Listed codes that are
new are added; generated codes top the pool up to ``generate.count`` (issued ones count, so applying twice
generates nothing more). Codes are never removed or changed, so issued ones are never disturbed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..core.storage.ids import utcnow
from ..core.tenancy.apps import tenant
from ..core.web.errors import ConfigError
from . import config
from .models import Campaign, Coupon, Settings


@dataclass(frozen=True, slots=True)
class Rules:
    """What the hot routes need of a campaign, cached per process until the config moves."""

    form_url: str
    statuses: tuple[str, ...]
    coupon_after: str
    session_ttl_seconds: int | None
    expires_at: datetime | None = None
    max_clicks: int | None = None


def load_rules(session: Session, app_id: str) -> dict[str, Rules]:
    """The app's campaigns by id (a ``ConfigCache`` loader)."""
    return {
        c.id: Rules(
            c.form_url, tuple(c.statuses), c.coupon_after, c.session_ttl_seconds, c.expires_at, c.max_clicks
        )
        for c in session.scalars(select(Campaign).where(tenant(Campaign, app_id)))
    }


def load_fallback(session: Session, app_id: str) -> str:
    """Where the app sends a scan that opens no session (a ``ConfigCache`` loader); "": nowhere (404).
    Never None: the cache takes None for "not loaded yet"."""
    settings = session.get(Settings, app_id)
    return (settings.fallback_url or "") if settings is not None else ""


def apply(session: Session, *, app_id: str, section: config.SignageConfig) -> list[str]:
    changes = _apply_settings(session, app_id, section)
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
        changes.extend(_upsert_campaign(session, app_id, spec, existing.get(spec.id)))
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


def _apply_settings(session: Session, app_id: str, section: config.SignageConfig) -> list[str]:
    row = session.get(Settings, app_id, with_for_update=True)
    if row is None:
        if section.fallback_url is None:
            return []
        session.add(Settings(app_id=app_id, fallback_url=section.fallback_url))
        session.flush()
        return ["signage settings created"]
    if row.fallback_url == section.fallback_url:
        return []
    row.fallback_url = section.fallback_url
    row.updated_at = utcnow()
    session.flush()
    return ["signage settings updated (fallback_url)"]


def _upsert_campaign(session: Session, app_id: str, spec: config.Campaign, row: Campaign | None) -> list[str]:
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
    if not changed:
        return []
    for name in changed:
        setattr(row, name, wanted[name])
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
