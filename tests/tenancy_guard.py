"""The tenancy guard: every statement the application runs on a tenant table (one with an ``app_id``
column) must be scoped to one app, through ``core.tenancy.tenant`` (which compares ``<table>.app_id``).

Installed for the whole test run (``tests/conftest.py``): a statement that reads, changes or deletes
tenant rows without comparing the table's ``app_id`` in a condition (WHERE, JOIN ... ON, a subquery's
own) fails the test that caused it; naming it in a column list, as a whole-row select does, is not
enough. ``session.get`` is checked too. The few statements that cross apps on purpose are listed in
``CROSS_TENANT`` with the reason."""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

from sqlalchemy import Engine, event

from clicktrail.core.storage.db import Base

TENANT_TABLES = {table.name for table in Base.metadata.tables.values() if "app_id" in table.c}
NAME = r'"?([a-z_][a-z0-9_]*)"?(?![\w."(])'  # a table's name, not a column's (``t.c``) or a function's
REFERENCED = re.compile(rf"\b(?:FROM|JOIN|(?<!FOR )UPDATE|INTO)\s+{NAME}", re.I)
LISTED = re.compile(rf",\s*{NAME}", re.I)  # ``FROM a, b``, once the select lists are blanked
# A table and the word after it (its alias, if any); a lookahead, so that one match's alias can be the
# next match's JOIN.
ALIASED = re.compile(r'(?=(?:\bFROM|\bJOIN|\bUPDATE|,)\s+"?([a-z_]\w*)"?\s+(?:AS\s+)?"?([a-z_]\w*))', re.I)
# The clauses blanked before looking for conditions (a select list, an UPDATE's assignments), and the
# words that end each.
ENDS = {"SELECT": {"FROM", "SELECT"}, "SET": {"FROM", "WHERE", "RETURNING"}}
PYFORMAT = re.compile(r"%\(\w+\)s")
CLAUSE = re.compile(r"\b(SELECT|SET|FROM|WHERE|RETURNING)\b", re.I)

# (table, a fragment of the statement): what may cross apps, and why.
CROSS_TENANT: tuple[tuple[str, str, str], ...] = (
    (
        "credentials",
        "credentials.secret_hash",
        "authentication finds the credential by its secret's digest, then the app; and a secret is unique "
        "across apps, since it is how a request finds its app",
    ),
    ("credentials", "credentials.client_id", "OAuth client credentials find the app the same way"),
    (
        "credentials",
        "credentials.id = access_tokens.credential_id",
        "a bearer token found by its hash joins its credential, to see it is not revoked",
    ),
    ("audit_log", "FROM audit_log ORDER BY", "an owner reads the audit log of every app (and of none)"),
    ("audit_log", "audit_log.id <", "the same log's next page, for an owner"),
    ("outbox", "FOR UPDATE SKIP LOCKED", "the outbox worker delivers every app's messages"),
    ("outbox", "outbox.status", "the outbox worker claims due messages of every app"),
    ("outbox", "WHERE outbox.id", "the outbox worker settles the message it claimed"),
    ("webhooks", "webhooks.id IN", "the outbox worker signs with the subscription of a claimed message"),
    (
        "survey_clicks",
        "survey_clicks.id =",
        "a BitLabs click id is the capability of the credential-less click routes",
    ),
    ("survey_clicks", "survey_clicks.id IN", "the same ids, a writer batch's declared clicks read together"),
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
    ORM writes back, and reloads expired attributes of, rows that a scoped query loaded (both by primary
    key). A primary-key load through ``session.get`` passes the same loader, but it is the application's
    own read, so it stays checked."""
    frame = sys._getframe(2)
    by_key = through_get = False
    while frame is not None:
        name = frame.f_code.co_filename
        if "/tests/" in name and not name.endswith("tenancy_guard.py"):
            return True
        by_key |= name.endswith(("sqlalchemy/orm/persistence.py", "sqlalchemy/orm/loading.py"))
        through_get |= name.endswith("sqlalchemy/orm/session.py") and frame.f_code.co_name == "_get_impl"
        frame = frame.f_back  # type: ignore[assignment]
    return by_key and not through_get


def check(statement: str) -> str | None:
    """Why ``statement`` escapes tenancy, or None."""
    bare = re.sub(r"^\s*/\*.*?\*/", "", statement, flags=re.S)  # a leading comment marks, never hides
    verb = bare.lstrip().split(None, 1)[0].upper() if bare.strip() else ""
    if verb not in ("SELECT", "UPDATE", "DELETE", "WITH"):
        return None
    predicates = _predicates(statement)
    tables = {t.lower() for t in REFERENCED.findall(statement)}
    tables |= {t.lower() for t in LISTED.findall(predicates)} & set(Base.metadata.tables)
    for table in tables & TENANT_TABLES:
        if _scoped(predicates, table, alone=len(tables) == 1):
            continue
        if any(t == table and fragment in predicates for t, fragment, _ in CROSS_TENANT):
            continue
        return f"{table} not scoped to an app: {' '.join(statement.split())[:300]}"
    return None


def _depths(statement: str) -> list[int]:
    """Each character's parenthesis depth (a parenthesis counts as outside what it encloses)."""
    depth, depths = 0, []
    for ch in statement:
        depth -= ch == ")"
        depths.append(depth)
        depth += ch == "("
    return depths


def _predicates(statement: str) -> str:
    """``statement`` with its select lists (and an UPDATE's assignments) blanked: what is left names the
    tables and the conditions rows must meet (WHERE, JOIN ... ON, HAVING), subqueries' own included. A
    column list names ``<table>.app_id`` whenever it selects a whole row, which constrains nothing."""
    statement = PYFORMAT.sub("?", statement)  # psycopg's ``%(name)s``: its parentheses enclose nothing
    depths, chars = _depths(statement), list(statement)
    open_spans: dict[int, tuple[int, str]] = {}

    def blank(start: int, end: int, depth: int) -> None:
        for i in range(start, end):
            if depths[i] < depth:
                return
            if depths[i] == depth:
                chars[i] = " "

    for match in CLAUSE.finditer(statement):
        word, depth = match.group(1).upper(), depths[match.start()]
        span = open_spans.get(depth)
        if span is not None and word in ENDS[span[1]]:
            blank(span[0], match.start(), depth)
            del open_spans[depth]
        if word in ENDS:
            open_spans[depth] = (match.end(), word)
    for depth, (start, _) in open_spans.items():
        blank(start, len(statement), depth)
    return "".join(chars)


def _scoped(predicates: str, table: str, *, alone: bool) -> bool:
    """Whether the table's ``app_id`` (by its name or an alias) is compared in a condition; a statement
    on one table may name the column bare (``WHERE app_id = ?``)."""
    names = {table} | {alias for t, alias in ALIASED.findall(predicates) if t.lower() == table}
    qualified = "|".join(re.escape(n) for n in names)
    column = rf'(?:"?(?:{qualified})"?\.){"?" if alone else ""}"?app_id"?'
    compared = rf'(?<![\w."]){column}\s*(?:=|\bIN\b)|(?<![<>!=])=\s*{column}(?![\w"])'
    return re.search(compared, predicates, re.I) is not None


def _record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
    problem = check(statement)
    if problem is not None and not _exempt_caller():
        violations.append(problem)


def install() -> None:
    event.listen(Engine, "before_cursor_execute", _record)
