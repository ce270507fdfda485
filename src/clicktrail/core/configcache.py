"""What config defines (link catalogs, campaigns, survey definitions, programs), kept in memory per process.

Each app's entries are keyed by the app's config version (``apps.updated_at``, moved by every apply that
changes the app). A process re-reads that version at most once per ``ttl`` seconds per app, so a change
applied by another process takes effect here within ``ttl``; an apply made by this process drops every
entry at once. Hot routes call :meth:`ConfigCache.peek` (no I/O) and, when it says so,
:meth:`ConfigCache.get` off the event loop."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .tenancy import App

T = TypeVar("T")
Loader = Callable[[Session, str], T]

_generation = 0  # moved by every local apply: every cache of this process starts afresh


def generation() -> int:
    """Moves with every local apply (for caches kept outside :class:`ConfigCache`)."""
    return _generation


def invalidate_all() -> None:
    """Called after this process committed a config change."""
    global _generation
    _generation += 1


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
        with self.sessions() as session:
            entry = self._revalidate(session, app_id)
            try:
                if loader not in entry.values:
                    entry.values[loader] = loader(session, app_id)
                return entry.values[loader]
            finally:
                entry.refreshing = False

    def _revalidate(self, session: Session, app_id: str) -> _AppEntry:
        version = session.scalar(select(App.updated_at).where(App.id == app_id))
        if version is None:  # no such app: nothing to keep (so unknown ids cannot fill the cache)
            return _AppEntry(None, time.monotonic(), _generation)
        with self._lock:
            entry = self._apps.get(app_id)
            if entry is None or entry.version != version or entry.generation != _generation:
                entry = _AppEntry(version, time.monotonic(), _generation)
                self._apps[app_id] = entry
            else:
                entry.checked_at = time.monotonic()
            return entry
