"""The partners family's metrics: clicks, unique and bot clicks, registrations and the conversion rate,
by day, link, banner, UTM fields, referrer host, agent, country and verdict (counted from ``click.created``
and ``click.registered`` events, see ``core.rollups``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from ..core.db import table_of
from ..core.rollups import Contribution, Export, Measures, Opening, Ratio, Step
from .models import PartnerClick

DIMENSIONS = (
    "country",
    "link",
    "banner",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "referrer_host",
    "browser",
    "os",
    "device",
    "verdict",
)


def referrer_host(referrer: str | None) -> str | None:
    if not referrer:
        return None
    try:
        return urlsplit(referrer).hostname
    except ValueError:
        return None


def attribution(click: Any) -> dict[str, Any]:
    """What a click's later events carry so they are counted under the click's dimensions."""
    return {
        "banner_id": click.banner_id,
        "utm_source": click.utm_source,
        "utm_medium": click.utm_medium,
        "utm_campaign": click.utm_campaign,
        "referrer_host": referrer_host(click.referrer),
        "browser": click.browser,
        "os": click.os,
        "device": click.device,
        "verdict": click.verdict,
    }


def _dims(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "country": p.get("country_code"),
        "link": p.get("link_id"),
        "banner": p.get("banner_id"),
        "utm_source": p.get("utm_source"),
        "utm_medium": p.get("utm_medium"),
        "utm_campaign": p.get("utm_campaign"),
        "referrer_host": p.get("referrer_host"),
        "browser": p.get("browser"),
        "os": p.get("os"),
        "device": p.get("device"),
        "verdict": p.get("verdict"),
    }


def contribute(row: dict[str, Any]) -> Iterable[Contribution]:
    p = row["payload"] or {}
    if row["type"] == "click.created":
        counts = {
            "clicks": 1,
            "unique_clicks": int(bool(p.get("unique"))),
            "bot_clicks": int(bool(p.get("bot"))),
        }
        return [(_dims(p), counts)]
    if row["type"] == "click.registered":
        return [(_dims(p), {"registrations": 1})]
    return []


MEASURES = Measures(
    family="partners",
    counts=("clicks", "unique_clicks", "bot_clicks", "registrations"),
    ratios={"conversion_rate": Ratio("registrations", "unique_clicks")},
    groupings=("day", *DIMENSIONS),
    contribute=contribute,
    steps={
        "click": Step("click.created", measure="clicks"),
        "unique": Step("click.created", lambda p: bool(p.get("unique")), measure="unique_clicks"),
        "registered": Step("click.registered"),
    },
    export=Export(table_of(PartnerClick), "create_time", "clicks"),
    opening=Opening("click.created", "clicks"),  # a click is a journey, and its one click.created
)
