"""The outbox: HTTP deliveries (vendor callbacks, partner postbacks, webhooks) written in the same
transaction as the change that causes them, then delivered at least once, with exponential backoff and
jitter. After ``max_attempts`` failures a message is *dead* (the dead letter): it stays, with its last
error, until an operator replays it (``replay``) through the admin API. A message whose webhook is removed
is *cancelled*: it is never sent.

Deliveries go out through ``core.outbound``'s client, which never reaches an internal address unless the
operator allows it; ``last_error`` then says ``refused: private address``, and a transport failure is
one generic "connection failed" (never refused/reset/protocol), so the outbox cannot map ports.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite's write lock serializes claims), and a
claim is a lease: a process that dies mid-delivery leaves the row to be retried after the lease.

Every message is signed when sent (``signing``), with the secret as it is then: a webhook's with its
subscription's (gone: the message is cancelled), another with what its topic's family names for the app
(``register_signing``; none configured: sent unsigned)."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import BigInteger, Index, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ..storage.db import Base, JSONType, UTCDateTime, is_postgres, log_failure, table_of
from ..storage.ids import utcnow
from ..tenancy.apps import tenant
from . import outbound, signing, webhooks

log = logging.getLogger("clicktrail.outbox")

MAX_ATTEMPTS = 15
LEASE = timedelta(seconds=60)
STATUSES = ("pending", "delivered", "dead", "cancelled")
CANCELLED = "the webhook was removed"
_due = threading.Event()  # set when this process committed something to deliver

# The secret that signs one topic's messages of an app, as its config has it now (None: sent unsigned):
# ``(session, app_id) -> secret``. Families name theirs (``Family.signing``); the top layer registers them.
SigningSecret = Callable[[Session, str], str | None]
_signing: dict[str, SigningSecret] = {}


def register_signing(secrets: Iterable[tuple[str, SigningSecret]]) -> None:
    """Sign the messages of these topics with their family's secret (``(topic, lookup)`` pairs)."""
    _signing.update(secrets)


def nudge() -> None:
    """Wake this process's outbox worker now instead of at its next poll (called after a commit)."""
    _due.set()


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_app_id_id", "app_id", "id"),
        Index("ix_outbox_app_status_id", "app_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    app_id: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    url: Mapped[str] = mapped_column(String(4096))
    headers: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # see STATUSES
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    webhook_id: Mapped[int | None] = mapped_column(Integer)  # the subscription that signs it (topic webhook)


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
        table_of(OutboxMessage)
        .insert()
        .values(
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
    """Exponential (5 s, 10 s, 20 s, … up to an hour) with "equal jitter": between half and all of it, so
    messages that failed together (a receiver down) do not all come back at once."""
    ceiling = min(3600, 5 * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))


@dataclass(frozen=True)
class _Claimed:
    id: int
    app_id: str
    topic: str
    method: str
    url: str
    headers: dict[str, str]
    body: str | None
    attempts: int
    secret: str | None  # its signing secret now; None: unsigned (a webhook's: its subscription is gone)


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
        secrets = _secrets(session, rows)
        return [
            _Claimed(
                r.id,
                r.app_id,
                r.topic,
                r.method,
                r.url,
                dict(r.headers),
                r.body,
                r.attempts,
                secrets.get(r.id),
            )
            for r in rows
        ]


def _secrets(session: Session, rows: list[OutboxMessage]) -> dict[int, str]:
    """The signing secret of each claimed message that has one (by message id): a webhook's is its
    subscription's, another's what its topic's family names for the app (looked up once per app)."""
    hooks = _webhook_secrets(session, {r.webhook_id for r in rows if r.webhook_id is not None})
    by_app: dict[tuple[str, str], str | None] = {}
    found: dict[int, str] = {}
    for r in rows:
        if r.webhook_id is not None:
            secret = hooks.get(r.webhook_id)
        elif r.topic in _signing:
            if (r.topic, r.app_id) not in by_app:
                by_app[(r.topic, r.app_id)] = _signing[r.topic](session, r.app_id)
            secret = by_app[(r.topic, r.app_id)]
        else:
            secret = None
        if secret:
            found[r.id] = secret
    return found


def _webhook_secrets(session: Session, webhook_ids: set[int]) -> dict[int, str]:
    if not webhook_ids:
        return {}
    found = session.execute(
        select(webhooks.Webhook.id, webhooks.Webhook.secret).where(webhooks.Webhook.id.in_(webhook_ids))
    )
    return {hook_id: secret for hook_id, secret in found}


def cancel_for_webhook(session: Session, webhook_id: int) -> int:
    """In the caller's transaction (the one removing the webhook): its pending messages are cancelled,
    never retried against a subscription that is gone; how many."""
    query = update(OutboxMessage).where(
        OutboxMessage.webhook_id == webhook_id, OutboxMessage.status == "pending"
    )
    return session.execute(query.values(status="cancelled", last_error=CANCELLED)).rowcount  # type: ignore[attr-defined]  # DML gives a CursorResult


def _settle(sessions: sessionmaker[Session], message: _Claimed, error: str | None, max_attempts: int) -> None:
    now = utcnow()
    attempts = message.attempts + 1
    if error == CANCELLED:  # removed while this message was claimed
        values: dict[str, Any] = {"status": "cancelled", "last_error": error}
    elif error is None:
        values = {
            "status": "delivered",
            "attempts": attempts,
            "delivered_at": now,
            "last_error": None,
        }
    elif attempts >= max_attempts:
        values = {"status": "dead", "attempts": attempts, "last_error": error[:1024]}
    else:
        values = {
            "attempts": attempts,
            "last_error": error[:1024],
            "next_attempt_at": now + backoff(attempts),
        }
    _log(message, error, attempts, max_attempts, dead=values.get("status") == "dead")
    with sessions() as session, session.begin():
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values))


_failures: dict[str, int] = {}  # failed delivery attempts per topic, since the process started
_failures_lock = threading.Lock()


def failures() -> dict[str, int]:
    """Failed delivery attempts per topic in this process (for /metrics)."""
    with _failures_lock:
        return dict(_failures)


def _count_failure(topic: str) -> None:
    with _failures_lock:
        _failures[topic] = _failures.get(topic, 0) + 1


def _log(message: _Claimed, error: str | None, attempts: int, max_attempts: int, *, dead: bool) -> None:
    """Our one line per attempt (the HTTP client's own loggers stay quiet): the target is scheme, host and
    path only (``outbound.where``)."""
    target = outbound.where(message.url)
    if error is None:
        log.info(
            "delivery %s (%s, app %s) to %s: delivered", message.id, message.topic, message.app_id, target
        )
    elif error == CANCELLED:
        log.info("delivery %s (%s, app %s) cancelled: %s", message.id, message.topic, message.app_id, error)
    else:
        _count_failure(message.topic)
        log.warning(
            "delivery %s (%s, app %s) to %s failed, attempt %d of %d%s: %s",
            message.id, message.topic, message.app_id, target, attempts, max_attempts,
            ", now a dead letter" if dead else "", error,
        )  # fmt: skip


def _send(http: httpx.Client, message: _Claimed) -> str | None:
    """Deliver one message, signed when it has a secret; the error, or None when the receiver took it
    (any 2xx)."""
    headers = dict(message.headers)
    if message.topic == webhooks.TOPIC:
        if message.secret is None:
            return CANCELLED
        headers["Content-Type"] = "application/json"
    try:
        request = http.build_request(message.method, message.url, headers=headers, content=message.body)
        if message.secret is not None:
            request.headers[signing.SIGNATURE_HEADER] = signing.signature(
                message.secret, _payload(request, message.body)
            )
        response = http.send(request)
    except outbound.Refused:
        return outbound.REFUSED
    except httpx.TimeoutException:
        return "timed out"
    except httpx.HTTPError:  # refused, reset, a protocol error: alike, so ports cannot be told apart
        return "connection failed"
    return None if response.is_success else f"HTTP {response.status_code}"


def _payload(request: httpx.Request, body: str | None) -> str:
    """What the signature covers: the body, or for a request without one its URL as sent."""
    if body is not None:
        return body
    return signing.url_payload(request.url.scheme, request.headers["Host"], request.url.raw_path.decode())


def deliver_due(
    sessions: sessionmaker[Session], http: httpx.Client, *, limit: int = 50, max_attempts: int = MAX_ATTEMPTS
) -> int:
    """Send what is due; returns how many were attempted."""
    claimed = _claim(sessions, limit)
    for message in claimed:
        _settle(sessions, message, _send(http, message), max_attempts)
    return len(claimed)


def replay(session: Session, *, app_id: str, message_id: int | None = None) -> int:
    """Dead letters of the app (one, or all) back to pending, due now, attempts from zero; how many."""
    query = update(OutboxMessage).where(tenant(OutboxMessage, app_id), OutboxMessage.status == "dead")
    if message_id is not None:
        query = query.where(OutboxMessage.id == message_id)
    replayed = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        query.values(status="pending", attempts=0, next_attempt_at=utcnow(), last_error=None)
    ).rowcount
    if replayed:
        nudge()
    return replayed


class OutboxWorker:
    """A daemon thread per server process that delivers due messages every ``poll`` seconds, and at once
    when this process commits something to deliver (:func:`nudge`)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        poll: float,
        timeout: float = 10.0,
        max_attempts: int = MAX_ATTEMPTS,
        allow: tuple[outbound.Network, ...] = (),
    ):
        self.sessions = sessions
        self.allow = allow
        self.poll = poll
        self.timeout = timeout
        self.max_attempts = max_attempts
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="clicktrail-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        _due.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 5)

    def _run(self) -> None:
        with outbound.client(self.allow, timeout=self.timeout) as http:
            while not self._stop.is_set():
                _due.clear()
                try:
                    while not self._stop.is_set() and deliver_due(
                        self.sessions, http, max_attempts=self.max_attempts
                    ):
                        pass
                except Exception as exc:  # keep delivering after a database hiccup
                    log_failure(log, "outbox delivery failed", exc)
                _due.wait(self.poll)
