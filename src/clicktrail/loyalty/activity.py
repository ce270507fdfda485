"""Trial activity (the points estimate and near-miss prompts) and the shopper's answers to prompts."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.errors import InvalidInput
from ..core.events import record_event
from ..core.ids import new_uuid, utcnow
from . import program
from .models import Prompt, Trial
from .money import format_money, normalize_locale, pick_message, points_for, to_cents, wire
from .schemas import RESPONSES
from .service import CAPTURED, FAMILY, check_currency, get_session, hold_open, iso, loyalty_id_of

# --- trial ---------------------------------------------------------------------------------------------


def record_trial(
    session: Session,
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

    A repeated callId returns the first answer (and shows no prompt twice)."""
    with session.begin():
        sess = get_session(session, app_id, correlation_id)
        hold_open(session, sess)
        if call_id is not None:
            earlier = session.scalars(
                select(Trial).where(Trial.session_id == sess.id, Trial.call_id == call_id)
            ).first()
            if earlier is not None:
                return earlier.response
        call_id = call_id or new_uuid()
        rules = program.load(session, app_id)
        check_currency(rules, currency)
        locale_tag = normalize_locale(locale) or sess.locale
        cents = to_cents(amount)
        base = points_for(cents, rules.points_per_unit)
        met = [o for o in rules.offers if cents >= o.threshold_cents]
        near = sorted(
            (o for o in rules.offers if 0 < o.threshold_cents - cents <= rules.near_miss_window_cents),
            key=lambda o: (o.threshold_cents - cents, o.position),
        )
        trial = Trial(app_id=app_id, session_id=sess.id, call_id=call_id, amount_cents=cents, response={})
        session.add(trial)
        session.flush()
        loyalty_id, _ = loyalty_id_of(session, sess)
        prompts = []
        for offer in near:
            gap = offer.threshold_cents - cents
            text = pick_message(offer.message, locale_tag, rules.locale).format(
                gap=format_money(gap, rules.currency, locale_tag),
                threshold=format_money(offer.threshold_cents, rules.currency, locale_tag),
                bonus_points=offer.bonus_points,
            )
            prompt = Prompt(
                app_id=app_id,
                prompt_id=new_uuid(),
                session_id=sess.id,
                trial_id=trial.id,
                offer_id=offer.id,
                gap_cents=gap,
                message=text,
            )
            session.add(prompt)
            prompts.append(prompt)
        session.flush()
        bonus = sum(o.bonus_points for o in met)
        nearest = prompts[0] if prompts else None
        response = {
            "correlationId": correlation_id,
            "callId": call_id,
            "action": action,
            "channel": channel,
            "transactionDate": iso(transaction_date),
            "locale": locale_tag,
            "loyaltyId": loyalty_id,
            "basket": {"amount": wire(cents), "currency": rules.currency, "lineItemCount": line_items},
            "estimate": {"basePoints": base, "bonusPoints": bonus, "totalPoints": base + bonus},
            "offers": [
                {
                    "offerId": o.id,
                    "threshold": wire(o.threshold_cents),
                    "bonusPoints": o.bonus_points,
                    "met": cents >= o.threshold_cents,
                    "gap": wire(max(o.threshold_cents - cents, 0)),
                }
                for o in rules.offers
            ],
            "nearMiss": [
                {
                    "promptMessageID": p.prompt_id,
                    "offerId": p.offer_id,
                    "gap": wire(p.gap_cents),
                    "bonusPoints": next(o.bonus_points for o in near if o.id == p.offer_id),
                    "promptMessage": p.message,
                }
                for p in prompts
            ],
            "gap": wire(nearest.gap_cents) if nearest else None,
            "promptMessageID": nearest.prompt_id if nearest else None,
            "promptMessage": nearest.message if nearest else None,
        }
        trial.response = response
        record_event(
            session,
            app_id=app_id,
            family=FAMILY,
            journey_id=correlation_id,
            type="trial.recorded",
            user_id=None if sess.member_id is None else loyalty_id,
            payload={
                "callId": call_id,
                "amount": wire(cents),
                "currency": rules.currency,
                "estimatedPoints": base + bonus,
                "prompts": len(prompts),
            },
        )
        for p in prompts:
            record_event(
                session,
                app_id=app_id,
                family=FAMILY,
                journey_id=correlation_id,
                type="prompt.shown",
                user_id=None if sess.member_id is None else loyalty_id,
                payload={"promptMessageId": p.prompt_id, "offerId": p.offer_id, "gap": wire(p.gap_cents)},
            )
    return response


# --- prompt responses ----------------------------------------------------------------------------------


def shown_value(value: Any) -> str:
    """How a sent value reads in the vendor's ``{response} is not a valid response``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def capture_prompt_response(
    session: Session, *, app_id: str, correlation_id: str, prompt_id: str, response: Any
) -> dict[str, str]:
    """Record the shopper's reaction to a prompt of this session; the last answer before finalize counts."""
    if not isinstance(response, str) or response not in RESPONSES:
        raise InvalidInput(f"{shown_value(response)} is not a valid response")
    with session.begin():
        sess = get_session(session, app_id, correlation_id)
        prompt = session.scalars(
            select(Prompt).where(
                Prompt.app_id == app_id, Prompt.prompt_id == prompt_id, Prompt.session_id == sess.id
            )
        ).first()
        if prompt is None:
            raise InvalidInput(f"{prompt_id} is not a valid promptMessageId")
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
            },
        )
    return {"message": CAPTURED}
