"""The loyalty family's metrics: sessions, trials, near-miss prompts and their answers, the acceptance rate
and the bonus points of finalized transactions, by day, offer and channel (counted from the session's
journey events, see ``core.rollups``). A prompt answered again moves its count from the old answer to the
new one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, case, false, func, or_

from ..core.journeys.facts import Dimension, Fact, Facts, payload_text
from ..core.journeys.log import EVENTS
from ..core.journeys.rollups import Contribution, Export, Measures, Ratio, Step
from ..core.storage.db import table_of
from .models import Trial
from .schemas import RESPONSES


def contribute(row: dict[str, Any]) -> Iterable[Contribution]:
    p = row["payload"] or {}
    kind = row["type"]
    channel = {"channel": p.get("channel")}
    if kind == "session.started":
        return [(channel, {"sessions": 1})]
    if kind == "trial.recorded":
        return [(channel, {"trials": 1})]
    if kind == "prompt.shown":
        return [({**channel, "offer": p.get("offerId")}, {"prompts_shown": 1})]
    if kind == "prompt.answered":
        response, previous = p.get("response"), p.get("previous")
        counts = {}
        if response in RESPONSES and response != previous:
            counts[response] = 1
            if previous in RESPONSES:
                counts[previous] = -1
        return [({**channel, "offer": p.get("offerId")}, counts)] if counts else []
    if kind == "transaction.finalized" and not p.get("anonymous"):
        return [(channel, {"bonus_points": int(p.get("bonusPoints") or 0)})]
    return []


def _answered(response: str) -> Step:
    return Step("prompt.answered", lambda p: p.get("response") == response)


def _answer_fact(response: str) -> Fact:
    """+1 for an answer that became ``response``, -1 for one that moved away from it (as ``contribute``)."""
    now, before = payload_text(EVENTS, "response"), payload_text(EVENTS, "previous")
    became = and_(now == response, or_(before.is_(None), before != response))
    left = and_(before == response, now != response, now.in_(RESPONSES))
    return Fact(EVENTS.c.type == "prompt.answered", case((became, 1), (left, -1), else_=0))


_PROMPTS = EVENTS.c.type.in_(["prompt.shown", "prompt.answered"])
FACTS = Facts(
    table=EVENTS,
    time="created_at",
    rows=EVENTS.c.family == "loyalty",
    dimensions={
        "channel": Dimension(payload_text(EVENTS, "channel")),
        "offer": Dimension(payload_text(EVENTS, "offerId"), known=_PROMPTS),
    },
    measures={
        "sessions": Fact(EVENTS.c.type == "session.started"),
        "trials": Fact(EVENTS.c.type == "trial.recorded"),
        "prompts_shown": Fact(EVENTS.c.type == "prompt.shown"),
        **{response: _answer_fact(response) for response in RESPONSES},
        "bonus_points": Fact(
            and_(
                EVENTS.c.type == "transaction.finalized",
                func.coalesce(EVENTS.c.payload["anonymous"].as_boolean(), false()) == false(),
            ),
            func.coalesce(EVENTS.c.payload["bonusPoints"].as_integer(), 0),
        ),
    },
)

MEASURES = Measures(
    family="loyalty",
    counts=("sessions", "trials", "prompts_shown", "accepted", "declined", "deferred", "bonus_points"),
    ratios={"acceptance_rate": Ratio("accepted", "prompts_shown")},
    groupings=("day", "offer", "channel"),
    contribute=contribute,
    steps={
        "session": Step("session.started"),
        "enrolled": Step("member.enrolled"),
        "trial": Step("trial.recorded"),
        "prompt": Step("prompt.shown"),
        "accepted": _answered("accepted"),
        "declined": _answered("declined"),
        "deferred": _answered("deferred"),
        "transaction": Step("transaction.finalized"),
    },
    export=Export(table_of(Trial), "created_at", "trials"),
    facts=FACTS,
)
