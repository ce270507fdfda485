"""What a request may cost before any route sees it, lean routes included: a body size cap (413), a body
read timeout (408), rate limits per presented credential or, without one, per client IP (429), and a
slow-down of IPs that keep failing authentication (429).

Limits live in this process's memory (token buckets, no I/O, no lock: the event loop is the only
caller): with N server processes a client may send N times the configured rate."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import orjson
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from .errors import ClicktrailError, PayloadTooLarge, RequestTimeout, TooManyRequests, status_of
from .family import Renderer
from .settings import Settings

CONFIG_PATH = "/admin/v1/config"  # the one route whose body (a whole config document) may be large
CREDENTIAL_HEADERS = (b"authorization", b"x-api-token", b"api-key")
# Buckets kept per kind; beyond, refilled ones (which hold nothing a fresh one would not) are forgotten
# first. One costs ~200 B: 10,000 ~2 MB a kind, where 100,000 held ~20 MB a kind. A bucket is refilled one
# token-time (1 ms to 3 s with the defaults) after its last request, so 10,000 unrefilled at once means
# more distinct clients in a few seconds than one process serves.
MAX_KEYS = 10_000


class Buckets:
    """Token buckets by key: ``rate`` tokens a second, at most ``burst`` saved up."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self._levels: dict[object, tuple[float, float]] = {}  # key -> (tokens, when)

    def level(self, key: object) -> float:
        tokens, when = self._levels.get(key, (self.burst, 0.0))
        return min(self.burst, tokens + (self.clock() - when) * self.rate)

    def take(self, key: object) -> float:
        """0 when a token was taken, else the seconds until one is there."""
        tokens = self.level(key)
        if tokens < 1:
            return (1 - tokens) / self.rate
        self._store(key, tokens - 1)
        return 0.0

    def wait(self, key: object) -> float:
        """Seconds until ``key`` has a token (0: it has one now), taking none."""
        tokens = self.level(key)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def _store(self, key: object, tokens: float) -> None:
        if len(self._levels) >= MAX_KEYS and key not in self._levels:
            self._forget_full()
        self._levels[key] = (tokens, self.clock())

    def _forget_full(self) -> None:
        self._levels = {k: v for k, v in self._levels.items() if self.level(k) < self.burst}
        if len(self._levels) >= MAX_KEYS:
            self._levels.clear()


@dataclass(frozen=True)
class _Head:
    """The few headers the guard reads, found in one pass."""

    length: int | None
    chunked: bool
    credential: bytes | None

    @classmethod
    def of(cls, scope: Scope) -> _Head:
        length, chunked, credential = None, False, None
        for key, value in scope["headers"]:
            if key == b"content-length":
                length = int(value) if value.isdigit() else -1
            elif key == b"transfer-encoding":
                chunked = True
            elif key in CREDENTIAL_HEADERS and value[:6].lower() != b"basic ":
                credential = value  # Basic: a token endpoint's client secret, limited per IP
        return cls(length, chunked, credential)


class _Refused(Exception):
    def __init__(self, error: ClicktrailError):
        self.error = error


class Guard:
    def __init__(self, settings: Settings, renderer_for: Callable[[str], Renderer]):
        self.renderer_for = renderer_for
        self.max_body, self.max_config = settings.max_body_bytes, settings.max_config_bytes
        self.body_timeout = settings.body_timeout_seconds or None
        self.per_credential = _buckets(settings.rate_per_credential, settings.burst_per_credential)
        self.per_ip = _buckets(settings.rate_per_ip, settings.burst_per_ip)
        failures = settings.auth_failures_per_minute
        self.failures = _buckets(failures / 60, failures)

    async def admit(self, scope: Scope, receive: Receive, send: Send) -> tuple[Receive, Send] | None:
        """The request's ``receive`` and ``send`` when it may proceed; None when it was answered here."""
        head = _Head.of(scope)
        ip = (scope.get("client") or ("",))[0]
        try:
            self._check_rate(ip, head.credential)
            if head.length or head.chunked:
                receive = await self._read_body(scope, receive, head)
        except _Refused as refused:
            await self._answer(refused.error, scope, receive, send)
            return None
        except _Gone:
            return None
        return receive, (self._watch_failures(ip, send) if self.failures else send)

    def _check_rate(self, ip: str, credential: bytes | None) -> None:
        if self.failures and (wait := self.failures.wait(ip)):
            raise _Refused(_too_many("too many failed authentications; slow down", self.failures, wait))
        buckets, key = (self.per_credential, credential) if credential else (self.per_ip, ip)
        if buckets is not None and (wait := buckets.take(key)):
            raise _Refused(_too_many("too many requests; slow down", buckets, wait))

    async def _read_body(self, scope: Scope, receive: Receive, head: _Head) -> Receive:
        """The whole body, read now (within the size cap and the timeout), handed on as one message."""
        limit = self.max_config if scope["path"] == CONFIG_PATH else self.max_body
        if head.length is not None and head.length > limit:
            raise _Refused(_too_large(limit))
        try:
            async with asyncio.timeout(self.body_timeout):
                body = await _read_capped(receive, limit)
        except TimeoutError:
            raise _Refused(RequestTimeout("the request body took too long to arrive")) from None
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()  # the app waits for a disconnect
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        return replay

    def _watch_failures(self, ip: str, send: Send) -> Send:
        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                self.failures.take(ip)  # type: ignore[union-attr]
            await send(message)

        return counting

    async def _answer(self, error: ClicktrailError, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.renderer_for(scope["path"])(Request(scope), error, status_of(error))
        response.headers.update(error.details.get("headers", {}))
        if not isinstance(error, TooManyRequests):
            response.headers["Connection"] = "close"  # the rest of the body is never read
        await response(scope, receive, send)


class _Gone(Exception):
    """The client hung up while sending its body: nobody to answer."""


async def _read_capped(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Gone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _Refused(_too_large(limit))
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _buckets(rate: float, burst: int) -> Buckets | None:
    return Buckets(rate, burst) if rate > 0 and burst > 0 else None


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the request body exceeds {limit} bytes")


def _too_many(message: str, buckets: Buckets, wait: float) -> TooManyRequests:
    seconds = str(max(1, math.ceil(wait)))
    headers = {
        "Retry-After": seconds,
        "RateLimit-Limit": str(buckets.burst),
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": seconds,
    }
    return TooManyRequests(message, details={"retry_after": int(seconds), "headers": headers})


RATE_HEADERS = {
    name: {"description": description, "schema": {"type": "integer"}}
    for name, description in (
        ("Retry-After", "seconds until a request may pass"),
        ("RateLimit-Limit", "requests the bucket holds"),
        ("RateLimit-Remaining", "requests left now (0)"),
        ("RateLimit-Reset", "seconds until the bucket has a request again"),
    )
}


def document_limits(openapi: dict[str, Any], renderer_for: Callable[[str], Renderer]) -> dict[str, Any]:
    """Every operation answers 429, and one that takes a body 408 and 413: in its family's envelope,
    with the schema of the operation's own documented errors."""
    samples = {
        429: _too_many("too many requests; slow down", Buckets(1, 100), 1),
        413: _too_large(65_536),
        408: RequestTimeout("the request body took too long to arrive"),
    }
    for path, operations in openapi.get("paths", {}).items():
        for operation in operations.values():
            template = _error_template(operation)
            if template is None:
                continue
            statuses = (429, 413, 408) if "requestBody" in operation else (429,)
            for status in statuses:
                operation["responses"].setdefault(
                    str(status), _documented(renderer_for(path), path, template, samples[status])
                )
    return openapi


def _error_template(operation: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(media type, schema) of the operation's first documented 4xx JSON error other than 422 (an HTML
    page's own errors are pages: the guard answers those in JSON, undocumented)."""
    for status, response in operation.get("responses", {}).items():
        if status.startswith("4") and status != "422" and response.get("content"):
            media, content = next(iter(response["content"].items()))
            if "json" in media:
                return media, content["schema"]
    return None


def _documented(
    renderer: Renderer, path: str, template: tuple[str, dict[str, Any]], error: ClicktrailError
) -> dict[str, Any]:
    status = status_of(error)
    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
    answer = renderer(Request({**scope, "scheme": "http", "server": ("localhost", 8000)}), error, status)
    media, schema = template
    documented: dict[str, Any] = {
        "description": HTTPStatus(status).phrase,
        "content": {media: {"schema": schema, "example": orjson.loads(answer.body)}},
    }
    if status == 429:
        documented["headers"] = RATE_HEADERS
    return documented
