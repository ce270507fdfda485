"""Plain helpers for tests (fixtures live in conftest.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, inspect, text

from clicktrail.core.storage.db import normalize_url

ADMIN_TOKEN = "test-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
# The loopback `receiver` (and the loopback URLs test documents name) are internal addresses: a test server
# reaches them only as an operator's CLICKTRAIL_OUTBOUND_ALLOW lets it.
LOOPBACK = "127.0.0.0/8,::1/128"


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


BACKGROUND_THREADS = frozenset(
    {"clicktrail-outbox", "clicktrail-retention", "clicktrail-config-watcher", "clicktrail-event-bell"}
)


@contextmanager
def statements(client: TestClient, words: int | None = 1) -> Iterator[list[str]]:
    """The statements the app's engine runs inside the block (transaction control left out, but not the
    writer's savepoint before a job's first write: it is a round trip), each cut to its first ``words``
    words, upper-cased (``None``: whole)."""
    seen: list[str] = []
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    # the config watcher's first read drops every cache once: let it happen before, not inside, the block
    client.app.state.config_watcher.watching.wait(10)  # type: ignore[attr-defined]

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        # (the live stream's wake-up, one NOTIFY a writer batch on PostgreSQL, is no work of the request;
        # nor are the polls of the background threads, whose timing a loaded machine shifts into a block)
        skipped = ("BEGIN", "SAVEPOINT SA_", "RELEASE", "PRAGMA", "SELECT PG_NOTIFY(")
        if threading.current_thread().name in BACKGROUND_THREADS:
            return
        if not statement.lstrip().upper().startswith(skipped):
            seen.append(statement if words is None else " ".join(statement.split()[:words]).upper())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    body: bytes
    headers: dict[str, str]


class Receiver:
    """A tiny HTTP server on loopback that records requests and answers with ``status``."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.received.append(Received(self.command, self.path, body, dict(self.headers.items())))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def requests(self) -> list[tuple[str, str, bytes]]:
        return [(r.method, r.path, r.body) for r in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The first ``count`` requests, waiting for them up to ``timeout`` seconds."""
        return wait_until(lambda: self.received[:count] if len(self.received) >= count else None, timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_until(probe: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll ``probe`` until it returns something truthy (returned), failing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"nothing after {timeout} s")


@contextmanager
def scratch_postgres(admin_url: str, prefix: str) -> Iterator[str]:
    """A new, migrated PostgreSQL database on ``admin_url``'s server (its URL), dropped afterwards."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    from clicktrail.core.storage.migrate import upgrade
    from clicktrail.families import migration_dirs

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = make_url(admin_url)
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url, migration_dirs())
        yield url
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
