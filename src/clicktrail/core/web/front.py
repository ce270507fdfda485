"""The layers in front of every route, lean ones included, as one pass: the observer (request id, metrics,
access log), the edge (security and CORS headers, ``OPTIONS``), the guard (size, time and rate limits) and,
for a write that carries an ``Idempotency-Key``, idempotent retries (``core.web.idempotency``).

The request's head is read once (:class:`~.arrival.Arrival`), and one ``send`` wrapper dresses the
answer's head for all of them: the guard's RateLimit-* headers, the edge's security and CORS headers, the
request id, in that order, and the status noted for the observer. Each layer keeps its own rules; this
module only calls them in turn."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from time import perf_counter

from starlette.types import Message, Receive, Scope, Send

from .arrival import Arrival
from .edge import Edge, OriginPolicy, Zone
from .idempotency import Idempotency
from .limits import Guard, Quota
from .observability import Observer

ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Pass:
    """One request on its way through the layers: what they settled before the route, and its status."""

    __slots__ = ("admitted", "arrival", "downstream", "edge", "guard", "policy", "quota", "scope", "status",
                 "tag", "zone")  # fmt: skip

    def __init__(self, scope: Scope, arrival: Arrival, downstream: Send, edge: Edge | None,
                 guard: Guard | None, observer: Observer | None) -> None:  # fmt: skip
        self.scope, self.arrival, self.downstream = scope, arrival, downstream
        self.edge, self.guard = edge, guard
        self.tag = (b"x-request-id", arrival.request_id.encode()) if observer is not None else None
        self.zone: Zone | None = None
        self.policy: OriginPolicy | None = None
        self.admitted = False  # the guard's own answers (a 429, a 413) carry no RateLimit-* of this pass
        self.quota: Quota | None = None
        self.status = 500  # what the client gets when the app raises before answering

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", ()))
            if self.admitted:
                await self.guard.dress(self.arrival.ip, self.quota, status, headers)  # type: ignore[union-attr]
            if self.edge is not None:
                self.edge.dress(headers, status, self.scope, self.arrival, self.zone, self.policy)
            if self.tag is not None:  # the observer's: to follow the request through the logs
                headers.append(self.tag)
            message = {**message, "headers": headers}
            self.status = status
        await self.downstream(message)


async def one_pass(route: ASGI, scope: Scope, receive: Receive, send: Send, edge: Edge | None,
                   guard: Guard | None, observer: Observer | None,
                   idempotency: Idempotency | None = None) -> None:  # fmt: skip
    """Answer an HTTP request with ``route`` (the lean routes, then FastAPI), behind the layers."""
    started = perf_counter()
    arrival = Arrival.of(scope)
    passing = _Pass(scope, arrival, send, edge, guard, observer)
    try:
        if observer is not None:
            await observer.arrive()
        if edge is not None:
            passing.zone, passing.policy = await edge.prepare(arrival)
        if guard is not None:
            admitted = await guard.admit(scope, arrival, receive, passing.send)
            if admitted is None:
                return
            receive, passing.quota = admitted
            passing.admitted = True
        if edge is not None and arrival.method == "OPTIONS":
            answer = await edge.options(scope, arrival)
            if answer is not None:
                await answer(scope, receive, passing.send)
                return
        if arrival.idempotency_keys and idempotency is not None and idempotency.engaged(arrival, scope):
            await idempotency.serve(route, scope, receive, passing.send, arrival)
            return
        await route(scope, receive, passing.send)
    finally:
        if observer is not None:
            observer.record(scope, passing.status, started, arrival.request_id)
