"""The signage family's metrics: scans, orphan scans (of a campaign the app does not have, counted under
the campaign id the QR code named), sessions, the status funnel (one count per status a session reached,
statuses it skipped included), coupons issued and the completion rate, by day, campaign, country, redirect
rule and status (counted from the session's journey events, see ``core.rollups``). Only scans know a
country and a rule (the redirect rule that sent the scan on, none for the form; orphan scans know a
country, no rule): the other counts are under neither."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.journeys.facts import Dimension, Fact, Facts, payload_text
from ..core.journeys.log import EVENTS
from ..core.journeys.rollups import Contribution, Export, Measures, Ratio, Step
from ..core.storage.db import table_of
from .models import JourneySession

STATUS = "status:"  # the stored measure of one status: "status:FORM_SUBMITTED"


def contribute(row: dict[str, Any]) -> Iterable[Contribution]:
    p = row["payload"] or {}
    kind = row["type"]
    campaign = {"campaign": p.get("campaign_id")}
    if kind == "scan.recorded":
        scan = {**campaign, "country": p.get("country"), "rule": p.get("rule")}
        return [(scan, {"scans": 1, "sessions": 1})]
    if kind == "scan.orphaned":
        return [({**campaign, "country": p.get("country")}, {"orphan_scans": 1})]
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
# combination of filters or of a filter and a grouping always names the country or the rule (campaign is
# the only other dimension), and status changes are never counted under either.
_SCANS = ("scan.recorded", "scan.orphaned")  # the events that know a country
_SCAN = EVENTS.c.type == "scan.recorded"
_ORPHAN = EVENTS.c.type == "scan.orphaned"
FACTS = Facts(
    table=EVENTS,
    time="created_at",
    rows=EVENTS.c.family == "signage",
    dimensions={
        "campaign": Dimension(payload_text(EVENTS, "campaign_id")),
        "country": Dimension(payload_text(EVENTS, "country"), known=EVENTS.c.type.in_(_SCANS)),
        "rule": Dimension(payload_text(EVENTS, "rule"), known=_SCAN),
    },
    measures={
        "scans": Fact(_SCAN),
        "orphan_scans": Fact(_ORPHAN),
        "sessions": Fact(EVENTS.c.type.in_(["scan.recorded", "session.created"])),
        "coupons_issued": Fact(EVENTS.c.type == "coupon.issued"),
    },
)

MEASURES = Measures(
    family="signage",
    counts=("scans", "orphan_scans", "sessions", "coupons_issued"),
    ratios={"completion_rate": Ratio("coupons_issued", "sessions")},
    groupings=("day", "campaign", "country", "rule", "status"),
    contribute=contribute,
    dynamic_prefix=STATUS,
    steps={
        "scan": Step("scan.recorded"),
        "session": Step("session.created"),
        "coupon": Step("coupon.issued"),
    },
    dynamic_step=status_step,
    export=Export(table_of(JourneySession), "created_at", "sessions"),
    facts=FACTS,
)
