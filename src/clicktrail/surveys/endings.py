"""How a hot step ends a click (refused, left, screened out, qualified, terminated on a full survey, the
start bonus earned): its new status and redirect, decided first, then concluded in the job (the quota
slot given back, the journey event, the app's callback)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.storage.writer import Tx
from . import quotas
from .cached_definitions import Settings, SurveyDef
from .callbacks import amount, queue_callback
from .click_rules import back_url, release_slot, screenout_reward, termination_url
from .job_steps import Click, append, earn_start_bonus
from .models import QUALIFIED, SCREENED_OUT, START_BONUS, TERMINATED


@dataclass(frozen=True)
class Ending:
    status: str
    redirect: tuple[str, str]  # (type, url)
    reason: str | None  # end_reason
    event: str
    payload: dict[str, Any] = field(default_factory=dict)
    release: bool = False  # give the click's open-click slot back
    callback: dict[str, Any] | None = None  # the arguments of callbacks.callback_url

    def changes(self) -> dict[str, Any]:
        values = {"status": self.status, "redirect_type": self.redirect[0], "redirect_url": self.redirect[1]}
        if self.reason is not None:
            values["end_reason"] = self.reason
        return values


def conclude(tx: Tx, click: Click, ending: Ending) -> None:
    """What follows an ending the click's row already has."""
    if ending.release:
        release_slot(tx, click)
    append(tx, click, ending.event, **ending.payload)
    if ending.callback is not None:
        queue_callback(tx, app_id=click["app_id"], **ending.callback)


def terminated(
    settings: Settings, click: Click, reason: str, *, release: bool = False, **payload: Any
) -> Ending:
    url = termination_url(settings, click["user_id"])
    payload = {"reason": reason, **payload}
    return Ending(TERMINATED, ("termination", url), reason, "click.terminated", payload, release)


def left(settings: Settings, click: Click, reason: str) -> Ending:
    url = termination_url(settings, click["user_id"])
    payload = {"reason": reason, "answered_questions": click["cursor"], "country": click["country"]}
    return Ending(TERMINATED, ("termination", url), reason, "click.left", payload, release=True)


def screened_out(settings: Settings, click: Click, question_id: str) -> Ending:
    url = termination_url(settings, click["user_id"])
    payload = {"question_id": question_id, "country": click["country"]}
    callback = None
    reward = screenout_reward(settings)
    if reward is not None:
        callback = _callback(settings, click, "SCREENOUT", reward)
    return Ending(
        SCREENED_OUT, ("termination", url), "screened_out", "click.screened_out", payload, True, callback
    )


def finish(tx: Tx, settings: Settings, survey: SurveyDef, click: Click) -> Ending:
    """Every question answered and qualified: into the survey (unless it filled up meanwhile), or the
    start bonus is earned (once per user: its unique key decides)."""
    if click["click_type"] == "start_bonus":
        return _start_bonus(tx, settings, survey, click)
    if _full(tx, survey, click):
        return terminated(settings, click, "quota_full", release=True, country=click["country"])
    url = (survey.entry_url or "").replace("{click_id}", click["id"])
    payload = {"country": click["country"], "cpi": amount(survey.cpi)}
    return Ending(QUALIFIED, ("survey", url), None, "click.qualified", payload)


def _full(tx: Tx, survey: SurveyDef, click: Click) -> bool:
    """Whether a completes cap of the survey (overall or the click's country) is reached: read only when
    the survey has one."""
    keys = ("*", click["country"])
    if not any(quota.caps_completes for quota in survey.quotas if quota.country in keys):
        return False
    found = quotas.full_keys(tx, app_id=click["app_id"], survey_id=survey.id, country=click["country"])
    return bool(found)


def _start_bonus(tx: Tx, settings: Settings, survey: SurveyDef, click: Click) -> Ending:
    if not earn_start_bonus(tx, click):
        return terminated(settings, click, "already_finished")
    reward = survey.cpi
    url = back_url(settings.start_bonus_url or settings.termination_url, settings, click["user_id"], reward)
    payload = {"reward": amount(reward), "country": click["country"]}
    callback = None
    if settings.callback_url and settings.callback_secret:
        callback = _callback(settings, click, "START_BONUS", reward)
    return Ending(
        START_BONUS, ("start_bonus", url), None, "start_bonus.completed", payload, callback=callback
    )


def _callback(settings: Settings, click: Click, type: str, raw: Any) -> dict[str, Any]:
    return {
        "template": settings.callback_url,
        "secret": settings.callback_secret,
        "user_id": click["user_id"],
        "type": type,
        "raw": raw,
        "factor": settings.currency_factor,
    }
