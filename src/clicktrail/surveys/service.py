"""The click flow (DESIGN §9 surveys): opening a click, its state, and the user's actions (answer, skip,
leave). Each public function owns one transaction; every step appends a journey event; once-only steps are
conditional UPDATEs checked by rowcount, or unique keys."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.db import is_postgres
from ..core.errors import NotFound, Unprocessable
from ..core.ids import new_uuid, utcnow
from ..core.tenancy import tenant
from . import quotas
from .callbacks import amount, enqueue_callback
from .models import (
    IN_PROGRESS,
    OPEN,
    QUALIFIED,
    SCREENED_OUT,
    START_BONUS,
    TERMINATED,
    Survey,
    SurveyAnswer,
    SurveyClick,
    SurveyQuestion,
    SurveySession,
    SurveySettings,
    SurveyStartBonus,
    SurveyUser,
)
from .steps import (
    FINISHED,
    back_url,
    details_view,
    event,
    load_click,
    release,
    screenout_callback,
    settings_of,
    survey_details,
    termination_url,
    transition,
)
from .validation import check_answers, qualifies, rules_of, validation_info

LEAVE_REASONS = ("OTHER", "TECHNICAL", "SENSITIVE", "TOO_LONG", "UNINTERESTING")


@dataclass(frozen=True)
class Action:
    """One action of ``POST /v2/client/clicks/{id}`` (the route checks there is exactly one)."""

    kind: str  # answer | skip | leave | rate
    answers: tuple[str, ...] = ()
    reason: str | None = None


# --- opening a click ----------------------------------------------------------------------------------


def create_click(
    session: Session, *, impression: str, session_id: str, country: str | None
) -> tuple[str, str | None]:
    """Open a click on the survey ``impression`` of listing ``session_id``; returns its id and, when no
    question is open, where the user goes now. A click on a full or already finished survey is created
    ended (termination), so the user is sent back."""
    with session.begin():
        listing = session.get(SurveySession, session_id) if len(session_id) <= 32 else None
        if listing is None:
            raise NotFound("unknown session")
        app_id, user_id = listing.app_id, listing.user_id
        survey = session.get(Survey, (app_id, impression)) if len(impression) <= 64 else None
        if survey is None or not survey.active:
            raise NotFound("unknown impression")
        settings = settings_of(session, app_id)
        country = listing.country or country or survey.country
        now = utcnow()
        click_id = new_uuid()
        reason = _refusal(session, survey, app_id, user_id, country)
        # A refused click asks nothing, and leaves the user's first click (and profile) for later.
        first = reason is None and _first_click(session, app_id, user_id, click_id)
        plan = [] if reason is not None else _plan(session, settings, survey, user_id, first)
        lang = listing.languages[0] if listing.languages else "en"
        click = SurveyClick(
            id=click_id,
            app_id=app_id,
            user_id=user_id,
            survey_id=survey.id,
            session_id=session_id,
            click_type=survey.type,
            question_mode="first" if len(plan) > len(survey.questions) else "default",
            country=country,
            languages=list(listing.languages),
            plan=plan,
            details=survey_details(survey, settings, country, lang),
            cursor=0,
            status=OPEN,
            reconciled=False,
            created_at=now,
            updated_at=now,
        )
        if reason is not None:
            click.status, click.end_reason = TERMINATED, reason
            click.redirect_type, click.redirect_url = "termination", termination_url(settings, user_id)
        session.add(click)
        session.flush()
        event(
            session,
            click,
            "click.created",
            click_type=click.click_type,
            question_mode=click.question_mode,
            country=country,
            required_questions=len(plan),
        )
        if reason is not None:
            event(session, click, "click.terminated", reason=reason, country=country)
        elif not plan:
            _finish_questions(session, click, settings, survey)
        return click_id, None if click.status == OPEN else click.redirect_url


def _refusal(session: Session, survey: Survey, app_id: str, user_id: str, country: str | None) -> str | None:
    if survey.type == "start_bonus":
        done = session.get(SurveyStartBonus, (app_id, user_id)) is not None
        return "already_finished" if done else None
    finished = session.scalar(
        select(SurveyClick.id)
        .where(
            tenant(SurveyClick, app_id),
            SurveyClick.user_id == user_id,
            SurveyClick.survey_id == survey.id,
            SurveyClick.status.in_(FINISHED),
        )
        .limit(1)
    )
    if finished is not None:
        return "already_finished"
    if not quotas.claim_open_click(session, app_id=app_id, survey_id=survey.id, country=country):
        return "quota_full"
    return None


def _first_click(session: Session, app_id: str, user_id: str, click_id: str) -> bool:
    """True for the user's first click of the app (the unique key decides between racing clicks)."""
    if session.get(SurveyUser, (app_id, user_id)) is not None:  # a returning user: one read, no write
        return False
    try:
        with session.begin_nested():
            session.add(
                SurveyUser(app_id=app_id, user_id=user_id, first_click_id=click_id, created_at=utcnow())
            )
        return True
    except IntegrityError:
        return False


def _plan(
    session: Session, settings: SurveySettings, survey: Survey, user_id: str, first: bool
) -> list[dict[str, Any]]:
    plan: list[dict[str, Any]] = []
    seen: set[str] = set()
    if first:
        for qid in settings.profile_questions:
            if qid not in seen:
                seen.add(qid)
                plan.append({"id": qid, "dup": False, "qualifying": None})
    own = [q for q in survey.questions if q["id"] not in seen]
    answered = set()
    if own:
        answered = set(
            session.scalars(
                select(SurveyAnswer.question_id).where(
                    tenant(SurveyAnswer, survey.app_id),
                    SurveyAnswer.user_id == user_id,
                    SurveyAnswer.question_id.in_([q["id"] for q in own]),
                )
            )
        )
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


def render_state(session: Session, click: SurveyClick, languages: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if click.status == OPEN:
        entry = click.plan[click.cursor]
        question = session.get(SurveyQuestion, (click.app_id, entry["id"]))
        if question is None:  # pragma: no cover - questions are never deleted
            raise NotFound(f"question '{entry['id']}' not found")
        # The user's language: the request's Accept-Language, else the listing's, else the survey's.
        prefs = languages or list(click.languages) or [click.details.get("language") or ""]
        lang, text = _pick(question.texts, prefs)
        data["answer_question"] = {
            "question": {
                "id": question.id,
                "language": lang,
                "type": question.type,
                "localized_text": text,
                "answers": [
                    {"code": a["code"], "localized_text": _pick(a["text"], [lang, *prefs])[1]}
                    for a in question.answers
                ],
                "can_skip": question.can_skip,
                "is_duplicate": bool(entry["dup"]),
                "example": question.example,
                "validation_info": validation_info(rules_of(question)),
            }
        }
    else:
        data["redirect"] = {"url": click.redirect_url, "type": click.redirect_type}
    data.update(
        answered_questions=click.cursor,
        required_questions=len(click.plan),
        click_type=click.click_type,
        question_mode=click.question_mode,
        survey_details=details_view(click.details),
    )
    return data


def get_click(session: Session, *, click_id: str, languages: list[str]) -> dict[str, Any]:
    with session.begin():
        return render_state(session, load_click(session, click_id), languages)


# --- actions ------------------------------------------------------------------------------------------


def act(session: Session, *, click_id: str, action: Action, languages: list[str]) -> dict[str, Any]:
    """Answer, skip or leave (or the deprecated rate, which does nothing); returns the new state."""
    with session.begin():
        click = load_click(session, click_id)
        if action.kind == "leave":
            _leave(session, click, action.reason)
        elif action.kind in ("answer", "skip"):
            _advance(session, click, action)
        return render_state(session, click, languages)


def _leave(session: Session, click: SurveyClick, reason: str | None) -> None:
    if reason not in LEAVE_REASONS:
        raise Unprocessable(f"reason must be one of {', '.join(LEAVE_REASONS)}", code="INVALID_REASON")
    if click.status not in IN_PROGRESS:
        raise Unprocessable("the click is finished", code="NO_OPEN_QUESTION")
    settings = settings_of(session, click.app_id)
    url = termination_url(settings, click.user_id)
    if not transition(
        session,
        click,
        expect_status=click.status,
        status=TERMINATED,
        end_reason=reason,
        redirect=("termination", url),
    ):
        raise Unprocessable("the click changed concurrently", code="NO_OPEN_QUESTION")
    release(session, click)
    event(session, click, "click.left", reason=reason, answered_questions=click.cursor, country=click.country)


def _advance(session: Session, click: SurveyClick, action: Action) -> None:
    if click.status != OPEN:
        raise Unprocessable("the click has no open question", code="NO_OPEN_QUESTION")
    entry = click.plan[click.cursor]
    question = session.get(SurveyQuestion, (click.app_id, entry["id"]))
    if question is None:
        raise NotFound(f"question '{entry['id']}' not found")
    rules = rules_of(question)
    today = utcnow().date()
    position = click.cursor
    if action.kind == "skip":
        if not question.can_skip:
            raise Unprocessable("this question cannot be skipped", code="NOT_SKIPPABLE")
        answers: list[str] = []
        ok = True
    else:
        answers = check_answers(rules, list(action.answers), today=today)
        ok = qualifies(rules, entry.get("qualifying"), answers, today=today)
    if not transition(session, click, expect_status=OPEN, expect_cursor=position, cursor=position + 1):
        raise Unprocessable("the question was answered concurrently", code="NO_OPEN_QUESTION")
    if action.kind == "skip":
        _remember(session, click, question.id, None)
        event(session, click, "question.skipped", question_id=question.id, position=position)
    else:
        _remember(session, click, question.id, answers)
        payload: dict[str, Any] = {"question_id": question.id, "position": position, "qualifies": ok}
        if question.type in ("SINGLE", "MULTI"):
            payload["answers"] = answers
        event(session, click, "question.answered", **payload)
    settings = settings_of(session, click.app_id)
    if not ok:
        _screen_out(session, click, settings, question_id=question.id)
    elif click.cursor == len(click.plan):
        survey = session.get(Survey, (click.app_id, click.survey_id))
        if survey is None:
            raise NotFound(f"survey '{click.survey_id}' not found")
        _finish_questions(session, click, settings, survey)


def _remember(session: Session, click: SurveyClick, question_id: str, answers: list[str] | None) -> None:
    """Note that the user was asked ``question_id`` (``is_duplicate`` on later clicks): with the answers,
    or, for a skip (``None``), as asked with no answer, never overwriting an answer given before."""
    values = {
        "app_id": click.app_id,
        "user_id": click.user_id,
        "question_id": question_id,
        "answers": answers or [],
        "click_id": click.id,
        "answered_at": utcnow(),
    }
    insert = pg_insert if is_postgres(session) else sqlite_insert
    stmt = insert(SurveyAnswer).values(**values)
    keys = ["app_id", "user_id", "question_id"]
    if answers is None:
        session.execute(stmt.on_conflict_do_nothing(index_elements=keys))
        return
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=keys,
            set_={
                "answers": stmt.excluded.answers,
                "click_id": click.id,
                "answered_at": values["answered_at"],
            },
        )
    )


def _screen_out(session: Session, click: SurveyClick, settings: SurveySettings, *, question_id: str) -> None:
    url = termination_url(settings, click.user_id)
    _end(session, click, status=SCREENED_OUT, end_reason="screened_out", redirect=("termination", url))
    release(session, click)
    event(session, click, "click.screened_out", question_id=question_id, country=click.country)
    screenout_callback(session, click, settings)


def _end(session: Session, click: SurveyClick, **changes: Any) -> None:
    """End an open click. Our cursor update in this transaction holds its row, so this cannot fail; if it
    ever did, the transaction is refused whole rather than half-ended (explicit code: ``python -O`` drops
    asserts, and the transition with them)."""
    if not transition(session, click, expect_status=OPEN, **changes):
        raise Unprocessable("the click changed concurrently", code="NO_OPEN_QUESTION")


def _finish_questions(session: Session, click: SurveyClick, settings: SurveySettings, survey: Survey) -> None:
    """Every question answered and qualified: into the survey, or the start bonus is earned."""
    if click.click_type == "start_bonus":
        _earn_start_bonus(session, click, settings, survey)
        return
    if quotas.full_keys(session, app_id=click.app_id, survey_id=survey.id, country=click.country):
        url = termination_url(settings, click.user_id)
        _end(session, click, status=TERMINATED, end_reason="quota_full", redirect=("termination", url))
        release(session, click)
        event(session, click, "click.terminated", reason="quota_full", country=click.country)
        return
    url = (survey.entry_url or "").replace("{click_id}", click.id)
    _end(session, click, status=QUALIFIED, redirect=("survey", url))
    event(session, click, "click.qualified", country=click.country, cpi=amount(Decimal(survey.cpi)))


def _earn_start_bonus(session: Session, click: SurveyClick, settings: SurveySettings, survey: Survey) -> None:
    try:
        with session.begin_nested():
            session.add(
                SurveyStartBonus(
                    app_id=click.app_id, user_id=click.user_id, click_id=click.id, created_at=utcnow()
                )
            )
    except IntegrityError:
        url = termination_url(settings, click.user_id)
        _end(session, click, status=TERMINATED, end_reason="already_finished", redirect=("termination", url))
        event(session, click, "click.terminated", reason="already_finished")
        return
    reward = Decimal(survey.cpi)
    url = back_url(settings.start_bonus_url or settings.termination_url, settings, click.user_id, reward)
    _end(session, click, status=START_BONUS, redirect=("start_bonus", url))
    event(session, click, "start_bonus.completed", reward=amount(reward), country=click.country)
    if settings.callback_url and settings.callback_secret:
        enqueue_callback(
            session,
            app_id=click.app_id,
            template=settings.callback_url,
            secret=settings.callback_secret,
            user_id=click.user_id,
            type="START_BONUS",
            raw=reward,
            factor=Decimal(settings.currency_factor),
        )
