"""What a request may cost before any route sees it, lean routes included: one credential header at most
(400), a body size cap (413), a body read timeout (408), rate limits per proven credential or, without
one, per client IP (429), and a slow-down of IPs that keep failing authentication (429) which a proven
credential passes. ``/healthz`` and ``/readyz`` are never limited.

A credential is *proven* once it authenticated in this process lately (``CredentialCache.proven``): until
then its requests count against its address, so a made-up credential never buys a fresh bucket.

Without Redis, limits live in this process's memory (token buckets, no I/O, no lock: the event loop is
the only caller): with N server processes a client may send N times the configured rate. With
``CLICKTRAIL_REDIS_URL`` every process counts in Redis (see :class:`SharedCounters`)."""

from __future__ import annotations

import asyncio
import hmac
import logging
import math
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import orjson
from limits.aio.storage import RedisStorage
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from ..config.settings import Settings
from ..family import Renderer
from ..tenancy.apps import CredentialCache, basic_key, digest, read_basic, read_bearer
from .arrival import Arrival
from .errors import ClicktrailError, InvalidInput, PayloadTooLarge, RequestTimeout, TooManyRequests, status_of

log = logging.getLogger(__name__)

CONFIG_PATH = "/admin/v1/config"  # the one route whose body (a whole config document) may be large
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz"})  # probes: a busy or guessing neighbour never fails them
TWO_CREDENTIALS = "send one credential header (Authorization, X-Api-Token or API-KEY), once"
# Buckets kept per kind; beyond, refilled ones (which hold nothing a fresh one would not) are forgotten
# first. One costs ~200 B: 10,000 ~2 MB a kind, where 100,000 held ~20 MB a kind. A bucket is refilled one
# token-time (1 ms to 3 s with the defaults) after its last request, so 10,000 unrefilled at once means
# more distinct clients in a few seconds than one process serves.
MAX_KEYS = 10_000


class Quota(NamedTuple):  # a tuple: built on every request, where a frozen dataclass costs a microsecond
    """One request's standing in its bucket: ``wait`` > 0 means refused for that many seconds."""

    limit: int
    remaining: int
    reset: int  # seconds until the bucket is full again (refused: until it has a request again)
    wait: float = 0.0

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"ratelimit-limit", b"%d" % self.limit),
            (b"ratelimit-remaining", b"%d" % self.remaining),
            (b"ratelimit-reset", b"%d" % self.reset),
        ]


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
        return self.quota(key).wait

    def quota(self, key: object) -> Quota:
        """Take a token when there is one; the bucket's standing either way."""
        tokens = self.level(key)
        if tokens < 1:
            wait = (1 - tokens) / self.rate
            return Quota(self.burst, 0, max(1, math.ceil(wait)), wait)
        self._store(key, tokens - 1)
        return Quota(self.burst, int(tokens - 1), math.ceil((self.burst - tokens + 1) / self.rate))

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


class Counters:
    """This process's buckets: per credential, per IP, and failed authentications per IP."""

    def __init__(self, settings: Settings):
        self.per_credential = _buckets(settings.rate_per_credential, settings.burst_per_credential)
        self.per_ip = _buckets(settings.rate_per_ip, settings.burst_per_ip)
        failures = settings.auth_failures_per_minute
        self.failures = _buckets(failures / 60, failures)

    def quota(self, kind: str, key: str) -> Quota | None:
        """Take from ``kind``'s bucket ("credential" or "ip"); None when that kind is not limited."""
        buckets = self.per_credential if kind == "credential" else self.per_ip
        return None if buckets is None else buckets.quota(key)

    def failure_wait(self, ip: str) -> float:
        return self.failures.wait(ip) if self.failures else 0.0

    def fail(self, ip: str) -> None:
        if self.failures:
            self.failures.take(ip)


class SharedCounters:
    """The same limits counted in Redis through ``limits``' storage, so every process and machine shares
    them: ``burst`` requests per window of ``burst / rate`` seconds (at least 1), fixed windows on the
    clock, one ``INCR`` per request; failed authentications N per clock minute.

    When Redis does not answer (within 0.25 s) the process counts in its own buckets (``local``), logs
    one WARNING, and asks Redis again a second later: limits stay on, per process, rather than refusing
    everyone or nobody."""

    RETRY_SECONDS = 1.0

    def __init__(self, settings: Settings, url: str, local: Counters):
        self.local = local
        self.storage = RedisStorage(
            "async+" + url,
            implementation="redispy",
            key_prefix=settings.redis_key_prefix,
            socket_timeout=0.25,
            socket_connect_timeout=0.25,
        )
        base = self.storage.base_exceptions
        # what an outage raises (a bug is no outage, and must not pass for one)
        self.errors: tuple[type[Exception], ...] = (*(base if isinstance(base, tuple) else (base,)), OSError)
        self.where = urlsplit(url).hostname or "redis"  # never the URL: it may hold a password
        self.down_until = 0.0  # monotonic; Redis is not asked before then
        self.windows = {
            kind: (buckets.burst, max(1, round(buckets.burst / buckets.rate)))
            for kind, buckets in (("credential", local.per_credential), ("ip", local.per_ip))
            if buckets is not None
        }
        if local.failures is not None:
            self.windows["failures"] = (local.failures.burst, 60)

    def _asks(self, kind: str) -> bool:
        return kind in self.windows and time.monotonic() >= self.down_until

    async def quota(self, kind: str, key: str) -> Quota | None:
        if not self._asks(kind):
            return self.local.quota(kind, key)
        limit, window = self.windows[kind]
        name, left = _window_key(kind, key, window)
        try:
            count = await self.storage.incr(name, window)
        except self.errors as exc:
            self._down(exc)
            return self.local.quota(kind, key)
        self._up()
        if count > limit:
            return Quota(limit, 0, math.ceil(left), left)
        return Quota(limit, limit - count, math.ceil(left))

    async def failure_wait(self, ip: str) -> float:
        if not self._asks("failures"):
            return self.local.failure_wait(ip)
        limit, window = self.windows["failures"]
        name, left = _window_key("failures", ip, window)
        try:
            count = await self.storage.get(name)
        except self.errors as exc:
            self._down(exc)
            return self.local.failure_wait(ip)
        self._up()
        return left if count >= limit else 0.0

    async def fail(self, ip: str) -> None:
        self.local.fail(ip)  # kept here too, for when Redis goes away
        if not self._asks("failures"):
            return
        window = self.windows["failures"][1]
        try:
            await self.storage.incr(_window_key("failures", ip, window)[0], window)
        except self.errors as exc:
            self._down(exc)

    def _down(self, exc: Exception) -> None:
        if not self.down_until:
            log.warning(
                "Redis at %s does not answer (%s): rate limits are counted per process until it does",
                self.where,
                type(exc).__name__,
            )
        self.down_until = time.monotonic() + self.RETRY_SECONDS

    def _up(self) -> None:
        if self.down_until:
            log.warning("Redis at %s answers again: rate limits are shared again", self.where)
            self.down_until = 0.0


def _window_key(kind: str, key: str, window: int) -> tuple[str, float]:
    """The counter of ``key``'s current window, and the seconds left in that window."""
    now = time.time()
    start = int(now // window)
    return f"{kind}/{key}/{start}", (start + 1) * window - now


class _Refused(Exception):
    def __init__(self, error: ClicktrailError):
        self.error = error


class Guard:
    def __init__(self, settings: Settings, renderer_for: Callable[[str], Renderer]):
        self.renderer_for = renderer_for
        self.max_body, self.max_config = settings.max_body_bytes, settings.max_config_bytes
        self.body_timeout = settings.body_timeout_seconds or None
        self.local = Counters(settings)
        url = settings.redis_url
        self.shared = SharedCounters(settings, url, self.local) if url else None
        self.admin_token = settings.admin_token
        self.failure_limit = settings.auth_failures_per_minute
        self.cache: CredentialCache | None = None  # set in the lifespan: which credentials are proven

    async def admit(
        self, scope: Scope, arrival: Arrival, receive: Receive, send: Send
    ) -> tuple[Receive, Quota | None] | None:
        """The request's ``receive`` and its standing in its bucket when it may proceed; None when it was
        answered here (through ``send``)."""
        quota = None
        try:
            if arrival.credentials > 1:  # which one would count? Authentication and limits must agree
                raise _Refused(InvalidInput(TWO_CREDENTIALS))
            if arrival.path not in UNLIMITED_PATHS:
                quota = await self._check_rate(arrival.ip, arrival.credential)
            if arrival.length or arrival.chunked:
                receive = await self._read_body(arrival, receive)
        except _Refused as refused:
            await self._answer(refused.error, scope, receive, send)
            return None
        except _Gone:
            return None
        return receive, quota

    async def _check_rate(self, ip: str, credential: tuple[bytes, bytes] | None) -> Quota | None:
        shared = self.shared
        proven = self._proven(credential)
        if not proven and self.local.failures:
            wait = await shared.failure_wait(ip) if shared else self.local.failure_wait(ip)
            if wait:
                slowed = Quota(self.failure_limit, 0, math.ceil(wait), wait)
                raise _Refused(_too_many("too many failed authentications; slow down", slowed))
        kind, key = ("credential", proven) if proven and not proven.startswith("basic:") else ("ip", ip)
        quota = await shared.quota(kind, key) if shared else self.local.quota(kind, key)
        if quota is not None and quota.wait:
            raise _Refused(_too_many("too many requests; slow down", quota))
        return quota

    def _proven(self, credential: tuple[bytes, bytes] | None) -> str | None:
        """The digest the presented credential is known by when it authenticated lately, else None."""
        if credential is None or self.cache is None:
            return None
        name, raw = credential
        value = raw.decode("latin-1")
        if name == b"authorization":
            bearer = read_bearer(value)
            if bearer is None:
                basic = read_basic(value)
                key = basic_key(*basic) if basic is not None else None
                return "basic:" + key if key is not None and self.cache.proven(key) else None
            value = bearer
        key = digest(value)
        if self.cache.proven(key):
            return key
        admin = self.admin_token if name == b"authorization" else None
        return "admin" if admin and hmac.compare_digest(value.encode(), admin.encode()) else None

    async def _read_body(self, arrival: Arrival, receive: Receive) -> Receive:
        """The whole body, read now (within the size cap and the timeout), handed on as one message."""
        limit = self.max_config if arrival.path == CONFIG_PATH else self.max_body
        if arrival.length is not None and arrival.length > limit:
            raise _Refused(_too_large(limit))
        try:
            async with asyncio.timeout(self.body_timeout):
                body = await _read_capped(receive, limit)
        except TimeoutError:
            raise _Refused(RequestTimeout("the request body took too long to arrive")) from None
        return replaying(body, receive)

    async def dress(
        self, ip: str, quota: Quota | None, status: int, headers: list[tuple[bytes, bytes]]
    ) -> None:
        """The head of an answer to an admitted request (``headers``, changed in place): its RateLimit-*
        headers; a 401 counts against its address."""
        if status == 401 and self.local.failures:
            if self.shared:
                await self.shared.fail(ip)
            else:
                self.local.fail(ip)
        if quota is not None:
            headers.extend(quota.headers())

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


def _too_many(message: str, quota: Quota) -> TooManyRequests:
    seconds = str(max(1, math.ceil(quota.wait)))
    headers = {
        "Retry-After": seconds,
        "RateLimit-Limit": str(quota.limit),
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
        429: _too_many("too many requests; slow down", Quota(100, 0, 1, 1)),
        413: _too_large(65_536),
        408: RequestTimeout("the request body took too long to arrive"),
    }
    for path, operations in openapi.get("paths", {}).items():
        for operation in operations.values():
            template = error_template(operation)
            if template is None:
                continue
            statuses = (429, 413, 408) if "requestBody" in operation else (429,)
            for status in statuses:
                operation["responses"].setdefault(
                    str(status), documented_error(renderer_for(path), path, template, samples[status])
                )
    return openapi


def error_template(operation: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(media type, schema) of the operation's first documented 4xx JSON error other than 422 (an HTML
    page's own errors are pages: the guard answers those in JSON, undocumented)."""
    for status, response in operation.get("responses", {}).items():
        if status.startswith("4") and status != "422" and response.get("content"):
            media, content = next(iter(response["content"].items()))
            if "json" in media:
                return media, content["schema"]
    return None


def documented_error(
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


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app ``body``, already read, in one message; then the client's own
    (the app waits on it for a disconnect)."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
