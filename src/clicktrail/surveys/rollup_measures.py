"""The surveys family's metrics: clicks (with their unique and bot clicks, by the click's verdict) and their
outcomes (qualified, screened out, left, ended by a full quota, completed, start bonus) by day, survey,
country, the click URL's UTM fields and link, and leave reason, and answer and skip counts per question
(counted from the click's journey events, see ``core.rollups``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, false, func, or_, true

from ..core.journeys.facts import Dimension, Fact, Facts, payload_text
from ..core.journeys.log import EVENTS
from ..core.journeys.rollups import Contribution, Export, Measures, Ratio, Step
from ..core.storage.db import table_of
from .attribution import COUNTED
from .models import SurveyClick

OUTCOMES = {  # event type → measure
    "click.created": "clicks",
    "click.qualified": "qualified",
    "click.screened_out": "screened_out",
    "click.left": "left",
    "survey.completed": "completed",
    "start_bonus.completed": "start_bonus",
}
QUOTA_FULL = "quota_full"  # the reason of a click.terminated ended by a full quota: a quota exit
ANSWERS = {"question.answered": "answered", "question.skipped": "skipped"}


def _measure(kind: str, p: dict[str, Any]) -> str | None:
    if kind == "click.terminated":
        return "quota_exits" if p.get("reason") == QUOTA_FULL else None
    return OUTCOMES.get(kind)


def _click_counts(p: dict[str, Any]) -> dict[str, int]:
    """A click, and whether its verdict made it a unique or bot click (a click made before verdicts were
    kept carries none: it counts as neither, as its event was counted then)."""
    return {"clicks": 1, "unique_clicks": int(bool(p.get("unique"))), "bot_clicks": int(bool(p.get("bot")))}


def contribute(row: dict[str, Any]) -> Iterable[Contribution]:
    p = row["payload"] or {}
    kind = row["type"]
    measure = _measure(kind, p)
    if measure is not None:
        # The click's outcome events carry its attribution (``attribution.counted``); none: counted under "".
        dims = {"survey": p.get("survey_id"), "country": p.get("country"), **{d: p.get(d) for d in COUNTED}}
        if kind == "click.left":
            dims["leave_reason"] = p.get("reason")
        if kind == "click.created":
            return [(dims, _click_counts(p))]
        return [(dims, {measure: 1})]
    if kind in ANSWERS:
        return [({"survey": p.get("survey_id"), "question": p.get("question_id")}, {ANSWERS[kind]: 1})]
    return []


_QUOTA_EXIT = and_(EVENTS.c.type == "click.terminated", payload_text(EVENTS, "reason") == QUOTA_FULL)
_OUTCOME = or_(EVENTS.c.type.in_(list(OUTCOMES)), _QUOTA_EXIT)
_ANSWER = EVENTS.c.type.in_(list(ANSWERS))
_CREATED = EVENTS.c.type == "click.created"


def _flag(key: str) -> Any:
    return func.coalesce(EVENTS.c.payload[key].as_boolean(), false()) == true()


# The raw rows: the family's journey events, each dimension known on the events ``contribute`` names it.
FACTS = Facts(
    table=EVENTS,
    time="created_at",
    rows=EVENTS.c.family == "surveys",
    dimensions={
        "survey": Dimension(payload_text(EVENTS, "survey_id"), known=or_(_OUTCOME, _ANSWER)),
        "country": Dimension(payload_text(EVENTS, "country"), known=_OUTCOME),
        **{name: Dimension(payload_text(EVENTS, name), known=_OUTCOME) for name in COUNTED},
        "leave_reason": Dimension(payload_text(EVENTS, "reason"), known=EVENTS.c.type == "click.left"),
        "question": Dimension(payload_text(EVENTS, "question_id"), known=_ANSWER),
    },
    measures={
        **{measure: Fact(EVENTS.c.type == kind) for kind, measure in {**OUTCOMES, **ANSWERS}.items()},
        "quota_exits": Fact(_QUOTA_EXIT),
        "unique_clicks": Fact(and_(_CREATED, _flag("unique"))),
        "bot_clicks": Fact(and_(_CREATED, _flag("bot"))),
    },
)

MEASURES = Measures(
    family="surveys",
    counts=(
        "clicks",
        "unique_clicks",
        "bot_clicks",
        "qualified",
        "screened_out",
        "left",
        "quota_exits",
        "completed",
        "start_bonus",
        "answered",
        "skipped",
    ),
    ratios={"qualification_rate": Ratio("qualified", "clicks")},
    groupings=("day", "survey", "country", *COUNTED, "leave_reason", "question"),
    grouping_counts={"question": ("answered", "skipped"), "leave_reason": ("left",)},
    contribute=contribute,
    steps={
        "click": Step("click.created"),
        "qualified": Step("click.qualified"),
        "screened_out": Step("click.screened_out"),
        "left": Step("click.left"),
        "terminated": Step("click.terminated"),
        "quota_exit": Step("click.terminated", lambda p: p.get("reason") == QUOTA_FULL),
        "completed": Step("survey.completed"),
        "start_bonus": Step("start_bonus.completed"),
    },
    export=Export(table_of(SurveyClick), "created_at", "clicks"),
    facts=FACTS,
)
