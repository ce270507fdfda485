"""What each family's page shows: its measures in order (the first is the one charted per day), the
groupings listed as "top" tables, and the steps of its funnel (measures, in journey order)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FamilyPage:
    title: str
    measures: tuple[str, ...]
    groupings: tuple[str, ...]
    funnel: tuple[str, ...] = ()
    status_funnel: bool = False  # the funnel is the counts per status (signage)


PAGES: dict[str, FamilyPage] = {
    "partners": FamilyPage(
        "Partners",
        ("clicks", "unique_clicks", "bot_clicks", "registrations", "conversion_rate"),
        ("verdict", "country", "link", "utm_source", "utm_medium", "utm_campaign", "referrer_host", "device"),
        funnel=("clicks", "unique_clicks", "registrations"),
    ),
    "surveys": FamilyPage(
        "Surveys",
        ("clicks", "qualified", "screened_out", "left", "completed", "start_bonus", "qualification_rate"),
        ("survey", "country", "leave_reason"),
        funnel=("clicks", "qualified", "completed"),
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
        funnel=("prompts_shown", "accepted"),
    ),
    "signage": FamilyPage(
        "Signage",
        ("scans", "coupons_issued", "completion_rate"),
        ("campaign", "country"),
        status_funnel=True,
    ),
}
RANGES = (7, 30, 90)  # days a page can show
