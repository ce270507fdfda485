"""Upgrades lose nothing. Each release keeps a fixture (``releases/VERSION``, written by ``make_fixture`` on
the release's commit): a database filled through every family's API, as SQL for each engine, and the
journeys as that release served them. Here each one is restored, upgraded to this checkout's head, and
checked: every row of every table the release had is still there with the same values, every journey
answers with the same events, and every credential still opens its family."""

from __future__ import annotations

import ast
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.storage.db import normalize_url
from clicktrail.core.storage.migrate import upgrade
from clicktrail.families import migration_dirs

from ..conftest import POSTGRES_URL
from ..helpers import ADMIN, ADMIN_TOKEN

RELEASES = sorted(p for p in (Path(__file__).parent / "releases").iterdir() if p.is_dir())
# Columns a migration changes on purpose, with the revision that does it: {(table, column): why}.
CHANGED_ON_PURPOSE: dict[tuple[str, str], str] = {
    ("loyalty_member_identifiers", "value"): "loyalty_0002 keeps a keyed hash instead of the identifier",
}
CREDENTIAL_CHECKS = [
    ("GET", "/v2/client/surveys", {"X-Api-Token": "wall-secret", "X-User-Id": "carol"}, None),
    ("GET", "/ib/v1/clicks", {"Authorization": "Bearer ib-secret"}, None),
    (
        "POST",
        "/oauth/token",
        {"Authorization": "Basic cG9zLTE6cG9zLXNlY3JldA=="},
        "grant_type=client_credentials",
    ),
    (
        "POST",
        "/smart-engage/post/create-session",
        {"API-KEY": "signage-secret"},
        '{"campaign_id": "spring-form"}',
    ),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_name(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not POSTGRES_URL:
        pytest.skip("CLICKTRAIL_TEST_POSTGRES_URL is not set")
    return str(request.param)


def restored_sqlite(release: Path, tmp_path: Path) -> Iterator[str]:
    path = tmp_path / "release.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((release / "sqlite.sql").read_text())
    yield f"sqlite:///{path}"


def restored_postgres(release: Path) -> Iterator[str]:
    assert POSTGRES_URL
    admin = make_url(POSTGRES_URL).set(drivername="postgresql")
    name = f"clicktrail_upgrade_{uuid.uuid4().hex[:12]}"
    admin_dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin.set(database=name).render_as_string(hide_password=False)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute((release / "postgresql.sql").read_text())  # type: ignore[arg-type]
        yield url
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=RELEASES, ids=lambda p: p.name)
def release(request: pytest.FixtureRequest) -> Path:
    return Path(request.param)


@pytest.fixture
def restored(release: Path, engine_name: str, tmp_path: Path) -> Iterator[str]:
    if engine_name == "sqlite":
        yield from restored_sqlite(release, tmp_path)
    else:
        yield from restored_postgres(release)


def rows(database_url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table but Alembic's, as column → repr(value)."""
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return {
                table: [
                    {column: repr(value) for column, value in row._mapping.items()}
                    for row in conn.execute(text(f'SELECT * FROM "{table}"'))
                ]
                for table in inspect(conn).get_table_names()
                if table != "alembic_version"
            }
    finally:
        engine.dispose()


def as_before(table: str, after: list[dict[str, Any]], columns: list[str]) -> list[tuple[str, ...]]:
    kept = [c for c in columns if (table, c) not in CHANGED_ON_PURPOSE]
    return sorted(tuple(row[c] for c in kept) for row in after)


def test_every_release_has_its_fixture():
    assert RELEASES, "no release fixture"
    for release in RELEASES:
        assert {p.name for p in release.iterdir()} >= {"sqlite.sql", "postgresql.sql", "manifest.json"}


def test_upgrading_keeps_every_row(restored):
    before = rows(restored)
    assert sum(map(len, before.values())) > 50  # the fixture holds journeys of every family
    upgrade(restored, migration_dirs())
    after = rows(restored)
    for table, old in before.items():
        assert table in after, f"{table} is gone"
        columns = [c for c in old[0] if (table, c) not in CHANGED_ON_PURPOSE] if old else []
        assert all(set(columns) <= set(row) for row in after[table]), f"{table} lost a column"
        assert as_before(table, after[table], columns) == as_before(table, old, columns), table


def test_upgraded_journeys_and_credentials_answer_as_before(restored, release, engine_name):
    upgrade(restored, migration_dirs())
    served = json.loads((release / "manifest.json").read_text())[engine_name]
    settings = Settings(database_url=restored, admin_token=ADMIN_TOKEN, geoip_db=None)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for family, journeys in served.items():
            for journey, events in journeys.items():
                answer = client.get(
                    "/admin/v1/apps/demo/events",
                    params={"family": family, "journey_id": journey},
                    headers=ADMIN,
                )
                assert answer.status_code == 200, answer.text
                now = answer.json()["items"]
                assert [{k: e[k] for k in old} for e, old in zip(now, events, strict=True)] == events
        assert_members_are_found_as_before(client, served["loyalty"])
        for method, path, headers, body in CREDENTIAL_CHECKS:
            content_type = (
                "application/json" if body and body.startswith("{") else "application/x-www-form-urlencoded"
            )
            answer = client.request(
                method, path, headers={**headers, "Content-Type": content_type}, content=body
            )
            assert answer.status_code == 200, (path, answer.text)


FAILING_REVISION = """
import sqlalchemy as sa
from alembic import op

revision = "zz_fails"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_applied", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO half_applied (id) VALUES (1)")
    op.execute("SELECT * FROM no_such_table")
"""


def test_a_failed_migration_leaves_nothing_half_applied(database_url, tmp_path):
    """Every pending revision runs in one transaction: one that fails half-way rolls back whole."""
    from alembic.script import ScriptDirectory

    from clicktrail.core.storage.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(database_url, migration_dirs()))
    head = sorted(script.get_heads())[0]  # any branch's head: the new revision extends it
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "zz_fails.py").write_text(FAILING_REVISION.format(head=head))
    before = rows(database_url)
    with pytest.raises(Exception, match="no_such_table"):
        upgrade(database_url, [*migration_dirs(), tmp_path / "versions"])
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            assert "half_applied" not in inspect(conn).get_table_names()
            versions = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()
    assert versions == set(script.get_heads())
    assert rows(database_url) == before


def assert_members_are_found_as_before(client: TestClient, journeys: dict[str, list[dict[str, Any]]]) -> None:
    """The release's members, looked up by the email they enrolled with, are the same members."""
    auth = {"Authorization": "Bearer pos-secret", "X-Identifier-Type": "EMAIL"}
    for email, correlation in (("ann@example.com", "till-1"), ("ben@example.com", "till-2")):
        answer = client.post(
            f"/client/users/{email}/sessions", headers=auth, json={"correlationId": f"{correlation}-again"}
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["enrolled"] is False
        assert answer.json()["loyaltyId"] == journeys[correlation][0]["user_id"]


def test_upgraded_partner_clicks_are_counted_under_their_referrers_host(restored):
    """Metrics' raw rows read a click's stored host (partners_0009 names it for clicks made before)."""
    upgrade(restored, migration_dirs())
    clicks = rows(restored)["partner_clicks"]
    with_referrer = [c for c in clicks if c["referrer"] != "None"]
    assert with_referrer, "the fixture holds clicks with a referrer"
    for click in with_referrer:
        assert click["referrer_host"] == repr(urlsplit(ast.literal_eval(click["referrer"])).hostname)
