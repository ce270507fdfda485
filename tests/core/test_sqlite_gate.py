"""The writer gate on real SQLite files: a process's write transactions take turns at its gate (never at
SQLite's busy handler), a transaction's own commit, rollback or close hands the gate on, a savepoint's
does not, and the dialect keeps its own commit and rollback."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import IntegrityError

from clicktrail.core.storage.db import create_db_engine

INSERT = text("INSERT INTO items (id) VALUES (:id)")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "gate.db"


@pytest.fixture
def engine(path: Path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY)"))
    yield engine
    engine.dispose()


def raw(conn: Connection) -> Any:
    return conn.connection.dbapi_connection


def ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM items ORDER BY id")).scalars())


def test_two_threads_write_in_turn_at_the_gate(engine: Engine, path: Path) -> None:
    """With SQLite's busy timeout at zero, a second BEGIN IMMEDIATE that met the first transaction's lock
    would fail at once ("database is locked"): the second thread's transaction succeeds, begun only after
    the first committed, because it waited at the gate."""
    event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA busy_timeout=0"))
    engine.dispose()  # the fixture's connection was opened without it
    first_began, first_ends = threading.Event(), [0.0]
    seen: dict[str, Any] = {}
    errors: list[BaseException] = []

    def first() -> None:
        with engine.begin() as conn:
            conn.execute(INSERT, {"id": 1})
            ungated = sqlite3.connect(path, timeout=0, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="locked"):  # refused at once
                ungated.execute("BEGIN IMMEDIATE")
            ungated.close()
            first_began.set()
            time.sleep(0.3)
            first_ends[0] = time.monotonic()

    def second() -> None:
        first_began.wait(5)
        with engine.begin() as conn:
            seen["began"] = time.monotonic()
            seen["ids"] = list(conn.execute(text("SELECT id FROM items")).scalars())
            conn.execute(INSERT, {"id": 2})

    def run(target: Any) -> None:
        try:
            target()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(target,)) for target in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert seen["began"] >= first_ends[0]
    assert seen["ids"] == [1]
    assert ids(engine) == [1, 2]


def test_a_rollback_hands_the_gate_on(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(INSERT, {"id": 1})
        gate = raw(conn).gate
        assert gate.holder is raw(conn)
        conn.rollback()
        assert gate.holder is None
    assert ids(engine) == []


def test_a_failed_statement_hands_the_gate_on_once_rolled_back(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(INSERT, {"id": 1})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        gate = raw(conn).gate
        conn.execute(INSERT, {"id": 2})
        conn.execute(INSERT, {"id": 1})
    assert gate.holder is None
    with engine.begin() as conn:  # the next transaction is let through
        conn.execute(INSERT, {"id": 3})
    assert ids(engine) == [1, 3]


def test_a_connection_given_back_or_invalidated_hands_the_gate_on(engine: Engine) -> None:
    conn = engine.connect()
    conn.execute(INSERT, {"id": 1})
    gate = raw(conn).gate
    conn.close()  # the pool's reset rolls it back
    assert gate.holder is None
    conn = engine.connect()
    conn.execute(INSERT, {"id": 2})
    conn.invalidate()  # the pool closes it
    assert gate.holder is None
    conn.close()
    assert ids(engine) == []


def test_a_savepoints_rollback_keeps_the_gate(engine: Engine) -> None:
    with engine.begin() as conn:
        gated = raw(conn)
        conn.execute(INSERT, {"id": 1})
        savepoint = conn.begin_nested()
        conn.execute(INSERT, {"id": 2})
        savepoint.rollback()
        assert gated.gate.holder is gated
        with pytest.raises(IntegrityError), conn.begin_nested():
            conn.execute(INSERT, {"id": 1})
        assert gated.gate.holder is gated
        with conn.begin_nested():  # released
            conn.execute(INSERT, {"id": 3})
        assert gated.gate.holder is gated
    assert gated.gate.holder is None
    assert ids(engine) == [1, 3]


def test_each_engine_has_its_own_gate(engine: Engine, tmp_path: Path) -> None:
    other = create_db_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with engine.connect() as one, other.connect() as two:
            assert raw(one).gate is not raw(two).gate
    finally:
        other.dispose()


def test_the_dialect_keeps_its_own_commit_and_rollback(engine: Engine) -> None:
    dialect = engine.dialect
    assert "do_commit" not in vars(dialect)
    assert "do_rollback" not in vars(dialect)
    assert dialect.do_commit.__func__ is type(dialect).do_commit  # type: ignore[attr-defined]
    assert dialect.do_rollback.__func__ is type(dialect).do_rollback  # type: ignore[attr-defined]
