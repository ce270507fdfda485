"""The tenancy guard: every statement the application runs on a tenant table (one with an ``app_id``
column) must be scoped to one app, through ``core.tenancy.tenant`` (which names ``<table>.app_id``).

Installed for the whole test run (``tests/conftest.py``): a statement that reads, changes or deletes
tenant rows without naming the table's ``app_id`` fails the test that caused it. The few statements
that cross apps on purpose are listed in ``CROSS_TENANT`` with the reason."""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

from sqlalchemy import Engine, event

from clicktrail.core.db import Base

TENANT_TABLES = {table.name for table in Base.metadata.tables.values() if "app_id" in table.c}
WORDS = re.compile(r'"?([a-z_][a-z0-9_]*)"?', re.I)
REFERENCED = re.compile(r'\b(?:FROM|JOIN|UPDATE|INTO)\s+"?([a-z_][a-z0-9_]*)"?', re.I)

# (table, a fragment of the statement): what may cross apps, and why.
CROSS_TENANT: tuple[tuple[str, str, str], ...] = (
    ("credentials", "credentials.secret_digest", "authentication finds the credential, then the app"),
    ("credentials", "credentials.client_id", "OAuth client credentials find the app the same way"),
    ("credentials", "credentials.id", "a credential row found by authentication"),
    ("outbox", "FOR UPDATE SKIP LOCKED", "the outbox worker delivers every app's messages"),
    ("outbox", "outbox.status", "the outbox worker claims due messages of every app"),
    ("outbox", "WHERE outbox.id", "the outbox worker settles the message it claimed"),
    ("webhooks", "webhooks.id IN", "the outbox worker signs with the subscription of a claimed message"),
    (
        "survey_clicks",
        "survey_clicks.id =",
        "a BitLabs click id is the capability of the credential-less click routes",
    ),
    ("survey_sessions", "survey_sessions.id =", "the listing session id of a click_url is its capability"),
    ("access_tokens", "access_tokens.expires_at <", "expired tokens of every app are swept together"),
    ("access_tokens", "access_tokens.token_hash", "a bearer token is found by its hash, then its app"),
    ("journey_events", "/* partitions */", "partitions, row retention and statistics are for every app"),
    ("partner_clicks", "/* partitions */", "partitions, row retention and statistics are for every app"),
)

_local = threading.local()
violations: list[str] = []


def _exempt_caller() -> bool:
    """Statements of the tests' own helpers (snapshots, row counts) are not the application's; and the
    ORM's unit of work writes back, by primary key, rows that a scoped query loaded."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.endswith(("sqlalchemy/orm/persistence.py", "sqlalchemy/orm/loading.py")):
            return True
        if "/tests/" in name and not name.endswith("tenancy_guard.py"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def check(statement: str) -> str | None:
    """Why ``statement`` escapes tenancy, or None."""
    bare = re.sub(r"^\s*/\*.*?\*/", "", statement, flags=re.S)  # a leading comment marks, never hides
    verb = bare.lstrip().split(None, 1)[0].upper() if bare.strip() else ""
    if verb not in ("SELECT", "UPDATE", "DELETE", "WITH"):
        return None
    for table in {t.lower() for t in REFERENCED.findall(statement)} & TENANT_TABLES:
        if f"{table}.app_id" in statement or _single_table_scoped(statement, table):
            continue
        if any(t == table and fragment in statement for t, fragment, _ in CROSS_TENANT):
            continue
        return f"{table} not scoped to an app: {' '.join(statement.split())[:300]}"
    return None


def _single_table_scoped(statement: str, table: str) -> bool:
    """Raw statements on one table may name the column bare (``WHERE app_id = ?``)."""
    where = statement.upper().split(" WHERE ", 1)
    return (
        len(where) == 2 and re.search(r"\bAPP_ID\b", where[1]) is not None and statement.count(" FROM ") <= 1
    )


def _record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
    problem = check(statement)
    if problem is not None and not _exempt_caller():
        violations.append(problem)


def install() -> None:
    event.listen(Engine, "before_cursor_execute", _record)
