"""Trial activity (the points estimate and near-miss prompts) and the shopper's answers to prompts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, bindparam, insert, literal_column, select, update
from sqlalchemy.orm import Session

from ..core.journeys.events import append_event, record_event
from ..core.storage.db import table_of
from ..core.storage.ids import new_uuid7, storable, utcnow
from ..core.storage.writer import Tx, Writer
from ..core.tenancy.apps import tenant
from ..core.web.errors import InvalidInput, clip
from . import program
from .models import LoyaltySession, Member, Prompt, Trial
from .money import format_money, normalize_locale, pick_message, to_cents, wire
from .schemas import RESPONSES
from .service import (
    CAPTURED,
    FAMILY,
    FINALIZED,
    NO_SESSION,
    currency_refused,
    get_session,
    hold_open,
    iso,
    loyalty_id_of,
)

# --- trial ---------------------------------------------------------------------------------------------


async def record_trial(
    writer: Writer,
    rules: program.Rules,
    *,
    app_id: str,
    correlation_id: str,
    action: str,
    channel: str,
    transaction_date: datetime,
    call_id: str | None,
    locale: str | None,
    amount: Decimal,
    currency: str,
    line_items: int,
) -> dict[str, Any]:
    """Score a basket without booking it; every offer within the near-miss window gets a prompt.

    A repeated callId returns the first answer (and shows no prompt twice). The estimate and, when the
    call names a locale, the prompts' text are worked out here; the writer's job reads the session (and
    holds it open), then writes the trial, its prompts and their events. A repeat of a callId that another
    process is recording at the same moment meets the unique (session, callId) index: the caller answers
    with :func:`earlier_trial` then."""
    if not storable(correlation_id):
        raise InvalidInput(NO_SESSION)  # no session has such an id (and PostgreSQL would refuse the query)
    cents = to_cents(amount)
    wrong_currency = None if currency.upper() == rules.currency else currency_refused(rules, currency)
    near = near_misses(rules, cents)
    asked = normalize_locale(locale)
    trial = _Trial(
        app_id=app_id,
        correlation_id=correlation_id,
        call_id=call_id or new_uuid7(),
        action=action,
        channel=channel,
        transaction_date=transaction_date,
        line_items=line_items,
        rules=rules,
        cents=cents,
        points=program.estimate(rules, cents),
        offers=offer_progress(rules, cents),
        near=near,
        prompt_ids=[new_uuid7() for _ in near],
    )
    asked_texts = prompt_texts(rules, near, cents, asked) if asked and wrong_currency is None else None

    def job(tx: Tx) -> dict[str, Any]:
        sess = _hold_session_open(tx, app_id, correlation_id, call_id)
        if sess.earlier is not None:
            return sess.earlier
        if wrong_currency is not None:
            raise InvalidInput(wrong_currency)
        locale_tag = asked or sess.locale
        texts = asked_texts if asked_texts is not None else prompt_texts(rules, near, cents, locale_tag)
        loyalty_id = "anonymous" if sess.member_id is None else sess.loyalty_id
        response = trial.response(loyalty_id, locale_tag, texts)
        _write_trial(tx, trial, sess, response)
        return response

    return await writer.submit(job, lock=f"loyalty_sessions:{app_id}:{correlation_id}")


def near_misses(rules: program.Rules, cents: int) -> list[program.OfferRule]:
    """The offers the basket falls short of by no more than the near-miss window, nearest first."""
    return sorted(
        (o for o in rules.offers if 0 < o.threshold_cents - cents <= rules.near_miss_window_cents),
        key=lambda o: (o.threshold_cents - cents, o.position),
    )


def offer_progress(rules: program.Rules, cents: int) -> list[dict[str, Any]]:
    """Every offer, and how far the basket is from it."""
    return [
        {
            "offerId": o.id,
            "threshold": wire(o.threshold_cents),
            "bonusPoints": o.bonus_points,
            "met": cents >= o.threshold_cents,
            "gap": wire(max(o.threshold_cents - cents, 0)),
        }
        for o in rules.offers
    ]


@dataclass(frozen=True)
class _Trial:
    """A scored basket: everything of the trial that needs no session, worked out before the job."""

    app_id: str
    correlation_id: str
    call_id: str  # the one given, or a new one
    action: str
    channel: str
    transaction_date: datetime
    line_items: int
    rules: program.Rules
    cents: int
    points: program.Estimate
    offers: list[dict[str, Any]]
    near: list[program.OfferRule]
    prompt_ids: list[str]

    def prompts(self, texts: list[str]) -> list[dict[str, Any]]:
        return [
            {
                "promptMessageID": pid,
                "offerId": o.id,
                "gap": wire(o.threshold_cents - self.cents),
                "bonusPoints": o.bonus_points,
                "promptMessage": text,
            }
            for pid, o, text in zip(self.prompt_ids, self.near, texts, strict=True)
        ]

    def response(self, loyalty_id: str | None, locale_tag: str, texts: list[str]) -> dict[str, Any]:
        prompts = self.prompts(texts)
        nearest = prompts[0] if prompts else None
        return {
            "correlationId": self.correlation_id,
            "callId": self.call_id,
            "action": self.action,
            "channel": self.channel,
            "transactionDate": iso(self.transaction_date),
            "locale": locale_tag,
            "loyaltyId": loyalty_id,
            "basket": {
                "amount": wire(self.cents),
                "currency": self.rules.currency,
                "lineItemCount": self.line_items,
            },
            "estimate": self.points.view(),
            "offers": self.offers,
            "nearMiss": prompts,
            "gap": nearest["gap"] if nearest else None,
            "promptMessageID": nearest["promptMessageID"] if nearest else None,
            "promptMessage": nearest["promptMessage"] if nearest else None,
        }


def _hold_session_open(tx: Tx, app_id: str, correlation_id: str, call_id: str | None) -> Any:
    """The open session's row (held open until the batch commits), or the refusal: finalized, or none.

    Neither statement needs to see rows buffered by the batch (prompts and events; trials are never
    buffered), so they leave them buffered: one executemany per table for the whole batch."""
    held = {"app": app_id, "cid": correlation_id, "call": call_id}
    sess = tx.execute(_HOLD_OPEN, held, sees_buffered=False).first()
    if sess is None:
        exists = tx.execute(
            _SESSION_EXISTS, {"app": app_id, "cid": correlation_id}, sees_buffered=False
        ).first()
        raise InvalidInput(FINALIZED if exists is not None else NO_SESSION)
    return sess


def _write_trial(tx: Tx, trial: _Trial, sess: Any, response: dict[str, Any]) -> None:
    """The trial row, its event, then each prompt shown and its event."""
    now = utcnow()
    user_id = None if sess.member_id is None else response["loyaltyId"]
    trial_row = {
        "app_id": trial.app_id,
        "session_id": sess.id,
        "call_id": trial.call_id,
        "amount_cents": trial.cents,
        "response": response,
        "created_at": now,
    }
    trial_id = tx.execute(_INSERT_TRIAL, trial_row, sees_buffered=False).scalar_one()
    prompts = response["nearMiss"]
    trial_event = {
        "callId": trial.call_id,
        "amount": wire(trial.cents),
        "currency": trial.rules.currency,
        "estimatedPoints": trial.points.total,
        "prompts": len(prompts),
        "channel": trial.channel,
    }
    _append(tx, trial, "trial.recorded", user_id, trial_event, now)
    for o, p in zip(trial.near, prompts, strict=True):
        prompt_row = {
            "app_id": trial.app_id,
            "prompt_id": p["promptMessageID"],
            "session_id": sess.id,
            "trial_id": trial_id,
            "offer_id": o.id,
            "gap_cents": o.threshold_cents - trial.cents,
            "message": p["promptMessage"],
            "response": None,
            "answered_at": None,
            "created_at": now,
        }
        tx.insert(PROMPTS, prompt_row)
        shown = {
            "promptMessageId": p["promptMessageID"],
            "offerId": o.id,
            "gap": p["gap"],
            "channel": trial.channel,
        }
        _append(tx, trial, "prompt.shown", user_id, shown, now)


def _append(
    tx: Tx, trial: _Trial, type: str, user_id: str | None, payload: dict[str, Any], at: datetime
) -> None:
    append_event(
        tx,
        app_id=trial.app_id,
        family=FAMILY,
        journey_id=trial.correlation_id,
        type=type,
        user_id=user_id,
        payload=payload,
        at=at,
    )


def prompt_texts(rules: program.Rules, near: list[program.OfferRule], cents: int, locale: str) -> list[str]:
    """The prompts' text in the shopper's locale (pure: worked out before the job when it can be)."""
    return [
        pick_message(o.message, locale, rules.locale).format(
            gap=format_money(o.threshold_cents - cents, rules.currency, locale),
            threshold=format_money(o.threshold_cents, rules.currency, locale),
            bonus_points=o.bonus_points,
        )
        for o in near
    ]


def earlier_trial(
    session: Session, *, app_id: str, correlation_id: str, call_id: str
) -> dict[str, Any] | None:
    """The answer first given to a callId (read after a concurrent repeat lost the race to record it)."""
    with session.begin():
        return session.execute(
            select(Trial.response)
            .join(LoyaltySession, LoyaltySession.id == Trial.session_id)
            .where(
                tenant(LoyaltySession, app_id),
                LoyaltySession.correlation_id == correlation_id,
                Trial.call_id == call_id,
            )
        ).scalar_one_or_none()


# Built once (every trial runs the same statements; only their parameters change).
SESSIONS = table_of(LoyaltySession)
TRIALS = table_of(Trial)
PROMPTS = table_of(Prompt)
# Holds the session open (the row lock: PostgreSQL waits for a concurrent finalize here) and reads, in the
# same statement, what the trial needs of it: its locale, its member's loyalty id, and the answer already
# given to this callId, if any. SQLite's RETURNING names the session's columns unqualified, so the
# subqueries read aliased tables and name the session's columns in full themselves.
_MEMBER = table_of(Member).alias("m")
_EARLIER = TRIALS.alias("t")
_SESSION_APP: ColumnElement[Any] = literal_column(f"{SESSIONS.name}.app_id")


def _in_full(alias: Any) -> SimpleNamespace:
    """An aliased table's ``app_id`` named with its alias (SQLite's RETURNING would print it bare)."""
    return SimpleNamespace(app_id=literal_column(f"{alias.name}.app_id"))


_HOLD_OPEN = (
    update(SESSIONS)
    .where(
        tenant(SESSIONS.c, bindparam("app")),
        SESSIONS.c.correlation_id == bindparam("cid"),
        SESSIONS.c.state == "open",
    )
    .values(state=SESSIONS.c.state)  # writes nothing new; takes the row lock
    .returning(
        SESSIONS.c.id,
        SESSIONS.c.member_id,
        SESSIONS.c.locale,
        select(_MEMBER.c.loyalty_id)
        .where(
            tenant(_in_full(_MEMBER), _SESSION_APP),
            _MEMBER.c.id == literal_column(f"{SESSIONS.name}.member_id"),
        )
        .scalar_subquery()
        .label("loyalty_id"),
        select(_EARLIER.c.response)
        .where(
            tenant(_in_full(_EARLIER), _SESSION_APP),
            _EARLIER.c.session_id == literal_column(f"{SESSIONS.name}.id"),
            _EARLIER.c.call_id == bindparam("call"),
        )
        .scalar_subquery()
        .label("earlier"),
    )
)
_SESSION_EXISTS = select(LoyaltySession.id).where(
    tenant(LoyaltySession, bindparam("app")), LoyaltySession.correlation_id == bindparam("cid")
)
_INSERT_TRIAL = insert(TRIALS).returning(TRIALS.c.id)


# --- prompt responses ----------------------------------------------------------------------------------


def shown_value(value: Any) -> str:
    """How a sent value reads in the vendor's ``{response} is not a valid response``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clip(value)
    return clip(json.dumps(value, separators=(",", ":")))


def capture_prompt_response(
    session: Session, *, app_id: str, correlation_id: str, prompt_id: str, response: Any
) -> dict[str, str]:
    """Record the shopper's reaction to a prompt of this session; the last answer before finalize counts."""
    if not isinstance(response, str) or response not in RESPONSES:
        raise InvalidInput(f"{clip(shown_value(response))} is not a valid response")
    with session.begin():
        sess = get_session(session, app_id, correlation_id)
        prompt = (
            session.scalars(
                select(Prompt).where(
                    tenant(Prompt, app_id), Prompt.prompt_id == prompt_id, Prompt.session_id == sess.id
                )
            ).first()
            if storable(prompt_id)
            else None
        )
        if prompt is None:
            raise InvalidInput(f"{clip(prompt_id)} is not a valid promptMessageId")
        hold_open(session, sess)
        previous = prompt.response
        prompt.response = response
        prompt.answered_at = utcnow()
        loyalty_id, _ = loyalty_id_of(session, sess)
        record_event(
            session,
            app_id=app_id,
            family=FAMILY,
            journey_id=correlation_id,
            type="prompt.answered",
            user_id=None if sess.member_id is None else loyalty_id,
            payload={
                "promptMessageId": prompt.prompt_id,
                "offerId": prompt.offer_id,
                "response": response,
                "previous": previous,
                "gap": wire(prompt.gap_cents),
                "channel": sess.channel,
            },
        )
    return {"message": CAPTURED}
