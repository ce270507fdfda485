"""The loyalty rules for sessions, and what every loyalty call shares: finding the session, holding it
open, the vendor's messages. Trials and prompts are in ``activity``, finalize and history in
``transactions``. Each public function owns one transaction; once-only steps are guarded in the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.journeys.events import record_event
from ..core.storage.ids import storable, utcnow
from ..core.tenancy.apps import tenant
from ..core.web.errors import InvalidInput, NotFound
from . import members, program
from .models import LoyaltySession, Member
from .money import normalize_locale

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


def get_session(session: Session, app_id: str, correlation_id: str) -> LoyaltySession:
    if not storable(correlation_id):
        raise InvalidInput(NO_SESSION)
    sess = session.scalars(
        select(LoyaltySession).where(
            tenant(LoyaltySession, app_id), LoyaltySession.correlation_id == correlation_id
        )
    ).first()
    if sess is None:
        raise InvalidInput(NO_SESSION)
    return sess


def hold_open(session: Session, sess: LoyaltySession) -> None:
    """Lock the session row while it is open (PostgreSQL waits for a concurrent finalize here)."""
    touched = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        update(LoyaltySession)
        .where(
            tenant(LoyaltySession, sess.app_id), LoyaltySession.id == sess.id, LoyaltySession.state == "open"
        )
        .values(state=LoyaltySession.state)  # writes nothing new; takes the row lock
        .execution_options(synchronize_session=False)
    ).rowcount
    if touched != 1:
        raise InvalidInput(FINALIZED)


def loyalty_id_of(session: Session, sess: LoyaltySession) -> tuple[str, str | None]:
    if sess.member_id is None:
        return "anonymous", None
    member = session.scalar(select(Member).where(tenant(Member, sess.app_id), Member.id == sess.member_id))
    if member is None:
        raise NotFound(f"member {sess.member_id} not found")
    return member.loyalty_id, member.account_id


def check_currency(rules: program.Rules, currency: str) -> None:
    if currency.upper() != rules.currency:
        raise InvalidInput(currency_refused(rules, currency))


def currency_refused(rules: program.Rules, currency: str) -> str:
    return f"{currency} is not a valid currency for this program (expected {rules.currency})"


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
