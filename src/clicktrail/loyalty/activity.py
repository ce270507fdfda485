"""Trial activity (the points estimate and near-miss prompts) and the shopper's answers to prompts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import bindparam, insert, select, tuple_
from sqlalchemy.orm import Session

from ..core.journeys.events import append_event, record_event
from ..core.storage.db import table_of
from ..core.storage.ids import new_uuid7, storable, utcnow
from ..core.storage.writer import LockedRows, Read, Tx, Writer
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
    call names a locale, the prompts' text are worked out here. The job declares the session (locked with
    the batch's: held open) and the callId's earlier answer, runs no statement, and its rows go out with the
    batch's. A repeat meeting the unique (session, callId) index is answered with :func:`earlier_trial`."""
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
    held, first = _declared(app_id, correlation_id, call_id)

    def job(tx: Tx) -> dict[str, Any]:
        sess = _open_session(tx, held)
        earlier = tx.noted(trial.repeat) or (tx.read(first) if first else None)  # this batch's, or before
        if earlier is not None:
            return cast(dict[str, Any], earlier["response"])
        if wrong_currency is not None:
            raise InvalidInput(wrong_currency)
        locale_tag = asked or sess["locale"]
        texts = asked_texts if asked_texts is not None else prompt_texts(rules, near, cents, locale_tag)
        loyalty_id = "anonymous" if sess["member_id"] is None else sess["loyalty_id"]
        response = trial.response(loyalty_id, locale_tag, texts)
        _write_trial(tx, trial, sess, response)
        return response

    return await writer.submit(job, reads=(held,) if first is None else (held, first))


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

    @property
    def repeat(self) -> tuple[str, ...]:
        """What the trial notes its answer under, for a repeat of its callId in the same batch."""
        return (_REPEAT, self.app_id, self.correlation_id, self.call_id)

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


def _declared(app_id: str, correlation_id: str, call_id: str | None) -> tuple[Read, Read | None]:
    """The rows a trial reads: its session, and the answer already given to the callId the caller gave,
    if any (a generated callId cannot have been answered)."""
    held = Read(_SESSIONS, app_id, correlation_id)
    return held, None if call_id is None else Read(_FIRST_ANSWERS, app_id, (correlation_id, call_id))


def _open_session(tx: Tx, held: Read) -> dict[str, Any]:
    """The session's row, locked with the batch's (held open until it commits), or the refusal: finalized,
    or none."""
    sess = tx.read(held)
    if sess is None:
        raise InvalidInput(NO_SESSION)
    if sess["state"] != "open":
        raise InvalidInput(FINALIZED)
    return sess


def _write_trial(tx: Tx, trial: _Trial, sess: dict[str, Any], response: dict[str, Any]) -> None:
    """The trial row, its event, then each prompt shown and its event: all written with the batch (the
    prompts find their trial's id as they are written, see :func:`_write_prompts`)."""
    now = utcnow()
    user_id = None if sess["member_id"] is None else response["loyaltyId"]
    trial_row = {
        "app_id": trial.app_id,
        "session_id": sess["id"],
        "call_id": trial.call_id,
        "amount_cents": trial.cents,
        "response": response,
        "created_at": now,
    }
    tx.insert(TRIALS, trial_row)
    tx.note(trial.repeat, {"response": response})
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
            "session_id": sess["id"],
            "call_id": trial.call_id,
            "offer_id": o.id,
            "gap_cents": o.threshold_cents - trial.cents,
            "message": p["promptMessage"],
            "created_at": now,
        }
        tx.gather(_write_prompts, prompt_row)
        shown = {
            "promptMessageId": p["promptMessageID"],
            "offerId": o.id,
            "gap": p["gap"],
            "channel": trial.channel,
        }
        _append(tx, trial, "prompt.shown", user_id, shown, now)


def _write_prompts(tx: Tx, rows: list[dict[str, Any]]) -> None:
    """The batch's prompts, in one ``executemany``: each takes its trial's id from the trial row, found by
    its (session, callId) key as the prompt is written (the statement writes the batch's buffered trials
    first). A trial's id is the database's (an integer key, no client-side id), so no trial needs a
    round trip of its own to learn it."""
    tx.execute(_INSERT_PROMPTS, rows)


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
# The batch's sessions, by correlation id, whatever their state (a job tells a finalized one from a missing
# one): each locked until the batch commits, which holds it open (a finalize elsewhere waits for the lock),
# with what a trial needs of it: its locale and its member's loyalty id.
_SESSIONS = LockedRows(
    select=select(
        LoyaltySession.correlation_id,
        LoyaltySession.id,
        LoyaltySession.member_id,
        LoyaltySession.locale,
        LoyaltySession.state,
        select(Member.loyalty_id)
        .where(tenant(Member, bindparam("app")), Member.id == LoyaltySession.member_id)
        .scalar_subquery()
        .label("loyalty_id"),
    )
    .where(
        tenant(LoyaltySession, bindparam("app")),
        LoyaltySession.correlation_id.in_(bindparam("ids", expanding=True)),
    )
    .order_by(LoyaltySession.correlation_id)
    .with_for_update(),
    read_only=SESSIONS,  # a trial changes nothing of its session
)
# The answers already given to the batch's callIds, by (correlation id, callId). Read after the sessions
# (kinds are read in the order of their tables' names), so once a session's lock is held, every trial of it
# that another process recorded has committed and is seen here. Not locked: a trial never changes.
_FIRST_ANSWERS = LockedRows(
    select=select(LoyaltySession.correlation_id, Trial.call_id, Trial.response)
    .join_from(Trial, LoyaltySession, LoyaltySession.id == Trial.session_id)
    .where(
        tenant(Trial, bindparam("app")),
        tenant(LoyaltySession, bindparam("app")),
        tuple_(LoyaltySession.correlation_id, Trial.call_id).in_(bindparam("ids", expanding=True)),
    )
    .order_by(LoyaltySession.correlation_id, Trial.call_id),
    read_only=TRIALS,
)
# A trial of this batch, for a repeat of its callId in the same batch (noted as its answer).
_REPEAT = "loyalty.trial"
# A prompt with its trial's id, read from the trial row as it is written: see _write_prompts.
_INSERT_PROMPTS = insert(PROMPTS).from_select(
    ["app_id", "prompt_id", "session_id", "trial_id", "offer_id", "gap_cents", "message", "created_at"],
    select(
        TRIALS.c.app_id,
        bindparam("prompt_id", type_=PROMPTS.c.prompt_id.type),
        TRIALS.c.session_id,
        TRIALS.c.id,
        bindparam("offer_id", type_=PROMPTS.c.offer_id.type),
        bindparam("gap_cents", type_=PROMPTS.c.gap_cents.type),
        bindparam("message", type_=PROMPTS.c.message.type),
        bindparam("created_at", type_=PROMPTS.c.created_at.type),
    ).where(
        tenant(TRIALS.c, bindparam("app_id")),
        TRIALS.c.session_id == bindparam("session_id"),
        TRIALS.c.call_id == bindparam("call_id"),
    ),
)


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
