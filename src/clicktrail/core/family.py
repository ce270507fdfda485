"""What a family hands the app: its routes, its error envelope, its config section and its migrations.

The top layer (``clicktrail.app``, ``clicktrail.apply``, ``clicktrail.cli``) collects families; core never
imports one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from .web.errors import ClicktrailError

if TYPE_CHECKING:
    from .journeys.outbox import SigningSecret
    from .journeys.privacy import Purged
    from .journeys.rollups import Measures

# Renders one error in the family's vendor envelope; status is the default from core.errors.status_of.
Renderer = Callable[[Request, ClicktrailError, int], Response]
# Erases one person of an app (``erase(session, app_id=, user_id=) -> privacy.Erased``) in the caller's
# transaction; purges personal data older than a time
# (``purge(session, app_id=, before=) -> privacy.Purged``: rows anonymized and removed, apart).
Eraser = Callable[..., Any]
Purger = Callable[..., "Purged"]
# Row retention's last step: deletes at most ``limit`` rows that only stood for timed rows now gone
# (``expire(conn, cutoff=, limit=) -> {table: rows}``); called again while a table gives ``limit``.
Expirer = Callable[..., dict[str, int]]
# Applies a validated config section of one app inside the caller's transaction; returns what changed.
Applier = Callable[..., list[str]]


@dataclass(frozen=True)
class QrContent:
    """What the QR code of one of a family's things holds. ``served_here``: ``location`` is a path of this
    server ("/smart-engage/scan/…"), made absolute on ``CLICKTRAIL_PUBLIC_URL``; else it is an absolute URL
    elsewhere (a broker's registration page)."""

    location: str
    served_here: bool


# The QR code of one thing of an app, in the caller's transaction (``content(session, app_id=,
# thing_id=) -> QrContent``); raises NotFound for a thing the app does not have.
QrSource = Callable[..., QrContent]


@dataclass(frozen=True)
class BrowserAccess:
    """The routes of a family that browsers call (CORS): their path prefixes, the request headers a page may
    send them, and who may call when an app names no origins (the vendor's documented answer, if any)."""

    paths: tuple[str, ...]
    request_headers: tuple[str, ...]
    default_origins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Family:
    name: str
    router: APIRouter
    render_error: Renderer
    prefixes: tuple[str, ...] = ()  # paths this family answers, so unmatched ones get its envelope
    config_model: type[BaseModel] | None = None
    apply: Applier | None = None
    migrations: Path | None = None  # an Alembic versions folder with its own branch label
    browser: BrowserAccess | None = None  # None: no CORS, whatever the config says
    headers: tuple[tuple[str, str], ...] = ()  # every answer on the family's paths carries these
    erase: Eraser | None = None  # DELETE /admin/v1/apps/{app}/users/{user_id}
    purge: Purger | None = None  # the app's privacy.personal_data_days
    measures: Measures | None = None  # its metrics, rollups, funnel steps and export (core.rollups)
    # (table, time column) of its fastest-growing tables: partitioned by month on PostgreSQL
    # (core.partitions), rows older than CLICKTRAIL_ROW_RETENTION_DAYS deleted (core.retention.expire)
    timed: tuple[tuple[str, str], ...] = ()
    expire: Expirer | None = None
    # Path parameters the access log shows as ``*``: capabilities and people's identifiers (a query
    # string's values are masked always).
    private_path_params: tuple[str, ...] = ()
    # (outbox topic, the app's secret that signs its messages): every message the family sends is signed
    # the way webhooks are (core.signing), with the secret its config has when the message is sent.
    signing: tuple[tuple[str, SigningSecret], ...] = ()
    # Things a QR code can point at, by their kind in the admin API's path ("campaigns"):
    # GET /admin/v1/apps/{app}/{family}/{kind}/{id}/qr.svg (admin.qr).
    qr_codes: tuple[tuple[str, QrSource], ...] = ()

    def owns(self, path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip("/") + "/") for p in self.prefixes)
