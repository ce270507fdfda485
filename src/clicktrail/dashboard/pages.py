"""What each family's page shows: its measures in order (the first is the one charted per day), the
groupings listed as "top" tables (with the measures each shows), and the steps of its funnel (the funnel
API's steps; signage: one funnel per campaign, its scan, its statuses and its coupon)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FamilyPage:
    title: str
    measures: tuple[str, ...]
    groupings: tuple[str, ...]
    funnel: tuple[str, ...] = ()
    status_funnel: bool = False  # one funnel per campaign, through its statuses (signage)
    table_measures: tuple[str, ...] = ()  # the columns of the "top" tables (default: the first three)


PAGES: dict[str, FamilyPage] = {
    "partners": FamilyPage(
        "Partners",
        ("clicks", "unique_clicks", "bot_clicks", "orphan_clicks", "registrations", "conversion_rate"),
        (
            "verdict",
            "country",
            "link",
            "rule",  # the link rule a tracked redirect followed
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "referrer_host",
            "device",
        ),
        funnel=("click", "unique", "registered"),
    ),
    "surveys": FamilyPage(
        "Surveys",
        (
            "clicks",
            "unique_clicks",
            "bot_clicks",
            "qualified",
            "screened_out",
            "left",
            "quota_exits",
            "completed",
            "start_bonus",
            "qualification_rate",
        ),
        ("survey", "country", "utm_source", "utm_campaign", "link", "leave_reason"),
        funnel=("click", "qualified", "completed"),
        table_measures=("clicks", "qualified", "completed", "qualification_rate"),
    ),
    "loyalty": FamilyPage(
        "Loyalty",
        (
            "trials",
            "sessions",
            "prompts_shown",
            "accepted",
            "declined",
            "deferred",
            "acceptance_rate",
            "bonus_points",
        ),
        ("offer", "channel"),
        funnel=("prompt", "accepted"),
    ),
    "signage": FamilyPage(
        "Signage",
        ("scans", "unique_scans", "bot_scans", "orphan_scans", "coupons_issued", "completion_rate"),
        ("campaign", "country", "rule"),  # rule: the redirect rule a scan followed
        funnel=("scan", "coupon"),  # around each campaign's statuses
        status_funnel=True,
        table_measures=("scans", "unique_scans", "bot_scans", "orphan_scans", "coupons_issued"),
    ),
}
RANGES = (7, 30, 90)  # days a page can show
