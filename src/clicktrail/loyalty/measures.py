"""The loyalty family's metrics: sessions, trials, near-miss prompts and their answers, the acceptance rate
and the bonus points of finalized transactions, by day, offer and channel (counted from the session's
journey events, see ``core.rollups``). A prompt answered again moves its count from the old answer to the
new one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.db import table_of
from ..core.rollups import Contribution, Export, Measures, Ratio, Step
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
)
