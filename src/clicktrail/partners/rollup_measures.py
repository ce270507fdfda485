"""The partners family's metrics: clicks, unique, bot and orphan clicks (no configured link matched their
URI), registrations and the conversion rate, by day, link, banner, UTM fields, sub-ids, ad network, referrer
host, agent, country, verdict and rule (the link rule a tracked redirect followed; none for the API's
clicks), counted from ``click.created`` and ``click.registered`` events, see ``core.rollups``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, false, func, true

from ..core.enrich import attribution
from ..core.enrich.attribution import AD_NETWORK, SUB_IDS, UTM
from ..core.journeys.facts import VALUE_LENGTH, Dimension, Fact, Facts, payload_text
from ..core.journeys.log import EVENTS
from ..core.journeys.rollups import Contribution, Export, Measures, Opening, Ratio, Step
from ..core.storage.db import table_of
from .models import PartnerClick

DIMENSIONS = (
    "country",
    "link",
    "banner",
    *UTM,
    *SUB_IDS,
    AD_NETWORK,  # of the click's gclid, fbclid or msclkid (the click ids themselves are not counted)
    "referrer_host",
    "browser",
    "os",
    "device",
    "verdict",
    "rule",
)


def referrer_host(referrer: str | None) -> str | None:
    if not referrer:
        return None
    try:
        return urlsplit(referrer).hostname
    except ValueError:
        return None


def stored(fields: Mapping[str, Any], referrer: str | None) -> dict[str, Any]:
    """A click row's ``referrer_host`` and ``ad_network`` columns, named when the click is recorded from
    its referrer and its URI's attribution ``fields``: what the metrics count it under, kept when retention
    nulls the referrer and the click ids (a host cut to 255 characters, as a rollup keeps it)."""
    host = referrer_host(referrer)
    return {
        "referrer_host": host[:VALUE_LENGTH] if host else None,
        AD_NETWORK: attribution.ad_network(fields),
    }


def carried(click: Any) -> dict[str, Any]:
    """What a click's later events carry so they are counted under the click's dimensions: its stored
    ones, so a click purged before it registers still counts under its referrer host and ad network."""
    return {
        "banner_id": click.banner_id,
        **{name: getattr(click, name) or None for name in (*UTM, *SUB_IDS)},
        AD_NETWORK: click.ad_network,
        "referrer_host": click.referrer_host,
        "browser": click.browser,
        "os": click.os,
        "device": click.device,
        "verdict": click.verdict,
        "rule": click.rule,
    }


# dimension → the key of the events' payload it is counted from
PAYLOAD_KEYS = {
    **{name: name for name in DIMENSIONS},
    "country": "country_code",
    "link": "link_id",
    "banner": "banner_id",
}


def _dims(p: dict[str, Any]) -> dict[str, Any]:
    return {name: p.get(PAYLOAD_KEYS[name]) for name in DIMENSIONS}


def contribute(row: dict[str, Any]) -> Iterable[Contribution]:
    p = row["payload"] or {}
    if row["type"] == "click.created":
        counts = {
            "clicks": 1,
            "unique_clicks": int(bool(p.get("unique"))),
            "bot_clicks": int(bool(p.get("bot"))),
            "orphan_clicks": int(p.get("verdict") == "orphan"),
        }
        return [(_dims(p), counts)]
    if row["type"] == "click.registered":
        return [(_dims(p), {"registrations": 1})]
    return []


CLICKS = table_of(PartnerClick)
_COLUMNS = {
    "country": "country_code",
    "link": "link_id",
    "banner": "banner_id",
    **{name: name for name in (*UTM, *SUB_IDS, "browser", "os", "device")},
    "verdict": "verdict",
    "rule": "rule",
    # named when the click was recorded (``stored``), kept past retention as the events keep them
    "referrer_host": "referrer_host",
    AD_NETWORK: AD_NETWORK,
}
# The click rows counted as their events are: a click at its create_time, its registration at its
# registered_time, under the click's own columns (a deleted click's row is gone: see docs/metrics.md).
FACTS = Facts(
    table=CLICKS,
    time="create_time",
    rows=None,
    dimensions={name: Dimension(CLICKS.c[column]) for name, column in _COLUMNS.items()},
    measures={
        "clicks": Fact(true()),
        "unique_clicks": Fact(CLICKS.c.is_unique.is_(True)),
        "bot_clicks": Fact(CLICKS.c.is_bot.is_(True)),
        "orphan_clicks": Fact(CLICKS.c.verdict == "orphan"),
        "registrations": Fact(CLICKS.c.registered_time.is_not(None), time="registered_time"),
    },
)

# The clicks' ``click.created`` events as raw rows, as ``contribute`` counts them: a dimension is its
# payload value (text or none, see ``created_payload``) as a rollup keeps it, cut to 255 characters.
_CREATED = and_(EVENTS.c.family == "partners", EVENTS.c.type == "click.created")
CREATED_EVENTS = Facts(
    table=EVENTS,
    time="created_at",
    rows=_CREATED,
    dimensions={
        name: Dimension(func.substr(payload_text(EVENTS, key), 1, VALUE_LENGTH))
        for name, key in PAYLOAD_KEYS.items()
    },
    measures={
        "clicks": Fact(true()),
        "unique_clicks": Fact(func.coalesce(EVENTS.c.payload["unique"].as_boolean(), false()) == true()),
    },
)

MEASURES = Measures(
    family="partners",
    counts=("clicks", "unique_clicks", "bot_clicks", "orphan_clicks", "registrations"),
    ratios={"conversion_rate": Ratio("registrations", "unique_clicks")},
    groupings=("day", *DIMENSIONS),
    contribute=contribute,
    steps={
        "click": Step("click.created", measure="clicks"),
        "unique": Step("click.created", lambda p: bool(p.get("unique")), measure="unique_clicks"),
        "registered": Step("click.registered"),
    },
    export=Export(CLICKS, "create_time", "clicks"),
    # a click is a journey, and its one click.created
    opening=Opening("click.created", "clicks", events=CREATED_EVENTS),
    facts=FACTS,
)
