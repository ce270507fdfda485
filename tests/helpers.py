"""Plain helpers for tests (fixtures live in conftest.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, inspect, text

from clicktrail.core.db import normalize_url

ADMIN_TOKEN = "test-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def configure(client: TestClient, document: dict[str, Any]) -> dict[str, Any]:
    """Apply a config document through the admin API, as an operator would."""
    response = client.put("/admin/v1/config", json=document, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def snapshot(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: for asserting that nothing changed."""
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return {
                table: sorted(
                    (tuple(map(repr, row)) for row in conn.execute(text(f'SELECT * FROM "{table}"'))),
                )
                for table in inspect(conn).get_table_names()
            }
    finally:
        engine.dispose()


@contextmanager
def statements(client: TestClient, words: int | None = 1) -> Iterator[list[str]]:
    """The statements the app's engine runs inside the block (transaction control left out), each cut to
    its first ``words`` words, upper-cased (``None``: whole)."""
    seen: list[str] = []
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            seen.append(statement if words is None else " ".join(statement.split()[:words]).upper())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
