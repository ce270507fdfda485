"""The loyalty rules: sessions, trial activity with near-miss prompts, prompt responses, finalize and
history. Each public function owns one transaction; once-only steps are guarded in the database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import Conflict, InvalidInput
from ..core.events import record_event
from ..core.ids import new_uuid, utcnow
from . import members, program
from .models import LoyaltySession, Member, Prompt, Transaction, Trial
from .money import format_money, normalize_locale, pick_message, points_for, to_cents, wire
from .schemas import RESPONSES

FAMILY = "loyalty"
NO_SESSION = "Session correlation ID does not exist--create it first"
FINALIZED = "Session correlation ID is already finalized--start a new session"
CAPTURED = "Customer's response captured successfully."


# --- sessions -----------------------------------------------------------------------------------------


def start_member_session(
    session: Session,
    *,
    app_id: str,
    identifier: str,
    identifier_type: str | None,
    correlation_id: str,
    channel: str,
    locale: str | None,
) -> dict[str, Any]:
    """Open a session for a member (enrolled now if the app has not seen them)."""
    kind = members.identifier_type_of(identifier_type)
    value = members.normalize_identifier(kind, identifier)
    with session.begin():
        fallback = program.locale_of(session, app_id)
        member, enrolled = members.find_or_enroll(session, app_id=app_id, kind=kind, value=value)
        sess = _open(session, app_id, correlation_id, member.id, channel, locale, fallback, None)
        if enrolled:
            record_event(
                session,
                app_id=app_id,
                family=FAMILY,
                journey_id=correlation_id,
                type="member.enrolled",
                user_id=member.loyalty_id,
                payload={"accountId": member.account_id, "identifierType": kind},
            )
        record_event(
            session,
            app_id=app_id,
            family=FAMILY,
            journey_id=correlation_id,
            type="session.started",
            user_id=member.loyalty_id,
            payload={"anonymous": False, "channel": channel, "identifierType": kind, "enrolled": enrolled},
        )
    return {
        "accountId": member.account_id,
        "loyaltyId": member.loyalty_id,
        "correlationId": sess.correlation_id,
        "identifierType": kind,
        "membershipType": "M",
        "status": "ACTIVE",
        "enrolled": enrolled,
        "channel": sess.channel,
        "locale": sess.locale,
        "pointsBalance": member.points_balance,
        # Identified by phone only, a shopper may not redeem: the vendor reports "0" then.
        "redeemableBalance": "0" if kind == "PHONE_NUMBER" else str(member.points_balance),
    }


def start_anonymous_session(
    session: Session,
    *,
    app_id: str,
    correlation_id: str,
    channel: str,
    locale: str | None,
    external_identifier: str | None,
) -> dict[str, Any]:
    """Open a session without a loyalty id: trials still show what the shopper could earn."""
    with session.begin():
        fallback = program.locale_of(session, app_id)
        sess = _open(session, app_id, correlation_id, None, channel, locale, fallback, external_identifier)
        record_event(
            session,
            app_id=app_id,
            family=FAMILY,
            journey_id=correlation_id,
            type="session.started",
            payload={"anonymous": True, "channel": channel},
        )
    return {
        "loyaltyId": "anonymous",
        "membershipType": "N",
        "status": "NO_CARD",
        "prompt": "",
        "isValid": True,
        "promptMessage": "",
        "correlationId": sess.correlation_id,
        "externalIdentifier": external_identifier,
        "channel": sess.channel,
        "locale": sess.locale,
    }


def _open(
    session: Session,
    app_id: str,
    correlation_id: str,
    member_id: int | None,
    channel: str,
    locale: str | None,
    fallback: str,
    external_identifier: str | None,
) -> LoyaltySession:
    # An unknown or missing locale falls back to the app's, as the vendor falls back to its default.
    now = utcnow()
    sess = LoyaltySession(
        app_id=app_id,
        correlation_id=correlation_id,
        member_id=member_id,
        channel=channel,
        locale=normalize_locale(locale) or fallback,
        external_identifier=external_identifier,
        state="open",
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(sess)
            session.flush()
    except IntegrityError:
        raise InvalidInput(f"correlationId {correlation_id} is already in use--choose a new one") from None
    return sess


def _session(session: Session, app_id: str, correlation_id: str) -> LoyaltySession:
    sess = session.scalars(
        select(LoyaltySession).where(
            LoyaltySession.app_id == app_id, LoyaltySession.correlation_id == correlation_id
        )
    ).first()
    if sess is None:
        raise InvalidInput(NO_SESSION)
    return sess


def _hold_open(session: Session, sess: LoyaltySession) -> None:
    """Lock the session row while it is open (PostgreSQL waits for a concurrent finalize here)."""
    touched = session.execute(
        update(LoyaltySession)
        .where(LoyaltySession.id == sess.id, LoyaltySession.state == "open")
        .values(state=LoyaltySession.state)  # writes nothing new; takes the row lock
        .execution_options(synchronize_session=False)
    ).rowcount
    if touched != 1:
        raise InvalidInput(FINALIZED)


def _loyalty_id(session: Session, sess: LoyaltySession) -> tuple[str, str | None]:
    if sess.member_id is None:
        return "anonymous", None
    member = session.get(Member, sess.member_id)
    assert member is not None
    return member.loyalty_id, member.account_id


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
        sess = _session(session, app_id, correlation_id)
        _hold_open(session, sess)
        if call_id is not None:
            earlier = session.scalars(
                select(Trial).where(Trial.session_id == sess.id, Trial.call_id == call_id)
            ).first()
            if earlier is not None:
                return earlier.response
        call_id = call_id or new_uuid()
        rules = program.load(session, app_id)
        _check_currency(rules, currency)
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
        loyalty_id, _ = _loyalty_id(session, sess)
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
            "transactionDate": _iso(transaction_date),
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


def _check_currency(rules: program.Rules, currency: str) -> None:
    if currency.upper() != rules.currency:
        raise InvalidInput(f"{currency} is not a valid currency for this program (expected {rules.currency})")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


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
        sess = _session(session, app_id, correlation_id)
        prompt = session.scalars(
            select(Prompt).where(
                Prompt.app_id == app_id, Prompt.prompt_id == prompt_id, Prompt.session_id == sess.id
            )
        ).first()
        if prompt is None:
            raise InvalidInput(f"{prompt_id} is not a valid promptMessageId")
        _hold_open(session, sess)
        previous = prompt.response
        prompt.response = response
        prompt.answered_at = utcnow()
        loyalty_id, _ = _loyalty_id(session, sess)
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


# --- finalize ------------------------------------------------------------------------------------------


def finalize(
    session: Session,
    *,
    app_id: str,
    correlation_id: str,
    action: str,
    channel: str,
    transaction_date: datetime,
    call_id: str | None,
    amount: Decimal,
    currency: str,
    tender: dict[str, Any] | None,
    confirmation_mode: str | None,
) -> dict[str, Any]:
    """Book the basket: base points plus the bonus of every offer it meets, once per session.

    The session's open → finalized step is a conditional UPDATE; a repeat with the same callId returns
    the first result, any other second finalize is refused."""
    call_id = call_id or new_uuid()
    with session.begin():
        sess = _session(session, app_id, correlation_id)
        rules = program.load(session, app_id)
        claimed = session.execute(
            update(LoyaltySession)
            .where(LoyaltySession.id == sess.id, LoyaltySession.state == "open")
            .values(state="finalized", updated_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            first = session.scalars(select(Transaction).where(Transaction.session_id == sess.id)).first()
            if first is not None and first.call_id == call_id:
                return first.response
            raise InvalidInput(FINALIZED)
        _check_currency(rules, currency)
        cents = to_cents(amount)
        base = points_for(cents, rules.points_per_unit)
        met = [o for o in rules.offers if cents >= o.threshold_cents]
        bonus = sum(o.bonus_points for o in met)
        total = base + bonus
        balance: int | None = None
        if sess.member_id is not None:
            session.execute(
                update(Member)
                .where(Member.id == sess.member_id, Member.app_id == app_id)
                .values(points_balance=Member.points_balance + total)
                .execution_options(synchronize_session=False)
            )
            balance = session.scalar(select(Member.points_balance).where(Member.id == sess.member_id))
        loyalty_id, account_id = _loyalty_id(session, sess)
        transaction_id = new_uuid()
        earned = {"basePoints": base, "bonusPoints": bonus, "totalPoints": total}
        response: dict[str, Any] = {
            "transactionId": transaction_id,
            "correlationId": correlation_id,
            "callId": call_id,
            "action": action,
            "channel": channel,
            "transactionDate": _iso(transaction_date),
            "loyaltyId": loyalty_id,
            "accountId": account_id,
            "basket": {"amount": wire(cents), "currency": rules.currency},
            "tender": tender_view(tender),
            "earned": earned if sess.member_id is not None else {k: 0 for k in earned},
            "offerRewards": [
                {
                    "offerId": o.id,
                    "type": "POINTS",
                    "threshold": wire(o.threshold_cents),
                    "points": o.bonus_points,
                }
                for o in met
            ],
            "redeemed": [],
            "pointsBalance": balance,
        }
        if sess.member_id is None:
            response["couldHaveEarned"] = earned
        if confirmation_mode is not None:
            response["ConfirmationDetails"] = {"confirmed": True, "mode": confirmation_mode}
        session.add(
            Transaction(
                app_id=app_id,
                transaction_id=transaction_id,
                session_id=sess.id,
                member_id=sess.member_id,
                call_id=call_id,
                amount_cents=cents,
                currency=rules.currency,
                base_points=base if sess.member_id is not None else 0,
                bonus_points=bonus if sess.member_id is not None else 0,
                transaction_date=transaction_date,
                response=response,
            )
        )
        try:
            session.flush()
        except IntegrityError:
            raise Conflict("the transaction could not be booked; try again") from None
        record_event(
            session,
            app_id=app_id,
            family=FAMILY,
            journey_id=correlation_id,
            type="transaction.finalized",
            user_id=None if sess.member_id is None else loyalty_id,
            payload={
                "transactionId": transaction_id,
                "callId": call_id,
                "amount": wire(cents),
                "currency": rules.currency,
                "basePoints": base,
                "bonusPoints": bonus,
                "offers": [o.id for o in met],
                "anonymous": sess.member_id is None,
                "confirmationMode": confirmation_mode,
            },
        )
    return response


def tender_view(tender: dict[str, Any] | None) -> dict[str, Any] | None:
    """The tender as sent, with every amount as a two-decimal string."""
    if tender is None:
        return None
    view: dict[str, Any] = {}
    for kind, value in tender.items():
        if isinstance(value, list):
            view[kind] = [
                {
                    "idType": card.idType,
                    "prefix": card.prefix,
                    "suffix": card.suffix,
                    "amount": wire(to_cents(card.amount)),
                }
                for card in value
            ]
        else:
            view[kind] = wire(to_cents(value))
    return view


# --- history -------------------------------------------------------------------------------------------


def transaction_history(
    session: Session,
    *,
    app_id: str,
    correlation_id: str,
    limit: int,
    after_transaction_id: str | None,
    since: datetime | None,
    until: datetime | None,
) -> dict[str, Any]:
    """The session's member's finalized transactions, newest first, paged by the last transactionId."""
    with session.begin():
        sess = _session(session, app_id, correlation_id)
        query = select(Transaction).where(Transaction.app_id == app_id)
        if sess.member_id is not None:
            query = query.where(Transaction.member_id == sess.member_id)
        else:
            query = query.where(Transaction.session_id == sess.id)
        if after_transaction_id is not None:
            cursor = session.scalar(
                query.with_only_columns(Transaction.id).where(
                    Transaction.transaction_id == after_transaction_id
                )
            )
            if cursor is None:
                raise InvalidInput(f"{after_transaction_id} is not a valid transactionId")
            query = query.where(Transaction.id < cursor)
        if since is not None:
            query = query.where(Transaction.transaction_date >= since)
        if until is not None:
            query = query.where(Transaction.transaction_date <= until)
        rows = session.scalars(query.order_by(Transaction.id.desc()).limit(limit + 1)).all()
    page = rows[:limit]
    return {
        "transactions": [
            {
                "transactionId": t.transaction_id,
                "correlationId": t.response.get("correlationId"),
                "callId": t.call_id,
                "transactionDate": _iso(t.transaction_date),
                "channel": t.response.get("channel"),
                "amount": wire(t.amount_cents),
                "currency": t.currency,
                "basePoints": t.base_points,
                "bonusPoints": t.bonus_points,
                "totalPoints": t.base_points + t.bonus_points,
            }
            for t in page
        ],
        "limit": limit,
        "nextTransactionId": page[-1].transaction_id if len(rows) > limit else None,
    }
