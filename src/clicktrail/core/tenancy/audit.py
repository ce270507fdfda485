"""The audit log: one row per admin change (who, what, when, which app), written in the transaction of the
change itself, so a change without its row (or a row without its change) cannot commit. Never a secret:
targets are names and ids, and an erased person's id is kept as a digest only."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..storage.db import Base, UTCDateTime
from ..storage.ids import utcnow
from .access import Actor


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_app_id_id", "app_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    app_id: Mapped[str | None] = mapped_column(String(64))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(512))
    detail: Mapped[str | None] = mapped_column(String(2048))


def record(
    session: Session, actor: Actor, action: str, target: str, *, app_id: str | None, detail: str | None = None
) -> None:
    """Add the change's row to the caller's transaction."""
    session.add(
        AuditEntry(
            at=utcnow(),
            app_id=app_id,
            actor_kind=actor.kind,
            actor=actor.name[:320],
            action=action,
            target=target[:512],
            detail=None if detail is None else detail[:2048],
        )
    )


def person(user_id: str) -> str:
    """An erased person as the log names them: a digest, so erasing them leaves no id of theirs behind."""
    return "user sha256:" + hashlib.sha256(user_id.encode()).hexdigest()[:16]


def page(session: Session, actor: Actor, *, before: int | None, limit: int) -> dict[str, Any]:
    """Newest first, keyset-paginated on id (``before`` = the last id seen). An actor limited to apps sees
    their entries only (not user changes, which belong to no app)."""
    query = select(AuditEntry)
    if actor.apps is not None:
        query = query.where(AuditEntry.app_id.in_(actor.apps))
    if before is not None:
        query = query.where(AuditEntry.id < before)
    with session.begin():
        rows = list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    items = [entry_view(row) for row in rows[:limit]]
    return {"items": items, "next_before": items[-1]["id"] if more else None}


def entry_view(row: AuditEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": row.at,
        "app_id": row.app_id,
        "actor": row.actor,
        "actor_kind": row.actor_kind,
        "action": row.action,
        "target": row.target,
        "detail": row.detail,
    }
