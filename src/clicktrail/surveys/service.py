"""The click flow (DESIGN §9 surveys): opening a click, its state, and the user's actions (answer, skip,
leave).

The two hot steps, opening a click and acting on it, are writer jobs of Core statements over the app's
cached definitions (``cached_definitions``): once-only steps are guarded UPDATEs checked by rowcount, or
unique keys, and every step appends its journey event in the job. A refusal is the job's answer: the
writer undoes what the job wrote and the batch goes on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..core.config.cache import ConfigCache
from ..core.enrich.useragent import UserAgent, parse_user_agent
from ..core.storage.ids import new_uuid, storable, utcnow
from ..core.storage.writer import Read, Tx, Writer
from ..core.web.errors import NotFound, Unprocessable
from .attribution import Attribution, columns, created_payload
from .cached_definitions import Definitions, Question, Settings, SurveyDef, load_definitions, question_of
from .click_rules import details_view, survey_details
from .endings import Ending, conclude, finish, left, screened_out, terminated
from .job_steps import (
    CLICK,
    CLICKS,
    LISTING,
    Click,
    answered_before,
    append,
    declared_click,
    first_click,
    move,
    refusal,
    remember,
)
from .models import IN_PROGRESS, OPEN, SurveyQuestion
from .validation import check_answers, qualifies, validation_info
from .verdicts import judge_click

LEAVE_REASONS = ("OTHER", "TECHNICAL", "SENSITIVE", "TOO_LONG", "UNINTERESTING")
T = TypeVar("T")
Lookup = Callable[[str], Definitions]  # app id → its definitions, inside a job


@dataclass(frozen=True)
class Action:
    """One action of ``POST /v2/client/clicks/{id}`` (the route checks there is exactly one)."""

    kind: str  # answer | skip | leave | rate
    answers: tuple[str, ...] = ()
    reason: str | None = None


# --- running a step in the writer ---------------------------------------------------------------------


class ColdDefinitions(Exception):
    """A job met an app whose definitions are not in memory, or due for a re-check: the caller loads them
    (off the writer thread) and submits the step again."""

    def __init__(self, app_id: str):
        super().__init__(app_id)
        self.app_id = app_id


def _cached(config: ConfigCache) -> Lookup:
    def lookup(app_id: str) -> Definitions:
        value, refresh = config.peek(app_id, load_definitions)
        if refresh or value is None:
            raise ColdDefinitions(app_id)
        return value

    return lookup


async def _submit(
    writer: Writer, config: ConfigCache, step: Callable[..., T], reads: tuple[Read, ...] = ()
) -> T:
    try:
        return await writer.submit(partial(step, definitions=_cached(config)), reads=reads)
    except ColdDefinitions as cold:
        loaded = await run_in_threadpool(config.get, cold.app_id, load_definitions)
        return await writer.submit(partial(step, definitions=lambda _: loaded), reads=reads)


# --- opening a click ----------------------------------------------------------------------------------


async def open_click(
    writer: Writer,
    config: ConfigCache,
    *,
    impression: str,
    session_id: str,
    country: str | None,
    attribution: Attribution | None = None,
    user_agent: str | None = None,
) -> tuple[str, str | None]:
    """Open a click on the survey ``impression`` of listing ``session_id``; returns its id and, when no
    question is open, where the user goes now. A click on a full or already finished survey is created
    ended (termination), so the user is sent back. ``attribution``: the click URL's UTM fields, link and
    sub-ids (kept on the click, counted under its events). ``user_agent``: the opening request's, parsed
    here (not in the writer) for the click's verdict (``verdicts``), which changes nothing of the answer."""
    step = partial(
        _open,
        impression=impression,
        session_id=session_id,
        country=country,
        attribution=attribution or {},
        agent=parse_user_agent(user_agent),
    )
    return await _submit(writer, config, step)


def _open(
    tx: Tx,
    *,
    definitions: Lookup,
    impression: str,
    session_id: str,
    country: str | None,
    attribution: Attribution,
    agent: UserAgent,
) -> tuple[str, str | None]:
    listing = _listing(tx, session_id)
    defs = definitions(listing.app_id)
    survey = defs.surveys.get(impression)
    if survey is None or not survey.active:
        raise NotFound("unknown impression")
    settings = _settings(defs)
    click = _new_click(listing, survey, settings, listing.country or country or survey.country)
    click.update(columns(attribution))
    judge_click(tx, click, agent=agent, window_seconds=settings.duplicate_window_seconds)
    reason = refusal(tx, survey, click)
    # A refused click asks nothing, and leaves the user's first click (and profile) for later.
    first = reason is None and first_click(tx, click)
    plan = [] if reason is not None else _plan(tx, settings, survey, click, first)
    click.update(plan=plan, question_mode="first" if len(plan) > len(survey.questions) else "default")
    ending = terminated(settings, click, reason, country=click["country"]) if reason is not None else None
    if ending is None and not plan:
        ending = finish(tx, settings, survey, click)
    if ending is not None:
        click.update(ending.changes())
    tx.insert(CLICKS, click)
    append(tx, click, "click.created", **_created(click))
    if ending is not None:
        conclude(tx, click, ending)
    return click["id"], None if click["status"] == OPEN else click["redirect_url"]


def _listing(tx: Tx, session_id: str) -> Any:
    listing = (
        tx.execute(LISTING, {"id": session_id}, sees_buffered=False).first()
        if len(session_id) <= 32 and storable(session_id)
        else None
    )
    if listing is None:
        raise NotFound("unknown session")
    return listing


def _settings(defs: Definitions) -> Settings:
    if defs.settings is None:
        raise NotFound("surveys are not configured for this app")
    return defs.settings


def _new_click(listing: Any, survey: SurveyDef, settings: Settings, country: str | None) -> Click:
    now = utcnow()
    languages = list(listing.languages)
    lang = languages[0] if languages else "en"
    return {
        "id": new_uuid(),
        "app_id": listing.app_id,
        "user_id": listing.user_id,
        "survey_id": survey.id,
        "session_id": listing.id,
        "click_type": survey.type,
        "question_mode": "default",
        "country": country,
        "languages": languages,
        "plan": [],
        "details": survey_details(survey, settings, country, lang),
        "cursor": 0,
        "status": OPEN,
        "redirect_type": None,
        "redirect_url": None,
        "end_reason": None,
        "complete_tx": None,
        "reconciled": False,
        "created_at": now,
        "updated_at": now,
    }


def _created(click: Click) -> dict[str, Any]:
    return {
        "click_type": click["click_type"],
        "question_mode": click["question_mode"],
        "country": click["country"],
        "required_questions": len(click["plan"]),
        # The verdict (``verdicts``): the person timeline shows it, the metrics count unique and bot clicks.
        "verdict": click["verdict"],
        "verdict_reason": click["verdict_reason"],
        "unique": click["is_unique"],
        "bot": click["verdict"] == "bot",
        **created_payload(click),
    }


def _plan(tx: Tx, settings: Settings, survey: SurveyDef, click: Click, first: bool) -> list[dict[str, Any]]:
    plan: list[dict[str, Any]] = []
    seen: set[str] = set()
    if first:
        for qid in settings.profile_questions:
            if qid not in seen:
                seen.add(qid)
                plan.append({"id": qid, "dup": False, "qualifying": None})
    own = [q for q in survey.questions if q["id"] not in seen]
    answered = answered_before(tx, click, [q["id"] for q in own]) if own else set()
    for q in own:
        plan.append({"id": q["id"], "dup": q["id"] in answered, "qualifying": q.get("qualifying")})
    return plan


# --- the click state ----------------------------------------------------------------------------------


def _pick(texts: list[list[str]], languages: list[str]) -> tuple[str, str]:
    by_lang = {lang: text for lang, text in texts}
    for lang in languages:
        if lang in by_lang:
            return lang, by_lang[lang]
    return texts[0][0], texts[0][1]


def state_view(click: Click, question: Question | None, languages: list[str]) -> dict[str, Any]:
    """The click's state as the wire shows it; ``question`` is the open one (None once ended)."""
    data: dict[str, Any] = {}
    if question is not None:
        data["answer_question"] = {"question": _question_view(click, question, languages)}
    else:
        data["redirect"] = {"url": click["redirect_url"], "type": click["redirect_type"]}
    data.update(
        answered_questions=click["cursor"],
        required_questions=len(click["plan"]),
        click_type=click["click_type"],
        question_mode=click["question_mode"],
        survey_details=details_view(click["details"]),
    )
    return data


def _question_view(click: Click, question: Question, languages: list[str]) -> dict[str, Any]:
    # The user's language: the request's Accept-Language, else the listing's, else the survey's.
    prefs = languages or list(click["languages"]) or [click["details"].get("language") or ""]
    lang, text = _pick(question.texts, prefs)
    return {
        "id": question.id,
        "language": lang,
        "type": question.type,
        "localized_text": text,
        "answers": [
            {"code": a["code"], "localized_text": _pick(a["text"], [lang, *prefs])[1]}
            for a in question.answers
        ],
        "can_skip": question.can_skip,
        "is_duplicate": bool(click["plan"][click["cursor"]]["dup"]),
        "example": question.example,
        "validation_info": validation_info(question.rules),
    }


def _open_question(click: Click, lookup: Callable[[str], Question | None]) -> Question | None:
    if click["status"] != OPEN:
        return None
    entry = click["plan"][click["cursor"]]
    question = lookup(entry["id"])
    if question is None:  # pragma: no cover - questions are never deleted
        raise NotFound(f"question '{entry['id']}' not found")
    return question


def get_click(session: Session, *, click_id: str, languages: list[str]) -> dict[str, Any]:
    with session.begin():
        click = _load(session, click_id)

        def lookup(question_id: str) -> Question | None:
            row = session.get(SurveyQuestion, (click["app_id"], question_id))
            return None if row is None else question_of(row)

        return state_view(click, _open_question(click, lookup), languages)


def _load(conn: Session | Tx, click_id: str) -> Click:
    found = (
        conn.execute(CLICK, {"id": click_id}).first() if len(click_id) <= 36 and storable(click_id) else None
    )
    if found is None:
        raise NotFound(f"click '{click_id[:64]}' not found")
    return dict(found._mapping)


# --- actions ------------------------------------------------------------------------------------------


async def act(
    writer: Writer, config: ConfigCache, *, click_id: str, action: Action, languages: list[str]
) -> dict[str, Any]:
    """Answer, skip or leave (or the deprecated rate, which does nothing); returns the new state."""
    if not (len(click_id) <= 36 and storable(click_id)):
        raise NotFound(f"click '{click_id[:64]}' not found")
    step = partial(_act, click_id=click_id, action=action, languages=languages)
    return await _submit(writer, config, step, reads=(declared_click(click_id),))


def _act(
    tx: Tx, *, definitions: Lookup, click_id: str, action: Action, languages: list[str]
) -> dict[str, Any]:
    click = tx.read(declared_click(click_id))
    if click is None:
        raise NotFound(f"click '{click_id[:64]}' not found")
    defs = definitions(click["app_id"])
    if action.kind == "leave":
        _leave(tx, defs, click, action.reason)
    elif action.kind in ("answer", "skip"):
        _advance(tx, defs, click, action)
    return state_view(click, _open_question(click, defs.questions.get), languages)


def _leave(tx: Tx, defs: Definitions, click: Click, reason: str | None) -> None:
    if reason not in LEAVE_REASONS:
        raise Unprocessable(f"reason must be one of {', '.join(LEAVE_REASONS)}", code="INVALID_REASON")
    if click["status"] not in IN_PROGRESS:
        raise Unprocessable("the click is finished", code="NO_OPEN_QUESTION")
    ending = left(_settings(defs), click, reason)
    if not move(tx, click, **ending.changes()):
        raise Unprocessable("the click changed concurrently", code="NO_OPEN_QUESTION")
    conclude(tx, click, ending)


def _advance(tx: Tx, defs: Definitions, click: Click, action: Action) -> None:
    if click["status"] != OPEN:
        raise Unprocessable("the click has no open question", code="NO_OPEN_QUESTION")
    question = _open_question(click, defs.questions.get)
    assert question is not None  # the click is open
    position = click["cursor"]
    answers, ok = _checked(question, click["plan"][position], action)
    ending = _step(tx, defs, click, question, ok)
    remember(tx, click, question.id, None if action.kind == "skip" else answers)
    if action.kind == "skip":
        append(tx, click, "question.skipped", question_id=question.id, position=position)
    else:
        payload: dict[str, Any] = {"question_id": question.id, "position": position, "qualifies": ok}
        if question.type in ("SINGLE", "MULTI"):
            payload["answers"] = answers
        append(tx, click, "question.answered", **payload)
    if ending is not None:
        conclude(tx, click, ending)


def _checked(question: Question, entry: dict[str, Any], action: Action) -> tuple[list[str], bool]:
    if action.kind == "skip":
        if not question.can_skip:
            raise Unprocessable("this question cannot be skipped", code="NOT_SKIPPABLE")
        return [], True
    today = utcnow().date()
    answers = check_answers(question.rules, list(action.answers), today=today)
    return answers, qualifies(question.rules, entry.get("qualifying"), answers, today=today)


def _step(tx: Tx, defs: Definitions, click: Click, question: Question, ok: bool) -> Ending | None:
    """The job's first write: one guarded UPDATE moves the cursor and, when the step ends the click (a
    screen-out, or the last question of a survey), ends it too. Returns the ending, if any."""
    settings = _settings(defs)
    position = click["cursor"]
    survey = _survey(defs, click) if position + 1 == len(click["plan"]) else None
    if ok and survey is not None and survey.type == "start_bonus":
        return _earn(tx, settings, survey, click)
    ending = screened_out(settings, click, question.id) if not ok else None
    if ending is None and survey is not None:
        ending = finish(tx, settings, survey, click)
    changes = ending.changes() if ending is not None else {}
    if not move(tx, click, expect_cursor=position, cursor=position + 1, **changes):
        raise _raced()
    return ending


def _earn(tx: Tx, settings: Settings, survey: SurveyDef, click: Click) -> Ending:
    """The start bonus's last question: the step, the once-only bonus (its unique key decides) and the
    ending; a step that lost a race is refused, and the writer undoes the job's bonus with it."""
    position = click["cursor"]
    if not move(tx, click, expect_cursor=position, cursor=position + 1):
        raise _raced()
    ending = finish(tx, settings, survey, click)
    if not move(tx, click, **ending.changes()):  # pragma: no cover - the step above holds the row
        raise _raced()
    return ending


def _raced() -> Unprocessable:
    return Unprocessable("the question was answered concurrently", code="NO_OPEN_QUESTION")


def _survey(defs: Definitions, click: Click) -> SurveyDef:
    survey = defs.surveys.get(click["survey_id"])
    if survey is None:
        raise NotFound(f"survey '{click['survey_id']}' not found")
    return survey
