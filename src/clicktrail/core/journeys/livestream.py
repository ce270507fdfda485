"""Waking live readers of the event log when events commit, in this process or any other.

One :class:`EventBell` per server process, whatever the number of readers: on PostgreSQL one connection
``LISTEN``s on ``CHANNEL`` (the transaction that appends an app's events notifies with the app's id, so
the notification arrives exactly when they commit); on SQLite one connection reads the log's highest id
every ``POLL_SECONDS``. Each wake-up is fanned out to the readers of that app, who then read what is new
from the log themselves (by id, on a pooled connection they give back at once): an idle reader holds no
connection, and a missed wake-up only delays, never loses, an event."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from ..storage.db import watcher_connection

log = logging.getLogger("clicktrail.events")

CHANNEL = "clicktrail_events"  # PostgreSQL's NOTIFY channel; the payload is the app's id
POLL_SECONDS = 0.25  # SQLite: how often the bell reads the log's highest id
ANY_APP = ""


def notify_in_batch(tx: Any, app_id: str) -> None:
    """In a writer batch that appends ``app_id``'s events: notify once, as the batch commits."""
    if tx.dialect.name == "postgresql":
        tx.gather(_notify_batch, app_id)


def _notify_batch(tx: Any, apps: list[str]) -> None:
    _notify(tx.connection, set(apps))


def notify_in_session(session: Session, app_id: str) -> None:
    """In the caller's transaction that appends ``app_id``'s events (delivered when it commits)."""
    if session.get_bind().dialect.name == "postgresql":
        _notify(session, {app_id})


def _notify(conn: Any, apps: set[str]) -> None:
    for app_id in apps:
        conn.execute(text("SELECT pg_notify(:channel, :app)"), {"channel": CHANNEL, "app": app_id})


class EventBell:
    """Wakes the subscribers of an app (on their event loops) when new events of it may have committed.
    The watching thread starts with the first subscriber and runs until :meth:`stop`."""

    def __init__(self, engine: Engine, poll_seconds: float = POLL_SECONDS):
        self.engine, self.poll_seconds = engine, poll_seconds
        self._subscribers: dict[asyncio.Event, tuple[str, asyncio.AbstractEventLoop]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @contextmanager
    def subscription(self, app_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever ``app_id`` may have new events (clear it before reading the log)."""
        woken = asyncio.Event()
        with self._lock:
            self._subscribers[woken] = (app_id, asyncio.get_running_loop())
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="clicktrail-event-bell", daemon=True)
                self._thread.start()
        try:
            yield woken
        finally:
            with self._lock:
                del self._subscribers[woken]

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def ring(self, app_id: str = ANY_APP) -> None:
        """Wake the subscribers of ``app_id`` (every one for ``ANY_APP``), from any thread."""
        with self._lock:
            targets = [
                (woken, loop) for woken, (app, loop) in self._subscribers.items() if app_id in (ANY_APP, app)
            ]
        for woken, loop in targets:
            with suppress(RuntimeError):  # its loop has closed: the subscription ends with it
                loop.call_soon_threadsafe(woken.set)

    def _run(self) -> None:
        failing = False
        while not self._stop.is_set():
            try:
                self._watch()
            except Exception as exc:  # the database went away: try again shortly, saying so once
                if not failing:
                    log.warning("event bell: %s; retrying every second", type(exc).__name__)
                failing = True
                self._stop.wait(1.0)

    def _watch(self) -> None:
        with self._connection() as wait:
            self.ring()  # whatever committed before this connection watched
            while not self._stop.is_set():
                for app_id in wait():
                    self.ring(app_id)

    @contextmanager
    def _connection(self) -> Iterator[Callable[[], list[str]]]:
        """A function that waits for the next commits and returns their apps (``ANY_APP``: unknown), on
        an autocommit connection of its own (no snapshot held, no pool slot taken)."""
        postgres = self.engine.dialect.name == "postgresql"
        conn = watcher_connection(self.engine)
        try:
            if postgres:
                conn.execute(f"LISTEN {CHANNEL}")
                yield lambda: [note.payload for note in conn.notifies(timeout=1.0, stop_after=1)]
            else:
                yield self._poller(conn)
        finally:
            conn.close()

    def _poller(self, conn: Any) -> Callable[[], list[str]]:
        last = _highest_id(conn)

        def wait() -> list[str]:
            nonlocal last
            self._stop.wait(self.poll_seconds)
            highest = _highest_id(conn)
            if highest == last:
                return []
            last = highest
            return [ANY_APP]

        return wait


def _highest_id(conn: Any) -> int:
    row = conn.execute("SELECT max(id) FROM journey_events").fetchone()
    return int(row[0] or 0)
