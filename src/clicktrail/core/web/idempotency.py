"""Idempotent retries, as Stripe's ``Idempotency-Key``: a POST, PUT or PATCH that carries the header runs
once per key; a retry with the same key and the same request (method, path, query and body) gets the
first answer again, with ``Idempotent-Replayed: true``.

A key belongs to the credential that presented it (the digest of the Authorization, X-Api-Token or
API-KEY header's value; the value itself is never stored), so two clients never see each other's answers.
A request with no credential (a survey click, whose capability is the id in its path; the loyalty OAuth
token endpoint, whose credential is in its body, hashed with the request) scopes its key by its path (and
cookies, the dashboard's session) instead: the path is the capability there.

Keys live in ``idempotency_keys``: a request claims its key with an INSERT that does nothing on a conflict
(safe across server processes), runs, and stores its answer. Only answers below 500 are stored (a 5xx, like
a failure or a client gone mid-request, drops the claim so the client may retry), and none a route marks
``never_kept`` (a token, a credential's secret: written down nowhere, not even as an answer).
A second request with the key while the first runs waits for its answer (``WAIT_SECONDS``), then gets a
409. The same key with another request is a 422. Keys are kept ``KEPT`` (24 h): ignored on read after,
deleted by the retention worker (``forget_expired``)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
from sqlalchemy import (
    BigInteger,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    delete,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import BaseRoute
from starlette.types import Message, Receive, Scope, Send

from ..family import Renderer
from ..storage.db import Base, JSONType, UTCDateTime, conflict_insert, table_of
from ..storage.ids import utcnow
from .arrival import Arrival
from .errors import ClicktrailError, Conflict, InvalidInput, Unprocessable, status_of
from .limits import documented_error, error_template, replaying
from .routing import methods_of

ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]

HEADER = "Idempotency-Key"
METHODS = frozenset({"POST", "PUT", "PATCH"})
KEPT = timedelta(hours=24)
# A claim still in progress after this long belongs to a process that died mid-request: it is taken over.
ABANDONED = timedelta(minutes=5)
WAIT_SECONDS = 5.0  # how long a concurrent retry waits for the first request's answer before its 409
MAX_STORED_BODY = 1 << 20  # a larger answer is not kept (the claim is dropped): retries run again
# Headers of the answer that describe this one exchange, not the answer: never replayed.
PER_REQUEST = frozenset({b"x-request-id", b"date", b"server", b"idempotent-replayed"})
REPLAYED = (b"idempotent-replayed", b"true")

INVALID_KEY = "Idempotency-Key must be 1 to 255 printable ASCII characters"
TWO_KEYS = "send one Idempotency-Key header, not several"
OTHER_REQUEST = "this Idempotency-Key was used with another request (method, path, query or body)"
IN_PROGRESS = "a request with this Idempotency-Key is still in progress; retry later"


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),
        Index("ix_idempotency_keys_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))  # sha256 hex of the credential (or path), see module doc
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # in_progress, done
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[list[list[str]] | None] = mapped_column(JSONType)  # [[name, value]], latin-1
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


UNKEPT = "clicktrail.never_kept"  # the request scope's mark: see never_kept


def never_kept(scope: Scope) -> None:
    """Keep no copy of this request's answer under its Idempotency-Key: it shows a secret (a token, a
    credential's secret) that is stored nowhere else either. A retry then runs again."""
    scope[UNKEPT] = True


def valid_key(raw: bytes) -> str | None:
    """The key when it is 1 to 255 printable ASCII characters, else None."""
    if not 1 <= len(raw) <= 255 or any(byte < 0x20 or byte > 0x7E for byte in raw):
        return None
    return raw.decode("ascii")


def scope_of(arrival: Arrival, scope: Scope, digest: str) -> str:
    """Whose keys these are: the presented credential's digest. A request that presents none (a survey
    click, whose capability is its path; a dashboard form, whose session is a cookie) has no owner to hold
    a key across requests: its key is bound to the request itself (``digest``, with the cookies), so a
    retry of it replays, and another request under the key is not refused for it but answered as it
    would be without one (a missing credential's 401 stays a 401)."""
    if arrival.credential is not None:
        name, value = arrival.credential
        return hashlib.sha256(b"credential:" + name + b":" + value).hexdigest()
    cookies = b";".join(value for name, value in scope["headers"] if name == b"cookie")
    return hashlib.sha256(b"anonymous:" + digest.encode() + b"\0" + cookies).hexdigest()


def request_hash(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode("utf-8", "surrogateescape"),
                 scope.get("query_string", b""), body):  # fmt: skip
        digest.update(len(part).to_bytes(8, "big"))  # lengths first: no two requests hash alike by a shift
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class Stored:
    """A finished answer, as kept."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass(frozen=True)
class Found:
    """What a claim met: the key is ours (``mine``, the claim's row), or held under another request, or
    by a finished answer (``answer``), or by a request still running (neither)."""

    mine: int | None  # the claim's row id, when the key is ours
    same_request: bool = True
    answer: Stored | None = None  # the answer, when the other request finished


def claim(sessions: sessionmaker[Session], scope: str, key: str, digest: str, now: datetime) -> Found:
    """Claim ``key`` for this request, or what holds it: a finished answer, or a request in progress. An
    expired key, or a claim abandoned by a dead process, is deleted and claimed again."""
    row = {"scope": scope, "key": key, "request_hash": digest, "state": "in_progress",
           "created_at": now, "expires_at": now + KEPT}  # fmt: skip
    with sessions() as session, session.begin():
        claimed = _insert_claim(session, row)
        if claimed is not None:
            return Found(mine=claimed)
        held = session.execute(
            select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
        ).scalar_one_or_none()
        if held is None:  # gone between the two statements: its holder failed
            return Found(mine=None)
        stale = held.expires_at <= now or (held.state == "in_progress" and held.created_at <= now - ABANDONED)
        if stale:
            session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == held.id))
            return Found(mine=_insert_claim(session, row))  # another process may have taken it first
        if held.request_hash != digest:
            return Found(mine=None, same_request=False)
        if held.state != "done":
            return Found(mine=None)
        headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in held.headers or ()]
        return Found(mine=None, answer=Stored(held.status or 200, headers, held.body or b""))


def _insert_claim(session: Session, row: dict[str, Any]) -> int | None:
    """INSERT the claim unless the key is held: its id, or None (atomic on both engines). RETURNING says
    so where a row count may not (psycopg reports -1 for a statement that did nothing here)."""
    table = table_of(IdempotencyKey)
    statement = conflict_insert(session.get_bind().dialect.name, table)
    statement = statement.values(row).on_conflict_do_nothing(index_elements=["scope", "key"])
    return session.execute(statement.returning(table.c.id)).scalar()


def finish(sessions: sessionmaker[Session], claim_id: int, answer: Stored | None) -> None:
    """Keep ``answer`` under the claimed key; with None, drop the claim (the request may run again). A
    claim taken over meanwhile (abandoned, see ``ABANDONED``) is another row: left as it is."""
    where = (IdempotencyKey.id == claim_id, IdempotencyKey.state == "in_progress")
    with sessions() as session, session.begin():
        if answer is None:
            session.execute(delete(IdempotencyKey).where(*where))
            return
        headers = [[name.decode("latin-1"), value.decode("latin-1")] for name, value in answer.headers]
        session.execute(
            update(IdempotencyKey)
            .where(*where)
            .values(state="done", status=answer.status, headers=headers, body=answer.body)
        )


def forget_expired(sessions: sessionmaker[Session], now: datetime | None = None) -> int:
    """Delete the keys past their 24 hours (the retention worker's upkeep); how many went."""
    with sessions() as session, session.begin():
        result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= (now or utcnow())))
        return int(result.rowcount)  # type: ignore[attr-defined]  # DML gives a CursorResult


class _Capture:
    """The route's answer, held back: its head and body, until it is complete and kept."""

    def __init__(self) -> None:
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.complete = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))
            self.complete = not message.get("more_body", False)

    def answer(self) -> Stored | None:
        """The whole answer, when it is complete and may be kept (below 500, not too large)."""
        if self.start is None or not self.complete or self.start["status"] >= 500:
            return None
        headers = [(k, v) for k, v in self.start.get("headers", ()) if k.lower() not in PER_REQUEST]
        body = b"".join(self.chunks)
        if len(body) > MAX_STORED_BODY:
            return None
        return Stored(self.start["status"], headers, body)

    async def forward(self, send: Send) -> None:
        if self.start is None:
            return
        await send(self.start)
        await send({"type": "http.response.body", "body": b"".join(self.chunks), "more_body": False})


async def _replay(answer: Stored, send: Send) -> None:
    await send(
        {"type": "http.response.start", "status": answer.status, "headers": [*answer.headers, REPLAYED]}
    )
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body (the guard has usually read it already); None when the client hung up."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


class Idempotency:
    """The layer: built with the app, given its sessions in the lifespan (``sessions``)."""

    def __init__(self, renderer_for: Callable[[str], Renderer], routes: Sequence[BaseRoute] = ()) -> None:
        self.renderer_for = renderer_for
        self.routes = routes  # a method no route serves at the path is left to its 404 or 405
        self.sessions: sessionmaker[Session] | None = None

    def engaged(self, arrival: Arrival, scope: Scope) -> bool:
        if arrival.idempotency_key is None or arrival.method not in METHODS or self.sessions is None:
            return False
        return arrival.method in methods_of(scope, self.routes)

    async def serve(self, route: ASGI, scope: Scope, receive: Receive, send: Send, arrival: Arrival) -> None:
        """Answer with ``route`` once per key: the first answer kept, replayed to retries."""
        key = valid_key(arrival.idempotency_key or b"") if arrival.idempotency_keys == 1 else None
        if key is None:
            message = INVALID_KEY if arrival.idempotency_keys == 1 else TWO_KEYS
            await self._refuse(InvalidInput(message), scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return  # nobody to answer
        receive = replaying(body, receive)
        digest = request_hash(scope, body)
        owner = scope_of(arrival, scope, digest)
        found = await self._settle(owner, key, digest)
        if not found.same_request:
            await self._refuse(Unprocessable(OTHER_REQUEST), scope, receive, send)
        elif found.answer is not None:
            await _replay(found.answer, send)
        elif found.mine is None:
            await self._refuse(Conflict(IN_PROGRESS), scope, receive, send)
        else:
            await self._run(route, scope, receive, send, found.mine)

    async def _settle(self, owner: str, key: str, digest: str) -> Found:
        """Claim the key, or wait (a while) for the request holding it to finish."""
        assert self.sessions is not None
        deadline = anyio.current_time() + WAIT_SECONDS
        pause = 0.02
        while True:
            found = await run_in_threadpool(claim, self.sessions, owner, key, digest, utcnow())
            if found.mine is not None or found.answer is not None or not found.same_request:
                return found
            if anyio.current_time() + pause > deadline:
                return found
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.25)

    async def _run(self, route: ASGI, scope: Scope, receive: Receive, send: Send, claim_id: int) -> None:
        """Run the route with its answer captured; keep it (or drop the claim) before it leaves."""
        assert self.sessions is not None
        capture = _Capture()
        answer: Stored | None = None
        try:
            await route(scope, receive, capture.send)
            answer = None if scope.get(UNKEPT) else capture.answer()
        except Exception:
            await self._drop(claim_id)
            await capture.forward(send)  # what the app answered before raising (its 500), as without a key
            raise
        except BaseException:  # cancelled: the client went away
            await self._drop(claim_id)
            raise
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(finish, self.sessions, claim_id, answer)
        await capture.forward(send)

    async def _drop(self, claim_id: int) -> None:
        """Drop the claim, even while cancelled: a key left claimed would answer 409 until it is abandoned."""
        assert self.sessions is not None
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(finish, self.sessions, claim_id, None)

    async def _refuse(self, error: ClicktrailError, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.renderer_for(scope["path"])(Request(scope), error, status_of(error))
        await response(scope, receive, send)


def document_idempotency(openapi: dict[str, Any], renderer_for: Callable[[str], Renderer]) -> dict[str, Any]:
    """Every POST, PUT and PATCH takes the optional header, and may answer 400 (a malformed key), 409 (the
    key's first request still runs) and 422 (the key was used with another request), in its family's
    envelope."""
    samples = (InvalidInput(INVALID_KEY), Conflict(IN_PROGRESS), Unprocessable(OTHER_REQUEST))
    for path, operations in openapi.get("paths", {}).items():
        for method, operation in operations.items():
            if method.upper() not in METHODS:
                continue
            parameters = operation.setdefault("parameters", [])
            if all(p.get("name", "").lower() != "idempotency-key" for p in parameters):
                parameters.append(dict(PARAMETER))
            template = error_template(operation)
            if template is None:
                continue
            for error in samples:
                documented = documented_error(renderer_for(path), path, template, error)
                operation["responses"].setdefault(str(status_of(error)), documented)
    return openapi


PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Run this request once: a retry with the same key and the same request replays the "
    "first answer (with Idempotent-Replayed: true) for 24 hours; 1 to 255 printable ASCII characters.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
}
