"""Erasure and retention for loyalty.

A person is a member, named by any identifier the app has seen for them (account id, loyalty id, email,
phone number, ...; in any spelling that normalizes to the one stored, found by its keyed hash), or a
session, named by its correlation id or an anonymous session's external identifier (a session that
belongs to a member takes the member with it). Erasing removes the members with their identifiers, and
the sessions with their trials, prompts and transactions.

Retention: loyalty stores no IPs, user agents or contacts (identifiers are keyed hashes, see ``members``);
an anonymous session's external identifier is nulled once older than the cutoff. Members, baskets and
points stay: they are the program's ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from ..core.journeys.privacy import Erased, Purged
from ..core.tenancy.apps import tenant
from . import members
from .models import LoyaltySession, Member, MemberIdentifier, Prompt, Transaction, Trial


def erase(session: Session, *, app_id: str, user_id: str) -> Erased:
    spellings = {user_id, user_id.strip(), user_id.strip().lower()}
    key = members.identifier_key(session, app_id)
    hashes = members.hashes_of(key, user_id) if key is not None else set()
    member_ids = set(
        session.scalars(
            select(MemberIdentifier.member_id).where(
                tenant(MemberIdentifier, app_id), MemberIdentifier.value.in_(hashes)
            )
        )
    )
    named = session.execute(
        select(LoyaltySession.id, LoyaltySession.member_id).where(
            tenant(LoyaltySession, app_id),
            or_(
                LoyaltySession.correlation_id.in_(spellings),
                LoyaltySession.external_identifier.in_(spellings),
            ),
        )
    ).all()
    member_ids |= {row.member_id for row in named if row.member_id is not None}
    sessions = session.execute(
        select(LoyaltySession.id, LoyaltySession.correlation_id).where(
            tenant(LoyaltySession, app_id),
            or_(LoyaltySession.member_id.in_(member_ids), LoyaltySession.id.in_({r.id for r in named})),
        )
    ).all()
    session_ids = {row.id for row in sessions}
    erased = Erased(
        journeys={row.correlation_id for row in sessions},
        users=set(
            session.scalars(
                select(Member.loyalty_id).where(tenant(Member, app_id), Member.id.in_(member_ids))
            )
        ),
    )
    steps = (
        (Prompt, Prompt.session_id.in_(session_ids)),
        (Trial, Trial.session_id.in_(session_ids)),
        (
            Transaction,
            or_(Transaction.session_id.in_(session_ids), Transaction.member_id.in_(member_ids)),
        ),
        (LoyaltySession, LoyaltySession.id.in_(session_ids)),
        (MemberIdentifier, MemberIdentifier.member_id.in_(member_ids)),
        (Member, Member.id.in_(member_ids)),
    )
    for model, condition in steps:
        result = session.execute(
            delete(model).where(tenant(model, app_id), condition).execution_options(synchronize_session=False)
        )
        erased.rows[model.__tablename__] = result.rowcount  # type: ignore[attr-defined]  # DML gives a CursorResult
    return erased


def purge(session: Session, *, app_id: str, before: datetime) -> Purged:
    result = session.execute(
        update(LoyaltySession)
        .where(
            tenant(LoyaltySession, app_id),
            LoyaltySession.created_at < before,
            LoyaltySession.external_identifier.is_not(None),
        )
        .values(external_identifier=None)
        .execution_options(synchronize_session=False)
    )
    return Purged(anonymized={"loyalty_sessions": result.rowcount})  # type: ignore[attr-defined]  # DML gives a CursorResult
