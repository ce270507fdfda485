"""What is recorded of every request, lean routes included (``core.web.front`` calls it): its request
metrics and access log line; and ``/metrics``, the Prometheus exposition of those and of the writer, the
outbox and the caches.

Request figures are kept in plain dicts and :class:`Histogram`\\ s, touched only on the event loop (and
read there by the scrape), so recording costs no lock. Each process keeps its own figures: with
``--workers N`` a scrape is answered by whichever process accepted it (see the README)."""

from __future__ import annotations

import hmac
import ipaddress
import threading
from collections.abc import Iterator, Sequence
from time import monotonic, perf_counter
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import exists, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from ..config.cache import generation
from ..family import Family
from ..journeys import outbox
from ..journeys.privacy import anonymizing
from .errors import Forbidden, NotFound, Unauthorized
from .histogram import SECONDS, Histogram
from .logs import log_access

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # the route label of a request no route answered: raw paths would be unbounded
# The status the server itself sent when it cut a request short (``serving``: the parser refused its body),
# while the app saw only a hang-up.
SERVER_ANSWER = "clicktrail.server_answer"


class RequestMetrics:
    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, str, int], int] = {}  # (family, route, method, status)
        self.latency: dict[tuple[str, str], Histogram] = {}  # (family, route)

    def record(self, family: str, route: str, method: str, status: int, seconds: float) -> None:
        key = (family, route, method if method in METHODS else "other", status)
        self.counts[key] = self.counts.get(key, 0) + 1
        histogram = self.latency.get((family, route))
        if histogram is None:
            histogram = self.latency[(family, route)] = Histogram(SECONDS)
        histogram.observe(seconds)


ADMIN_PRIVATE_PATH_PARAMS = frozenset({"user_id"})  # the person an erasure names


class ClientAnonymizer:
    """Whether access lines show client addresses cut to their network: when any app sets
    ``privacy.anonymize_ip``, for every line (a line is the server's, and a refused request names no app).
    Re-read at most once per ``ttl`` seconds and after a local apply, like config; anonymized until the
    first read. The read is one query whatever the number of apps: the request that makes it waits for it
    (so no line after an apply shows what the apply hid), and an apply of 10,000 apps must not make that
    request wait for 10,000 reads."""

    def __init__(self, sessions: sessionmaker[Session], ttl: float):
        self.sessions, self.ttl = sessions, ttl
        self.anonymize = True
        self._checked = (-1, float("-inf"))  # (config generation, monotonic time) of the last read
        self._refreshing = threading.Lock()

    def claim_refresh(self) -> bool:
        """True for the one caller that must now call :meth:`refresh` (the others keep the answer)."""
        gen, at = self._checked
        if gen == generation() and monotonic() - at < self.ttl:
            return False
        return self._refreshing.acquire(blocking=False)

    def refresh(self) -> None:
        checked = (generation(), monotonic())
        try:
            with self.sessions() as session:
                self.anonymize = bool(session.scalar(select(exists().where(anonymizing()))))
        except SQLAlchemyError:  # the database is away: the last answer stands, asked again after ttl
            pass
        finally:
            self._checked = checked
            self._refreshing.release()


class Observer:
    """Records each request the front's pass timed, with the status it noted: its metrics and (when on)
    one access log line. The pass tags the answer with the request id."""

    def __init__(self, families: Sequence[Family], access_log: bool):
        self.families = tuple(families)
        self.access_log = access_log
        self.clients: ClientAnonymizer | None = None  # set in the lifespan, with the database
        self.metrics = RequestMetrics()
        self._family_of_route: dict[str, str] = {}
        self.private_path_params = ADMIN_PRIVATE_PATH_PARAMS | {
            name for family in families for name in family.private_path_params
        }

    async def arrive(self) -> None:
        """Before a request is answered: the access log's anonymizer re-read, when it is due."""
        clients = self.clients
        if self.access_log and clients is not None and clients.claim_refresh():
            await run_in_threadpool(clients.refresh)

    def record(self, scope: Scope, status: int, started: float, rid: str) -> None:
        """After it was answered (or the app raised: ``status`` 500): its metrics and access line."""
        status = scope.get(SERVER_ANSWER, status)
        seconds = perf_counter() - started
        route = getattr(scope.get("route"), "path", None) or UNMATCHED
        family = self.family_of(route if route != UNMATCHED else scope["path"])
        self.metrics.record(family, route, scope["method"], status, seconds)
        if self.access_log:
            clients = self.clients
            anonymize = clients is None or clients.anonymize
            log_access(scope, status, seconds, family, route, rid, self.private_path_params, anonymize)

    def family_of(self, path: str) -> str:
        known = self._family_of_route.get(path)
        if known is not None:
            return known
        family = next((f.name for f in self.families if f.owns(path)), None)
        if family is None:
            family = "admin" if path == "/admin" or path.startswith("/admin/") else "other"
        if len(self._family_of_route) < 1000:  # route templates are few; raw unmatched paths are not
            self._family_of_route[path] = family
        return family


# --- /metrics -------------------------------------------------------------------------------------------


def check_access(request: Request) -> None:
    """``CLICKTRAIL_METRICS``: off (404), loopback clients only, or the admin bearer token."""
    settings = request.app.state.runtime.settings
    if settings.metrics == "off":
        raise NotFound("not found")
    if settings.metrics == "loopback":
        if not _is_loopback(request.client.host if request.client else ""):
            raise Forbidden("/metrics answers loopback clients only (CLICKTRAIL_METRICS=loopback)")
        return
    presented = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    expected = settings.admin_token
    if not expected or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Unauthorized("/metrics needs the admin bearer token (CLICKTRAIL_METRICS=token)")


async def scrape(request: Request) -> Response:
    check_access(request)
    runtime = request.app.state.runtime
    backlog = await run_in_threadpool(outbox_backlog, runtime.sessions)
    collector = _Collector(request.app.observer, runtime, backlog)
    collector.streams = request.app.state.event_bell.subscribers
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def outbox_backlog(sessions: Any) -> dict[tuple[str, str], int]:
    """(topic, status) → messages, for the undelivered ones: one grouped query per scrape."""
    m = outbox.OutboxMessage
    query = (
        select(m.topic, m.status, func.count())
        .where(m.status.in_(("pending", "dead")))
        .group_by(m.topic, m.status)
    )
    with sessions() as session:
        return {(topic, status): count for topic, status, count in session.execute(query)}


class _Collector(Collector):
    def __init__(self, observer: Observer | None, runtime: Any, backlog: dict[tuple[str, str], int]):
        self.observer, self.runtime, self.backlog = observer, runtime, backlog
        self.streams = 0  # open event streams of this process

    def collect(self) -> Iterator[Metric]:
        if self.observer is not None:
            yield from _requests(self.observer.metrics)
        yield from _writer(self.runtime.writer.stats)
        yield from _outbox(self.backlog)
        yield from _caches(self.runtime)
        yield from _streams(self.streams)


def _requests(metrics: RequestMetrics) -> Iterator[Metric]:
    labels = ["family", "route", "method", "status"]
    requests = CounterMetricFamily("clicktrail_requests", "HTTP requests answered", labels=labels)
    for (family, route, method, status), count in list(metrics.counts.items()):
        requests.add_metric([family, route, method, str(status)], count)
    yield requests
    latency = HistogramMetricFamily(
        "clicktrail_request_duration_seconds", "Time to answer a request", labels=["family", "route"]
    )
    for (family, route), histogram in list(metrics.latency.items()):
        latency.add_metric([family, route], histogram.cumulative(), histogram.sum)
    yield latency


def _writer(stats: Any) -> Iterator[Metric]:
    sizes = HistogramMetricFamily("clicktrail_writer_batch_size", "Jobs per group commit")
    sizes.add_metric([], stats.batch_sizes.cumulative(), stats.batch_sizes.sum)
    yield sizes
    seconds = HistogramMetricFamily(
        "clicktrail_writer_batch_seconds", "Time to run, commit and answer one group commit"
    )
    seconds.add_metric([], stats.batch_seconds.cumulative(), stats.batch_seconds.sum)
    yield seconds
    yield CounterMetricFamily("clicktrail_writer_failed_jobs", "Writer jobs that failed", stats.failed_jobs)
    yield CounterMetricFamily(
        "clicktrail_writer_retried_batches", "Group commits run again", stats.retried_batches
    )


def _streams(open_streams: int) -> Iterator[Metric]:
    yield GaugeMetricFamily(
        "clicktrail_event_streams", "Open /events/stream and Live page streams (this process)", open_streams
    )


def _outbox(backlog: dict[tuple[str, str], int]) -> Iterator[Metric]:
    messages = GaugeMetricFamily(
        "clicktrail_outbox_messages",
        "Undelivered outbox messages (all processes)",
        labels=["topic", "status"],
    )
    for (topic, status), count in sorted(backlog.items()):
        messages.add_metric([topic, status], count)
    yield messages
    failures = CounterMetricFamily(
        "clicktrail_outbox_delivery_failures", "Failed delivery attempts (this process)", labels=["topic"]
    )
    for topic, count in sorted(outbox.failures().items()):
        failures.add_metric([topic], count)
    yield failures


def _caches(runtime: Any) -> Iterator[Metric]:
    caches = {"credentials": runtime.auth.cache, "config": runtime.config}
    hits = CounterMetricFamily("clicktrail_cache_hits", "Lookups answered from memory", labels=["cache"])
    misses = CounterMetricFamily("clicktrail_cache_misses", "Lookups the database answered", labels=["cache"])
    for name, cache in caches.items():
        hits.add_metric([name], cache.hits)
        misses.add_metric([name], cache.misses)
    yield hits
    yield misses


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
