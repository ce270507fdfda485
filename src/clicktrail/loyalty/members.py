"""Members: found by any identifier the app has seen for them, enrolled on first sight.

An identifier is stored as a keyed hash of its normalized spelling (HMAC-SHA256 with the app's random key,
``loyalty_identifier_keys``): the member is found again by the same email or phone number, and the email
or phone number itself is never stored. The account id and loyalty id the wire answers with stay on the
member row: they are the ledger's own pseudonymous keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.storage.ids import new_uuid
from ..core.tenancy.apps import tenant
from ..core.web.errors import Conflict, InvalidInput, clip
from .models import IdentifierKey, Member, MemberIdentifier
from .schemas import IDENTIFIER_TYPES


def identifier_type_of(header: str | None) -> str:
    """The ``X-Identifier-Type`` header (default ``ACCOUNT_ID``), case-insensitive."""
    if header is None or not header.strip():
        return "ACCOUNT_ID"
    kind = header.strip().upper()
    if kind not in IDENTIFIER_TYPES:
        raise InvalidInput(
            f"{header} is not a valid X-Identifier-Type (one of {', '.join(IDENTIFIER_TYPES)})"
        )
    return kind


def normalize_identifier(kind: str, value: str) -> str:
    """One spelling per identifier, so the same shopper is always the same member."""
    value = value.strip()
    if not value or len(value) > 255 or any(ord(ch) < 32 for ch in value):
        raise InvalidInput(f"{clip(value)} is not a valid {kind}")
    if kind == "EMAIL":
        try:
            return validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            raise InvalidInput(f"{clip(value)} is not a valid EMAIL") from exc
    if kind == "PHONE_NUMBER":
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException as exc:
            raise InvalidInput(f"{clip(value)} is not a valid PHONE_NUMBER (use +country format)") from exc
        if not phonenumbers.is_possible_number(number):
            raise InvalidInput(f"{clip(value)} is not a valid PHONE_NUMBER")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if len(value) > 128:
        raise InvalidInput(f"{clip(value)} is not a valid {kind}")
    return value


def digest(key: bytes, kind: str, value: str) -> str:
    """What ``loyalty_member_identifiers.value`` holds for a normalized identifier."""
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def identifier_key(session: Session, app_id: str) -> bytes | None:
    """The app's hashing key; None before its first enrolment."""
    stored = session.scalar(select(IdentifierKey.key).where(tenant(IdentifierKey, app_id)))
    return bytes.fromhex(stored) if stored else None


def _ensure_identifier_key(session: Session, app_id: str) -> bytes:
    """The app's hashing key, made now if it has none (two at once: one inserts, both read it)."""
    key = identifier_key(session, app_id)
    if key is not None:
        return key
    made = secrets.token_hex(32)
    try:
        with session.begin_nested():
            session.add(IdentifierKey(app_id=app_id, key=made))
            session.flush()
    except IntegrityError:  # another enrolment made it first
        key = identifier_key(session, app_id)
        if key is None:
            raise Conflict("the member could not be enrolled; try again") from None
        return key
    return bytes.fromhex(made)


def hashes_of(key: bytes, text: str) -> set[str]:
    """The stored value of every identifier ``text`` can be, of any type (erasure names a person by any)."""
    found = set()
    for kind in IDENTIFIER_TYPES:
        try:
            found.add(digest(key, kind, normalize_identifier(kind, text)))
        except InvalidInput:
            continue
    return found


def find(session: Session, *, app_id: str, kind: str, value: str) -> Member | None:
    key = identifier_key(session, app_id)
    return None if key is None else _find(session, app_id, kind, digest(key, kind, value))


def _find(session: Session, app_id: str, kind: str, hashed: str) -> Member | None:
    return session.scalars(
        select(Member)
        .join(MemberIdentifier, MemberIdentifier.member_id == Member.id)
        .where(
            tenant(MemberIdentifier, app_id),
            MemberIdentifier.identifier_type == kind,
            MemberIdentifier.value == hashed,
            tenant(Member, app_id),
        )
    ).first()


def find_or_enroll(session: Session, *, app_id: str, kind: str, value: str) -> tuple[Member, bool]:
    """The member known by (kind, value), enrolling them if new. Returns (member, enrolled_now).

    Two first sights at once: the unique identifier row lets one enrol; the other finds that member."""
    key = _ensure_identifier_key(session, app_id)
    member = _find(session, app_id, kind, digest(key, kind, value))
    if member is not None:
        return member, False
    try:
        with session.begin_nested():
            member = Member(
                app_id=app_id,
                account_id=value if kind == "ACCOUNT_ID" else new_uuid(),
                loyalty_id=value if kind == "LOYALTY_ID" else f"{secrets.randbelow(10**16):016d}",
                points_balance=0,
            )
            session.add(member)
            session.flush()
            keys = {("ACCOUNT_ID", member.account_id), ("LOYALTY_ID", member.loyalty_id), (kind, value)}
            session.add_all(
                MemberIdentifier(
                    app_id=app_id, identifier_type=k, value=digest(key, k, v), member_id=member.id
                )
                for k, v in sorted(keys)
            )
            session.flush()
    except IntegrityError:
        member = _find(session, app_id, kind, digest(key, kind, value))
        if member is None:  # an id we generated collided: vanishingly rare, and safe to retry
            raise Conflict("the member could not be enrolled; try again") from None
        return member, False
    return member, True
