"""Finalize (books a basket once per session) and the member's transaction history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.journeys.events import record_event
from ..core.storage.ids import new_uuid, storable, utcnow
from ..core.tenancy.apps import tenant
from ..core.web.errors import Conflict, InvalidInput, clip
from . import program
from .models import LoyaltySession, Member, Transaction
from .money import to_cents, wire
from .service import FAMILY, FINALIZED, check_currency, get_session, iso, loyalty_id_of

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
        sess = get_session(session, app_id, correlation_id)
        rules = program.load(session, app_id)
        if not _claim(session, app_id, sess):
            return _first_answer(session, app_id, sess, call_id)
        check_currency(rules, currency)
        cents = to_cents(amount)
        points = program.estimate(rules, cents)
        balance = _credit_member(session, app_id, sess, points.total)
        loyalty_id, account_id = loyalty_id_of(session, sess)
        response = _receipt(
            transaction_id=new_uuid(),
            correlation_id=correlation_id,
            call_id=call_id,
            action=action,
            channel=channel,
            transaction_date=transaction_date,
            loyalty_id=loyalty_id,
            account_id=account_id,
            basket={"amount": wire(cents), "currency": rules.currency},
            tender=tender,
            points=points,
            member=sess.member_id is not None,
            balance=balance,
            confirmation_mode=confirmation_mode,
        )
        _book(session, sess, response, points, cents, rules.currency, transaction_date)
        _record_finalized(session, sess, response, points, confirmation_mode)
    return response


def _receipt(
    *,
    transaction_id: str,
    correlation_id: str,
    call_id: str,
    action: str,
    channel: str,
    transaction_date: datetime,
    loyalty_id: str | None,
    account_id: str | None,
    basket: dict[str, str],
    tender: dict[str, Any] | None,
    points: program.Estimate,
    member: bool,
    balance: int | None,
    confirmation_mode: str | None,
) -> dict[str, Any]:
    """Finalize's answer: what the member earned, or for an anonymous session nothing, and what it could
    have earned."""
    earned = points.view()
    response: dict[str, Any] = {
        "transactionId": transaction_id,
        "correlationId": correlation_id,
        "callId": call_id,
        "action": action,
        "channel": channel,
        "transactionDate": iso(transaction_date),
        "loyaltyId": loyalty_id,
        "accountId": account_id,
        "basket": basket,
        "tender": tender_view(tender),
        "earned": earned if member else {k: 0 for k in earned},
        "offerRewards": [
            {
                "offerId": o.id,
                "type": "POINTS",
                "threshold": wire(o.threshold_cents),
                "points": o.bonus_points,
            }
            for o in points.met
        ],
        "redeemed": [],
        "pointsBalance": balance,
    }
    if not member:
        response["couldHaveEarned"] = earned
    if confirmation_mode is not None:
        response["ConfirmationDetails"] = {"confirmed": True, "mode": confirmation_mode}
    return response


def _record_finalized(
    session: Session,
    sess: LoyaltySession,
    response: dict[str, Any],
    points: program.Estimate,
    confirmation_mode: str | None,
) -> None:
    member = sess.member_id is not None
    record_event(
        session,
        app_id=sess.app_id,
        family=FAMILY,
        journey_id=response["correlationId"],
        type="transaction.finalized",
        user_id=response["loyaltyId"] if member else None,
        payload={
            "transactionId": response["transactionId"],
            "callId": response["callId"],
            "amount": response["basket"]["amount"],
            "currency": response["basket"]["currency"],
            "basePoints": points.base,
            "bonusPoints": points.bonus,
            "offers": [o.id for o in points.met],
            "anonymous": not member,
            "confirmationMode": confirmation_mode,
            "channel": sess.channel,
        },
    )


def _claim(session: Session, app_id: str, sess: LoyaltySession) -> bool:
    """Move the session from open to finalized; False when it was not open (finalized before)."""
    claimed = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        update(LoyaltySession)
        .where(tenant(LoyaltySession, app_id), LoyaltySession.id == sess.id, LoyaltySession.state == "open")
        .values(state="finalized", updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(claimed == 1)


def _first_answer(session: Session, app_id: str, sess: LoyaltySession, call_id: str) -> dict[str, Any]:
    """A finalized session's answer to a repeat of its callId; any other call is refused."""
    first = session.scalars(
        select(Transaction).where(tenant(Transaction, app_id), Transaction.session_id == sess.id)
    ).first()
    if first is not None and first.call_id == call_id:
        return first.response
    raise InvalidInput(FINALIZED)


def _credit_member(session: Session, app_id: str, sess: LoyaltySession, points: int) -> int | None:
    """Add the points to the session's member's balance and read it back; None for an anonymous session
    (it earns nothing)."""
    if sess.member_id is None:
        return None
    session.execute(
        update(Member)
        .where(Member.id == sess.member_id, tenant(Member, app_id))
        .values(points_balance=Member.points_balance + points)
        .execution_options(synchronize_session=False)
    )
    return session.scalar(
        select(Member.points_balance).where(tenant(Member, app_id), Member.id == sess.member_id)
    )


def _book(
    session: Session,
    sess: LoyaltySession,
    response: dict[str, Any],
    points: program.Estimate,
    cents: int,
    currency: str,
    transaction_date: datetime,
) -> None:
    """The transaction's row (an anonymous session's books no points); a race on its keys is a 409."""
    member = sess.member_id is not None
    session.add(
        Transaction(
            app_id=sess.app_id,
            transaction_id=response["transactionId"],
            session_id=sess.id,
            member_id=sess.member_id,
            call_id=response["callId"],
            amount_cents=cents,
            currency=currency,
            base_points=points.base if member else 0,
            bonus_points=points.bonus if member else 0,
            transaction_date=transaction_date,
            response=response,
        )
    )
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("the transaction could not be booked; try again") from None


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
        sess = get_session(session, app_id, correlation_id)
        query = select(Transaction).where(tenant(Transaction, app_id))
        if sess.member_id is not None:
            query = query.where(Transaction.member_id == sess.member_id)
        else:
            query = query.where(Transaction.session_id == sess.id)
        if after_transaction_id is not None:
            cursor = (
                session.scalar(
                    query.with_only_columns(Transaction.id).where(
                        Transaction.transaction_id == after_transaction_id
                    )
                )
                if storable(after_transaction_id)
                else None
            )
            if cursor is None:
                raise InvalidInput(f"{clip(after_transaction_id)} is not a valid transactionId")
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
                "transactionDate": iso(t.transaction_date),
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
