"""The signage family's metrics: scans (human scans: verdict ok or duplicate), unique scans (the visitor's
first human scan of the campaign that UTC day) and bot scans, orphan scans (of a campaign the app does not
have, counted under the campaign id the QR code named), sessions (every session opened, by a scan, a bot's
included, or by the API), the status funnel (one count per status a session reached, statuses it skipped
included), coupons issued and the completion rate, by day, campaign, country, redirect rule, the scan URL's
UTM fields and sub-ids, the ad network of its click id, and status (counted from the session's journey
events, see ``core.rollups``). Only scans know a country, a rule and an attribution (the redirect rule that
sent the scan on, none for the form; orphan scans know a country and an attribution, no rule): the other
counts are under none of them.

A scan recorded before verdicts were kept carries none: it counts as a scan (as it did), neither unique nor
bot."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, false, func, not_, true

from ..core.enrich.attribution import COUNTED
from ..core.journeys.facts import Dimension, Fact, Facts, payload_text
from ..core.journeys.log import EVENTS
from ..core.journeys.rollups import Contribution, Export, Measures, Ratio, Step
from ..core.storage.db import table_of
from .models import JourneySession

STATUS = "status:"  # the stored measure of one status: "status:FORM_SUBMITTED"
_SCANS = ("scan.recorded", "scan.orphaned")  # the events that know a country and an attribution
_SCAN = EVENTS.c.type == "scan.recorded"
_ORPHAN = EVENTS.c.type == "scan.orphaned"


def _scan_counts(p: dict[str, Any]) -> dict[str, int]:
    """A scan's counts by its verdict: a bot's is a bot scan, not a scan; every scan opened a session."""
    bot = bool(p.get("bot"))
    return {
        "scans": int(not bot),
        "unique_scans": int(bool(p.get("unique"))),
        "bot_scans": int(bot),
        "sessions": 1,
    }


def contribute(row: dict[str, Any]) -> Iterable[Contribution]:
    p = row["payload"] or {}
    kind = row["type"]
    campaign = {"campaign": p.get("campaign_id")}
    if kind in _SCANS:
        scan = {**campaign, "country": p.get("country"), **{name: p.get(name) for name in COUNTED}}
        if kind == "scan.orphaned":
            return [(scan, {"orphan_scans": 1})]
        return [({**scan, "rule": p.get("rule")}, _scan_counts(p))]
    if kind == "session.created":
        return [(campaign, {"sessions": 1})]
    if kind == "status.changed":
        reached = [*(p.get("skipped") or []), p.get("to")]
        return [(campaign, {STATUS + str(s): 1 for s in reached if s})]
    if kind == "coupon.issued":
        return [(campaign, {"coupons_issued": 1})]
    return []


def status_step(name: str) -> Step:
    """A campaign status as a funnel step: reached it, or moved past it."""
    return Step("status.changed", lambda p: p.get("to") == name or name in (p.get("skipped") or []))


# The raw rows: the family's journey events, as ``contribute`` counts them. The statuses are left out: a
# combination of filters or of a filter and a grouping always names a dimension only scans know (campaign
# is the only other), and status changes are never counted under one.


def _flag(key: str) -> Any:
    """The payload's boolean ``key``, false when absent (a scan recorded before verdicts were kept)."""
    return func.coalesce(EVENTS.c.payload[key].as_boolean(), false()) == true()


FACTS = Facts(
    table=EVENTS,
    time="created_at",
    rows=EVENTS.c.family == "signage",
    dimensions={
        "campaign": Dimension(payload_text(EVENTS, "campaign_id")),
        "country": Dimension(payload_text(EVENTS, "country"), known=EVENTS.c.type.in_(_SCANS)),
        "rule": Dimension(payload_text(EVENTS, "rule"), known=_SCAN),
        **{name: Dimension(payload_text(EVENTS, name), known=EVENTS.c.type.in_(_SCANS)) for name in COUNTED},
    },
    measures={
        "scans": Fact(and_(_SCAN, not_(_flag("bot")))),
        "unique_scans": Fact(and_(_SCAN, _flag("unique"))),
        "bot_scans": Fact(and_(_SCAN, _flag("bot"))),
        "orphan_scans": Fact(_ORPHAN),
        "sessions": Fact(EVENTS.c.type.in_(["scan.recorded", "session.created"])),
        "coupons_issued": Fact(EVENTS.c.type == "coupon.issued"),
    },
)

MEASURES = Measures(
    family="signage",
    counts=("scans", "unique_scans", "bot_scans", "orphan_scans", "sessions", "coupons_issued"),
    ratios={"completion_rate": Ratio("coupons_issued", "sessions")},
    groupings=("day", "campaign", "country", "rule", *COUNTED, "status"),
    contribute=contribute,
    dynamic_prefix=STATUS,
    steps={
        "scan": Step("scan.recorded", lambda p: not p.get("bot")),  # as ``scans``: a bot's journey is none
        "session": Step("session.created"),
        "coupon": Step("coupon.issued"),
    },
    dynamic_step=status_step,
    export=Export(table_of(JourneySession), "created_at", "sessions"),
    facts=FACTS,
)
