"""What every answer gets at the edge, lean routes included: security headers (``nosniff`` everywhere, a
family's own set, no framing of HTML), CORS for the routes a family serves to browsers, and ``OPTIONS``
(preflights included) for every path a route answers.

Who may call from a browser is set per app (``cors.<family>.allowed_origins`` in the config document). A
preflight carries no credentials, so it cannot name its app: it is answered for an origin that at least one
app allows for that family. An answer names the origin only when the app it served allows it; routes that
learn their app from a credential say so with :func:`note_app`, credential-less ones (surveys' clicks, whose
id is the capability) answer like a preflight."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import Scope

from ..config import cache as configcache
from ..family import Family
from ..tenancy.apps import App
from .arrival import Arrival
from .idempotency import HEADER
from .routing import methods_of

APP_KEY = "clicktrail.app"  # scope key: the app a credential named, for the answer's CORS headers
MAX_AGE = "600"  # seconds a browser may reuse a preflight; config changes count within that
PATHS_KEPT = 4096  # paths whose zone the edge remembers
NOSNIFF = (b"x-content-type-options", b"nosniff")
# A page without a policy of its own loads nothing and runs nothing.
NO_FRAMING = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
)
# Page URLs carry capabilities (a click id, an app token): links followed from a page must not leak them.
NO_REFERRER = (b"referrer-policy", b"no-referrer")


def note_app(request: Request, app_id: str) -> None:
    """The request's app is known (from its credential): its answer follows that app's CORS origins."""
    request.scope[APP_KEY] = app_id


@dataclass(frozen=True)
class OriginPolicy:
    """Who may call each family from a browser: per app (explicit or the family's default), and the union
    over all apps (for preflights and credential-less routes)."""

    by_app: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    union: dict[str, frozenset[str]] = field(default_factory=dict)

    def allowed(self, family: str, app_id: str | None) -> frozenset[str] | tuple[str, ...]:
        if app_id is not None and app_id in self.by_app:
            return self.by_app[app_id].get(family, ())
        return self.union.get(family, frozenset())


def build_policy(configs: dict[str, dict[str, Any]], families: Sequence[Family]) -> OriginPolicy:
    """From each app's stored ``cors`` section (absent: every family's default)."""
    browser = [f for f in families if f.browser is not None]
    by_app: dict[str, dict[str, tuple[str, ...]]] = {}
    union: dict[str, set[str]] = {f.name: set() for f in browser}
    for app_id, cors in configs.items():
        allowed = {}
        for fam in browser:
            spec = (cors or {}).get(fam.name)
            origins = tuple(spec["allowed_origins"]) if spec is not None else fam.browser.default_origins  # type: ignore[union-attr]
            allowed[fam.name] = origins
            union[fam.name].update(origins)
        by_app[app_id] = allowed
    return OriginPolicy(by_app, {name: frozenset(origins) for name, origins in union.items()})


class OriginCache:
    """The policy of every app, kept in memory: re-read at most once per ``ttl`` seconds (only the apps
    whose config version moved), and at once after an apply in this process."""

    def __init__(self, sessions: sessionmaker[Session], families: Sequence[Family], ttl: float):
        self.sessions, self.families, self.ttl = sessions, families, ttl
        self.policy: OriginPolicy | None = None
        self._versions: dict[str, Any] = {}
        self._configs: dict[str, dict[str, Any]] = {}
        self._checked_at = 0.0
        self._generation = -1
        self._lock = threading.Lock()

    def fresh(self) -> OriginPolicy | None:
        """The policy when it needs no reload (no I/O), else None."""
        if self._generation != configcache.generation() or time.monotonic() - self._checked_at >= self.ttl:
            return None
        return self.policy

    def load(self) -> OriginPolicy:
        with self._lock, self.sessions() as session:
            generation = configcache.generation()
            versions = {a: v for a, v in session.execute(select(App.id, App.updated_at))}
            stale = [a for a, v in versions.items() if self._versions.get(a) != v]
            if generation != self._generation:
                stale = list(versions)
            if stale or set(versions) != set(self._versions) or self.policy is None:
                rows = session.execute(select(App.id, App.config).where(App.id.in_(stale)))
                configs = {a: c for a, c in self._configs.items() if a in versions}
                configs.update({a: (c or {}).get("cors") or {} for a, c in rows})
                self._configs, self._versions = configs, versions
                self.policy = build_policy(configs, self.families)
            self._checked_at, self._generation = time.monotonic(), generation
            return self.policy


@dataclass(frozen=True)
class Zone:
    """What the edge knows of one family's paths."""

    family: Family
    headers: tuple[tuple[bytes, bytes], ...]

    def owns(self, path: str) -> bool:
        return self.family.owns(path) or self.browser_path(path)

    def browser_path(self, path: str) -> bool:
        browser = self.family.browser
        return browser is not None and any(
            path == p or path.startswith(p.rstrip("/") + "/") for p in browser.paths
        )


class Edge:
    def __init__(self, families: Iterable[Family]):
        self.zones = tuple(
            Zone(f, tuple((k.lower().encode(), v.encode()) for k, v in f.headers)) for f in families
        )
        self.origins: OriginCache | None = None  # set in the lifespan, once sessions exist
        self.routes: tuple[BaseRoute, ...] = ()  # every route, for the methods OPTIONS names
        self._zone_of_path: dict[str, tuple[Zone | None, bool]] = {}

    def _place(self, path: str) -> tuple[Zone | None, bool]:
        """(the zone owning ``path``, whether it is a browser path), remembered: a hot route's path comes
        again and again. Paths with ids in them are many, so the memory starts over when it is full."""
        known = self._zone_of_path.get(path)
        if known is not None:
            return known
        zone = next((z for z in self.zones if z.owns(path)), None)
        place = (zone, zone is not None and zone.browser_path(path))
        if len(self._zone_of_path) >= PATHS_KEPT:
            self._zone_of_path.clear()
        self._zone_of_path[path] = place
        return place

    async def policy(self) -> OriginPolicy:
        if self.origins is None:
            raise RuntimeError("the edge serves no origin policy before the app has started")
        policy = self.origins.fresh()
        return policy if policy is not None else await run_in_threadpool(self.origins.load)

    async def prepare(self, arrival: Arrival) -> tuple[Zone | None, OriginPolicy | None]:
        """Before a request is answered: the zone its path is in, and the origin policy when its answer
        may need CORS headers (a browser path, an Origin sent)."""
        zone, browser = self._place(arrival.path)
        policy = await self.policy() if browser and arrival.origin is not None else None
        return zone, policy

    def dress(self, headers: list[tuple[bytes, bytes]], status: int, scope: Scope, arrival: Arrival,
              zone: Zone | None, policy: OriginPolicy | None) -> None:  # fmt: skip
        """The answer's head (``headers``, changed in place), with its security and CORS headers."""
        _add_security(headers, zone.headers if zone is not None else ())
        if status == 405:  # the path as it came, before a mount rewrote it
            path, root_path = arrival.path, arrival.root_path
            asked = {"type": "http", "path": path, "root_path": root_path, "method": "OPTIONS"}
            _set_allow(headers, asked, self.routes)
        if policy is not None and zone is not None:
            allowed = policy.allowed(zone.family.name, scope.get(APP_KEY))
            headers.extend(_cors(arrival.origin, allowed))  # type: ignore[arg-type]

    async def options(self, scope: Scope, arrival: Arrival) -> Response | None:
        """The answer to ``OPTIONS`` on a path some route answers (a preflight or not); None otherwise."""
        methods = methods_of(scope, self.routes)
        if not methods:
            return None
        allow = ", ".join(sorted(methods | {"OPTIONS"}))
        headers = {"Allow": allow}
        path, origin = arrival.path, arrival.origin
        zone, browser = self._place(path)
        if origin is not None and arrival.preflight and zone is not None and browser:
            allowed = (await self.policy()).allowed(zone.family.name, None)
            if "*" in allowed or origin in allowed:  # dress() adds Allow-Origin, as on any answer
                access = zone.family.browser
                assert access is not None
                headers["Access-Control-Allow-Methods"] = allow
                # A page may retry its writes as any client does (core.web.idempotency).
                headers["Access-Control-Allow-Headers"] = ", ".join((*access.request_headers, HEADER))
                headers["Access-Control-Max-Age"] = MAX_AGE
        return Response(status_code=204, headers=headers)


def _add_security(headers: list[tuple[bytes, bytes]], extra: tuple[tuple[bytes, bytes], ...]) -> None:
    """nosniff, the family's headers and, for HTML, no framing: each unless the route set its own."""
    present = {k.lower() for k, _ in headers}
    wanted = [NOSNIFF, *extra]
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    policy = next((v for k, v in headers if k.lower() == b"content-security-policy"), b"")
    if content_type.startswith(b"text/html"):
        wanted.append(NO_REFERRER)
    if content_type.startswith(b"text/html") and b"frame-ancestors" not in policy:
        wanted.extend(NO_FRAMING)  # a page that names its own frame-ancestors (the offerwall) chose
    for key, value in wanted:
        if key not in present:
            headers.append((key, value))
            present.add(key)


def _set_allow(headers: list[tuple[bytes, bytes]], scope: Scope, routes: Sequence[BaseRoute]) -> None:
    """A 405 names what the path does answer (RFC 9110): every route's methods on it, not only the first
    route the router met; a mount (the docs' assets) says its own."""
    methods = methods_of(scope, routes)
    if not methods:
        return
    allow = ", ".join(sorted(methods | {"OPTIONS"})).encode()
    headers[:] = [(k, v) for k, v in headers if k.lower() != b"allow"] + [(b"allow", allow)]


def _cors(origin: str, allowed: frozenset[str] | tuple[str, ...]) -> list[tuple[bytes, bytes]]:
    if "*" in allowed:
        return [(b"access-control-allow-origin", b"*")]
    if not allowed:
        return []
    vary = (b"vary", b"Origin")  # the answer depends on the caller's origin: caches must key on it
    if origin in allowed:
        return [(b"access-control-allow-origin", origin.encode("latin-1")), vary]
    return [vary]
