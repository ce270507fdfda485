"""The outbox: HTTP deliveries (vendor callbacks, partner postbacks, webhooks) written in the same
transaction as the change that causes them, then delivered at least once, with exponential backoff.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite's write lock serializes claims), and a
claim is a lease: a process that dies mid-delivery leaves the row to be retried after the lease."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import BigInteger, Index, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from .db import Base, JSONType, UTCDateTime, is_postgres
from .ids import utcnow

log = logging.getLogger("clicktrail.outbox")

MAX_ATTEMPTS = 15
LEASE = timedelta(seconds=60)


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_app_id_id", "app_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    url: Mapped[str] = mapped_column(String(4096))
    headers: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def enqueue(
    session: Session,
    *,
    app_id: str,
    topic: str,
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> None:
    """Queue one delivery in the caller's transaction: it is sent only if that transaction commits."""
    now = utcnow()
    session.execute(
        OutboxMessage.__table__.insert().values(
            app_id=app_id,
            topic=topic,
            method=method,
            url=url,
            headers=headers or {},
            body=body,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 5 * 2 ** max(attempts - 1, 0)))


@dataclass(frozen=True)
class _Claimed:
    id: int
    method: str
    url: str
    headers: dict[str, str]
    body: str | None
    attempts: int


def _claim(sessions: sessionmaker[Session], limit: int) -> list[_Claimed]:
    now = utcnow()
    with sessions() as session, session.begin():
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        if is_postgres(session):
            query = query.with_for_update(skip_locked=True)
        rows = list(session.scalars(query))
        if not rows:
            return []
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([r.id for r in rows]))
            .values(next_attempt_at=now + LEASE)
        )
        return [_Claimed(r.id, r.method, r.url, dict(r.headers), r.body, r.attempts) for r in rows]


def _settle(sessions: sessionmaker[Session], message: _Claimed, error: str | None) -> None:
    now = utcnow()
    attempts = message.attempts + 1
    if error is None:
        values: dict[str, Any] = {
            "status": "delivered",
            "attempts": attempts,
            "delivered_at": now,
            "last_error": None,
        }
    elif attempts >= MAX_ATTEMPTS:
        values = {"status": "failed", "attempts": attempts, "last_error": error[:1024]}
    else:
        values = {
            "attempts": attempts,
            "last_error": error[:1024],
            "next_attempt_at": now + backoff(attempts),
        }
    with sessions() as session, session.begin():
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values))


def deliver_due(sessions: sessionmaker[Session], http: httpx.Client, *, limit: int = 50) -> int:
    """Send what is due; returns how many were attempted."""
    claimed = _claim(sessions, limit)
    for message in claimed:
        try:
            response = http.request(
                message.method, message.url, headers=message.headers, content=message.body
            )
            error = None if response.is_success else f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        _settle(sessions, message, error)
    return len(claimed)


class OutboxWorker:
    """A daemon thread per server process that delivers due messages every ``poll`` seconds."""

    def __init__(self, sessions: sessionmaker[Session], poll: float, timeout: float = 10.0):
        self.sessions = sessions
        self.poll = poll
        self.timeout = timeout
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="clicktrail-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 5)

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout, follow_redirects=False) as http:
            while not self._stop.is_set():
                try:
                    while deliver_due(self.sessions, http) and not self._stop.is_set():
                        pass
                except Exception:  # keep delivering after a database hiccup
                    log.exception("outbox delivery failed")
                self._stop.wait(self.poll)
