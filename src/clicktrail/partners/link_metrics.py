"""Per-link metrics, all-time: clicks (total), unique clicks (distinct ip + user agent per UTC day, bots
and blocked traffic excluded), bot, duplicate and blocked clicks side by side, registrations and the
conversion rate (registrations per unique click). Counted from the clicks themselves, not from the
rollups ``rollup_measures`` defines."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..core.tenancy.apps import tenant
from .models import PartnerClick


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def link_metrics(session: Session, *, app_id: str, link_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Metrics of every given link in one grouped query."""
    if not link_ids:
        return {}
    rows = session.execute(
        select(
            PartnerClick.link_id,
            func.count(),
            _count_if(PartnerClick.is_unique.is_(True)),
            _count_if(PartnerClick.is_bot.is_(True)),
            _count_if(PartnerClick.verdict == "duplicate"),
            _count_if(PartnerClick.verdict == "blocked"),
            func.count(PartnerClick.profile_id),
        )
        .where(tenant(PartnerClick, app_id), PartnerClick.link_id.in_(link_ids))
        .group_by(PartnerClick.link_id)
    ).all()
    found = {row[0]: row[1:] for row in rows}
    result = {}
    for link_id in link_ids:
        total, unique, bots, duplicates, blocked, registrations = found.get(link_id, (0, 0, 0, 0, 0, 0))
        rate = (Decimal(registrations) / Decimal(unique)) if unique else Decimal(0)
        result[link_id] = {
            "clicks": int(total),
            "uniqueClicks": int(unique),
            "botClicks": int(bots),
            "duplicateClicks": int(duplicates),
            "blockedClicks": int(blocked),
            "registrations": int(registrations),
            "conversionRate": str(rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
        }
    return result
