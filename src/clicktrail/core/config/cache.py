"""What config defines (link catalogs, campaigns, survey definitions, programs), kept in memory per process.

Each app's entries are keyed by the app's config version (``apps.updated_at``, moved by every apply that
changes the app). An apply made by this process drops every entry at once; one made by another process (or
machine) moves the ``config_version`` row in its transaction, which each server process's
:class:`ConfigWatcher` sees within ``WATCH_SECONDS`` (PostgreSQL: at once, by ``LISTEN``) and then drops
every entry too. Beyond that, a process re-reads an app's version at most once per ``ttl`` seconds. Hot
routes call :meth:`ConfigCache.peek` (no I/O) and, when it says so, :meth:`ConfigCache.get` off the event
loop."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from ..storage.db import watcher_connection
from ..tenancy.apps import App

log = logging.getLogger("clicktrail.config")
T = TypeVar("T")
Loader = Callable[[Session, str], T]

_generation = 0  # moved by every local apply: every cache of this process starts afresh


def generation() -> int:
    """Moves with every local apply (for caches kept outside :class:`ConfigCache`)."""
    return _generation


def invalidate_all() -> None:
    """Called after this process committed a config change, or saw another process commit one."""
    global _generation
    _generation += 1


ANNOUNCED = "clicktrail.config_version"  # session.info: the version this transaction moved to
_watchers: set[ConfigWatcher] = set()  # this process's running watchers (one per app; tests make many)
CHANNEL = "clicktrail_config"  # PostgreSQL's NOTIFY channel of config changes
WATCH_SECONDS = 0.2  # how often a watcher reads the version row (SQLite; PostgreSQL between notifications)


def announce(session: Session) -> None:
    """In the transaction of a config change: move the version row (and, on PostgreSQL, notify), so every
    process drops what it cached once this commits."""
    moved = session.execute(
        text("UPDATE config_version SET version = version + 1 WHERE id = 1 RETURNING version")
    ).scalar()
    if moved is None:  # a database whose row was deleted
        session.execute(text("INSERT INTO config_version (id, version) VALUES (1, 1)"))
    session.info[ANNOUNCED] = int(moved or 1)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    """This process's watcher need not drop its caches again for a change of its own: the change's code
    already did (apply's ``invalidate_all``, the credential cache's clear)."""
    version = session.info.pop(ANNOUNCED, None)
    if version is not None:
        url = session.get_bind().engine.url
        for watcher in list(_watchers):
            if watcher.engine.url == url:
                watcher.own.add(version)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(ANNOUNCED, None)


class ConfigWatcher:
    """A thread that calls each of ``on_change`` when another process commits a config change: on its own
    connection, it reads the version row every ``WATCH_SECONDS``, and on PostgreSQL wakes at once on a
    notification. A lost connection is opened again (then ``on_change``: a change may have been missed)."""

    def __init__(self, engine: Engine, on_change: Sequence[Callable[[], None]]):
        self.engine, self.on_change = engine, on_change
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False  # since the last connection that worked
        self.own: set[int] = set()  # versions this process committed: its own code dropped its caches
        self.watching = threading.Event()  # set once the first connection has read and dropped the caches

    def start(self) -> None:
        _watchers.add(self)
        self._thread = threading.Thread(target=self._run, name="clicktrail-config-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        _watchers.discard(self)
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._watch()
            except Exception as exc:  # the database went away: try again shortly, saying so once
                level = logging.DEBUG if self._failing else logging.WARNING
                log.log(level, "config watcher: %s; retrying every second", type(exc).__name__)
                self._failing = True
                self._stop.wait(1.0)

    def _watch(self) -> None:
        with self._connection() as (read, wait):
            last = read()
            self._changed()  # anything committed before this connection watched
            self.watching.set()
            if self._failing:
                log.info("config watcher: watching again")
                self._failing = False
            while not self._stop.is_set():
                wait(WATCH_SECONDS)
                version = read()
                if version != last:
                    # (no row is version 0: a database emptied under a running server, in tests)
                    if not (version in self.own and version == (last or 0) + 1):
                        self._changed()  # another process's change, or ours after one we missed
                    self.own.discard(version)
                    last = version

    def _changed(self) -> None:
        for call in self.on_change:
            call()

    @contextmanager
    def _connection(self) -> Iterator[tuple[Callable[[], Any], Callable[[float], None]]]:
        """(read the version, wait up to N seconds): on an autocommit connection of its own, so no read
        holds a snapshot (SQLite's log could not be checkpointed past it) and no pool slot is taken."""
        postgres = self.engine.dialect.name == "postgresql"
        conn = watcher_connection(self.engine)
        try:

            def read() -> Any:
                row = conn.execute("SELECT version FROM config_version WHERE id = 1").fetchone()
                return row[0] if row else None

            def wait(seconds: float) -> None:
                if not postgres:
                    self._stop.wait(seconds)
                    return
                for _ in conn.notifies(timeout=seconds, stop_after=1):
                    pass

            if postgres:
                conn.execute(f"LISTEN {CHANNEL}")
            yield read, wait
        finally:
            conn.close()


@dataclass
class _AppEntry:
    version: datetime | None
    checked_at: float
    generation: int
    refreshing: bool = False
    values: dict[Callable[..., Any], Any] = field(default_factory=dict)


class ConfigCache:
    def __init__(self, sessions: sessionmaker[Session], ttl: float):
        self.sessions = sessions
        self.ttl = ttl
        self._apps: dict[str, _AppEntry] = {}
        self._lock = threading.Lock()
        self.hits = 0  # peeks answered from memory (for /metrics; unlocked, like CredentialCache's)
        self.misses = 0  # reads of the database

    def peek(self, app_id: str, loader: Loader[T]) -> tuple[T | None, bool]:
        """(value, whether this caller must call :meth:`get`), with no I/O. When the value is only stale
        by age, one caller is told to refresh it and the others keep using it meanwhile."""
        entry = self._apps.get(app_id)
        value = entry.values.get(loader) if entry is not None else None
        if entry is None or value is None or entry.generation != _generation:
            return None, True
        if time.monotonic() - entry.checked_at < self.ttl:
            self.hits += 1
            return value, False
        with self._lock:
            if entry.refreshing:
                return value, False
            entry.refreshing = True
        return value, True

    def get(self, app_id: str, loader: Loader[T]) -> T:
        """The value, re-reading the app's version (and, if it moved, the value)."""
        self.misses += 1
        generation = _generation  # before the read: a change seen meanwhile leaves this entry stale
        with self.sessions() as session:
            entry = self._revalidate(session, app_id, generation)
            try:
                if loader not in entry.values:
                    entry.values[loader] = loader(session, app_id)
                return entry.values[loader]
            finally:
                entry.refreshing = False

    def _revalidate(self, session: Session, app_id: str, generation: int) -> _AppEntry:
        version = session.scalar(select(App.updated_at).where(App.id == app_id))
        if version is None:  # no such app: nothing to keep (so unknown ids cannot fill the cache)
            return _AppEntry(None, time.monotonic(), generation)
        with self._lock:
            entry = self._apps.get(app_id)
            if entry is None or entry.version != version or entry.generation != generation:
                entry = _AppEntry(version, time.monotonic(), generation)
                self._apps[app_id] = entry
            else:
                entry.checked_at = time.monotonic()
            return entry
