"""Retention: for every app whose ``privacy.personal_data_days`` is set, purge the raw personal data older
than that many days and keep what the statistics need. Each family purges its own tables
(``Family.purge``, which documents what it nulls or deletes); the core deletes the app's outbox messages
that are no longer pending (delivered or given up: their URLs and bodies can name people). Journey events
stay, with their type, time and pseudonymous ids; a family nulls any raw personal data in their payloads.

Purging is idempotent: a second run changes nothing. It runs from ``clicktrail purge`` and, in every server
process, from a background thread (``CLICKTRAIL_RETENTION_INTERVAL_SECONDS``, 0 turns it off); runs of
several processes at once are safe (each step is a conditional UPDATE or DELETE)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from .family import Family
from .ids import utcnow
from .outbox import OutboxMessage
from .privacy import privacy_of
from .tenancy import App, tenant

log = logging.getLogger("clicktrail.retention")


def purge(
    sessions: sessionmaker[Session], families: Sequence[Family], *, now: datetime | None = None
) -> dict[str, Any]:
    """Purge every app that sets a retention; one transaction per app. Returns, per app, the cutoff and
    the rows changed per family and table."""
    now = now or utcnow()
    with sessions() as session:
        apps = session.execute(select(App.id, App.config).order_by(App.id)).all()
    report: dict[str, Any] = {}
    for app_id, config in apps:
        days = privacy_of(config or {}).personal_data_days
        if days:
            before = now - timedelta(days=days)
            report[app_id] = {"before": before, "removed": purge_app(sessions, families, app_id, before)}
    return report


def purge_app(
    sessions: sessionmaker[Session], families: Sequence[Family], app_id: str, before: datetime
) -> dict[str, dict[str, int]]:
    removed: dict[str, dict[str, int]] = {}
    with sessions() as session, session.begin():
        for family in families:
            if family.purge is not None:
                removed[family.name] = family.purge(session, app_id=app_id, before=before)
        settled = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
            delete(OutboxMessage)
            .where(
                tenant(OutboxMessage, app_id),
                OutboxMessage.status != "pending",
                OutboxMessage.created_at < before,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        removed["core"] = {"outbox": settled}
    return removed


class RetentionWorker:
    """A daemon thread per server process that purges every ``interval`` seconds, first at start."""

    def __init__(self, sessions: sessionmaker[Session], families: Sequence[Family], interval: float):
        self.sessions = sessions
        self.families = tuple(families)
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="clicktrail-retention", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                purge(self.sessions, self.families)
            except Exception:  # keep purging after a database hiccup
                log.exception("retention purge failed")
            self._stop.wait(self.interval)
