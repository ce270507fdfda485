"""Finalize (books a basket once per session) and the member's transaction history."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import Conflict, InvalidInput, clip
from ..core.events import record_event
from ..core.ids import new_uuid, storable, utcnow
from ..core.tenancy import tenant
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
        claimed = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
            update(LoyaltySession)
            .where(
                tenant(LoyaltySession, app_id), LoyaltySession.id == sess.id, LoyaltySession.state == "open"
            )
            .values(state="finalized", updated_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            first = session.scalars(
                select(Transaction).where(tenant(Transaction, app_id), Transaction.session_id == sess.id)
            ).first()
            if first is not None and first.call_id == call_id:
                return first.response
            raise InvalidInput(FINALIZED)
        check_currency(rules, currency)
        cents = to_cents(amount)
        points = program.estimate(rules, cents)
        base, met, bonus, total = points.base, points.met, points.bonus, points.total
        balance: int | None = None
        if sess.member_id is not None:
            session.execute(
                update(Member)
                .where(Member.id == sess.member_id, tenant(Member, app_id))
                .values(points_balance=Member.points_balance + total)
                .execution_options(synchronize_session=False)
            )
            balance = session.scalar(
                select(Member.points_balance).where(tenant(Member, app_id), Member.id == sess.member_id)
            )
        loyalty_id, account_id = loyalty_id_of(session, sess)
        transaction_id = new_uuid()
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
                "channel": sess.channel,
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
