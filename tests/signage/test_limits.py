"""Campaign limits: past ``expires_at`` or ``max_clicks`` a scan opens no session and is sent to the app's
``fallback_url`` (an orphan scan), else 404; config validated with paths and applied once; and two server
processes on one PostgreSQL never let more than ``max_clicks`` scans through."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
import yaml
from alembic import command
from sqlalchemy import create_engine, inspect

from clicktrail.core.storage.db import normalize_url
from clicktrail.core.storage.migrate import alembic_config, upgrade
from clicktrail.families import migration_dirs

from ..core.test_indexes import scratch
from ..helpers import ADMIN, ADMIN_TOKEN, configure, snapshot
from ..retention_support import sql
from .support import campaign, document, session_of

FALLBACK = "https://brand.example/ended"
FORM = "https://brand.example/form?lang=en&ref=screen%2042"


def limited(fallback: str | None = FALLBACK, **limits) -> dict:
    doc = document(campaign(**limits))
    if fallback:
        doc["apps"][0]["signage"]["fallback_url"] = fallback
    return doc


def scan_of(client, campaign_id: str = "spring-form"):
    return client.get(f"/smart-engage/scan/demo/{campaign_id}", follow_redirects=False)


def reasons(database_url: str) -> list[str]:
    return [reason for (reason,) in sql(database_url, "SELECT reason FROM signage_orphan_scans ORDER BY id")]


def test_an_expired_campaign_sends_scans_to_the_fallback(client, database_url):
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    configure(client, limited(expires_at=past))
    answer = scan_of(client)
    assert answer.status_code == 302 and answer.headers["location"] == FALLBACK
    assert reasons(database_url) == ["expired"]
    assert sql(database_url, "SELECT count(*) FROM signage_sessions") == [(0,)]
    configure(client, limited(fallback=None, expires_at=past))
    assert scan_of(client).status_code == 404
    assert scan_of(client).json() == {"error_msg": "No record with campaign_id: spring-form"}
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    configure(client, limited(fallback=None, expires_at=future))
    assert scan_of(client).headers["location"].startswith(FORM)


def test_max_clicks_lets_that_many_scans_open_a_session(client, database_url):
    configure(client, limited(max_clicks=2))
    first, second, third = (scan_of(client) for _ in range(3))
    assert [session_of(a.headers["location"]) for a in (first, second)]
    assert third.headers["location"] == FALLBACK
    assert reasons(database_url) == ["limit_reached"]
    assert sql(
        database_url, "SELECT clicks_used, max_clicks FROM signage_campaigns WHERE app_id = 'demo'"
    ) == [(2, 2)]
    configure(client, limited(fallback=None, max_clicks=2))
    assert scan_of(client).status_code == 404
    configure(client, limited(fallback=None, max_clicks=3))  # raised: one more gets through, at once
    assert scan_of(client).headers["location"].startswith(FORM)
    assert scan_of(client).status_code == 404
    assert sql(database_url, "SELECT count(*) FROM signage_sessions") == [(3,)]
    # the form backend's create-session is not a scan: not limited
    made = client.post(
        "/smart-engage/post/create-session",
        json={"campaign_id": "spring-form"},
        headers={"API-KEY": "signage-secret"},
    )
    assert made.status_code == 200


def test_limits_are_validated_with_their_paths(client):
    for spec, path, message in [
        ({"expires_at": "2027-01-01T00:00:00"}, "expires_at", "timezone"),
        ({"expires_at": "next week"}, "expires_at", "datetime"),
        ({"max_clicks": 0}, "max_clicks", "greater than or equal to 1"),
        ({"max_clicks": "many"}, "max_clicks", "integer"),
    ]:
        answer = client.put("/admin/v1/config", json=document(campaign(**spec)), headers=ADMIN)
        assert answer.status_code == 400, spec
        errors = answer.json()["errors"]
        assert any(
            e["path"] == f"apps[0].signage.campaigns[0].{path}" and message in e["message"] for e in errors
        ), errors


def test_limits_apply_once_from_yaml(client, database_url, tmp_path):
    at = datetime(2030, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))
    text = yaml.safe_dump(limited(max_clicks=5, expires_at=at))
    assert "expires_at: 2030-01-01 12:00:00+02:00" in text  # a YAML timestamp, not a string
    path = tmp_path / "signage.yaml"
    path.write_text(text)
    env = {**os.environ, "CLICKTRAIL_DATABASE_URL": database_url, "CLICKTRAIL_ADMIN_TOKEN": ADMIN_TOKEN}
    runs = []
    for _ in range(2):
        run = subprocess.run(
            [sys.executable, "-m", "clicktrail", "apply", str(path)], env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        runs.append((run.stdout, snapshot(database_url)))
    assert "signage campaign 'spring-form' created" in runs[0][0]
    assert "signage" not in runs[1][0] and runs[1][1] == runs[0][1]
    [(expires,)] = sql(database_url, "SELECT expires_at FROM signage_campaigns WHERE app_id = 'demo'")
    expires = datetime.fromisoformat(expires) if isinstance(expires, str) else expires
    assert expires.astimezone(UTC) == datetime(2030, 1, 1, 10, tzinfo=UTC)
    scan_of(client)
    same = configure(client, limited(max_clicks=5, expires_at="2030-01-01T10:00:00Z"))
    assert same["changes"] == []  # the same instant in another zone; the count is not config
    assert sql(database_url, "SELECT clicks_used FROM signage_campaigns WHERE app_id = 'demo'") == [(1,)]


MAX = 7
SCANS = 40


def test_two_servers_never_let_more_than_max_clicks_through(request, database_url, start_server):
    if request.node.callspec.params["database_url"] == "sqlite":
        pytest.skip("the multi-process race runs on PostgreSQL")
    env = {"CLICKTRAIL_RATE_PER_IP": "0"}  # every scan comes from loopback
    servers = [start_server(database_url, env=env), start_server(database_url, env=env)]
    limits = httpx.Limits(max_connections=SCANS, max_keepalive_connections=SCANS)
    with httpx.Client(timeout=30, limits=limits) as http:
        doc = limited(max_clicks=MAX)
        assert http.put(f"{servers[0]}/admin/v1/config", json=doc, headers=ADMIN).status_code == 200
        urls = [f"{servers[n % 2]}/smart-engage/scan/demo/spring-form" for n in range(SCANS)]
        with ThreadPoolExecutor(max_workers=SCANS) as pool:
            answers = list(pool.map(lambda url: http.get(url, follow_redirects=False), urls))
    assert all(a.status_code == 302 for a in answers), [(a.status_code, a.text) for a in answers]
    went = Counter(
        "form" if a.headers["location"].startswith(FORM) else a.headers["location"] for a in answers
    )
    assert went == {"form": MAX, FALLBACK: SCANS - MAX}
    assert sql(database_url, "SELECT count(*) FROM signage_sessions") == [(MAX,)]
    assert sql(database_url, "SELECT clicks_used FROM signage_campaigns WHERE app_id = 'demo'") == [(MAX,)]
    assert Counter(reasons(database_url)) == {"limit_reached": SCANS - MAX}
    events = sql(
        database_url, "SELECT type, count(*) FROM journey_events WHERE family = 'signage' GROUP BY type"
    )
    assert dict(events) == {"scan.recorded": MAX, "scan.orphaned": SCANS - MAX}


def test_the_migrations_go_down_and_up(database_url):
    """signage_0003 (limits) and signage_0002 (settings, orphan scans) undo cleanly and apply again."""
    with scratch(database_url) as url:
        assert {"clicks_used", "max_clicks", "expires_at"} <= columns(url, "signage_campaigns")
        command.downgrade(alembic_config(url, migration_dirs()), "signage_0002")
        assert not {"clicks_used", "max_clicks", "expires_at"} & columns(url, "signage_campaigns")
        assert columns(url, "signage_orphan_scans")
        command.downgrade(alembic_config(url, migration_dirs()), "signage_0001")
        assert not columns(url, "signage_orphan_scans") and not columns(url, "signage_settings")
        upgrade(url, migration_dirs())
        assert {"clicks_used", "max_clicks", "expires_at"} <= columns(url, "signage_campaigns")
        assert "reason" in columns(url, "signage_orphan_scans") and columns(url, "signage_settings")


def columns(url: str, table: str) -> set[str]:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            return {c["name"] for c in found.get_columns(table)} if found.has_table(table) else set()
    finally:
        engine.dispose()
