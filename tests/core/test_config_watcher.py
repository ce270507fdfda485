"""ConfigWatcher: a committed config change reaches ``on_change`` within a second, and a watcher whose
connection is cut opens another and goes on (a change it may have missed counts as one)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from clicktrail.core.config.cache import CHANNEL, ConfigWatcher, announce
from clicktrail.core.storage.db import create_db_engine, make_sessionmaker


@pytest.fixture
def engine(database_url: str):
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


def watched(engine) -> tuple[ConfigWatcher, threading.Event]:
    seen = threading.Event()
    watcher = ConfigWatcher(engine, (seen.set,))
    watcher.start()
    assert seen.wait(5), "a new watcher tells of changes it may have missed"
    seen.clear()
    return watcher, seen


def commit_a_change(engine) -> None:
    """What another process's apply commits (this process's own are skipped: its code dropped its caches)."""
    with engine.begin() as conn:
        if not conn.execute(text("UPDATE config_version SET version = version + 1 WHERE id = 1")).rowcount:
            conn.execute(text("INSERT INTO config_version (id, version) VALUES (1, 1)"))  # emptied by a test
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_notify('{CHANNEL}', '')"))


def test_a_committed_change_is_seen_within_a_second(engine):
    watcher, seen = watched(engine)
    try:
        assert not seen.wait(0.5), "nothing changed"
        commit_a_change(engine)
        assert seen.wait(1.0)
        seen.clear()
        with make_sessionmaker(engine)() as session, session.begin():
            announce(session)
            session.rollback()
        assert not seen.wait(0.5), "a change rolled back is no change"
    finally:
        watcher.stop()


def test_a_watcher_whose_connection_is_cut_reconnects(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("a SQLite file cannot be cut off")
    watcher, seen = watched(engine)
    try:
        with engine.begin() as conn:
            cut = conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND query LIKE '%FROM config_version%'"
                    " AND pid <> pg_backend_pid()"
                )
            ).all()
        assert cut, "the watcher's connection was found"
        assert seen.wait(5), "the watcher came back, and counted the gap as a change"
        seen.clear()
        commit_a_change(engine)
        assert seen.wait(1.0)
    finally:
        watcher.stop()
