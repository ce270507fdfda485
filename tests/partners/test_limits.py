"""Link limits: a click past its link's ``expires_at`` or ``max_clicks`` is still recorded (201, the same
Click object: the broker's backend reports clicks, it is not redirected by us) with the verdict
``expired`` or ``limit_reached``; config validated with paths and applied once; and two server processes
on one PostgreSQL never let more than ``max_clicks`` clicks through."""

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

from clicktrail.core.storage.migrate import alembic_config, upgrade
from clicktrail.families import migration_dirs

from ..core.test_indexes import scratch
from ..helpers import ADMIN, ADMIN_TOKEN, LOOPBACK, configure, snapshot
from ..retention_support import sql
from ..signage.test_limits import columns
from .conftest import AUTH, LINK, create, document, seed_click


def limited(**limits) -> dict:
    doc = document()
    doc["apps"][0]["partners"]["links"][0].update(limits)
    return doc


def traffic(ib, click_id: str) -> dict:
    answer = ib.get(f"/ib/v1/clicks/{click_id}?query[traffic]=1", headers=AUTH)
    assert answer.status_code == 200, answer.text
    return answer.json()["traffic"]


def test_a_click_of_an_expired_link_is_kept_as_expired(ib):
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    configure(ib, limited(expires_at=past))
    click = create(ib)
    assert click["linkId"] == LINK  # the link it named, as before
    seen = traffic(ib, click["clickId"])
    assert (seen["verdict"], seen["reason"], seen["unique"]) == ("expired", "expires_at", False)
    configure(ib, limited(expires_at=(datetime.now(UTC) + timedelta(days=1)).isoformat()))
    assert traffic(ib, create(ib, ip="185.155.96.9")["clickId"])["verdict"] == "ok"


def test_max_clicks_lets_that_many_clicks_through(ib, database_url):
    configure(ib, limited(max_clicks=3))
    made = [create(ib, ip=f"185.155.96.{n + 1}")["clickId"] for n in range(5)]
    verdicts = [traffic(ib, click)["verdict"] for click in made]
    assert verdicts == ["ok", "ok", "ok", "limit_reached", "limit_reached"]
    assert traffic(ib, made[-1])["reason"] == "max_clicks"
    other = create(ib, uri="https://my.stage.org/register?referral=2")  # another link: no limit
    assert traffic(ib, other["clickId"])["verdict"] == "ok"
    listed = ib.get("/ib/v1/clicks?filter[verdict]=limit_reached", headers=AUTH)
    assert listed.headers["X-Total-Count"] == "2"
    used = sql(database_url, f"SELECT clicks_used FROM partner_links WHERE app_id = 'acme' AND id = '{LINK}'")
    assert used == [(3,)]
    configure(ib, limited(max_clicks=4))  # raised: one more gets through, at once
    assert [traffic(ib, create(ib, ip=f"185.155.97.{n}")["clickId"])["verdict"] for n in (1, 2)] == [
        "ok",
        "limit_reached",
    ]


def test_limits_are_validated_with_their_paths(ib):
    for spec, path, message in [
        ({"expires_at": "2027-01-01T00:00:00"}, "expires_at", "timezone"),
        ({"expires_at": "soon"}, "expires_at", "datetime"),
        ({"max_clicks": 0}, "max_clicks", "greater than or equal to 1"),
        ({"max_clicks": -3}, "max_clicks", "greater than or equal to 1"),
    ]:
        answer = ib.put("/admin/v1/config", json=limited(**spec), headers=ADMIN)
        assert answer.status_code == 400, spec
        errors = answer.json()["errors"]
        assert any(
            e["path"] == f"apps[0].partners.links[0].{path}" and message in e["message"] for e in errors
        ), errors


def test_limits_apply_once_from_yaml(ib, database_url, tmp_path):
    at = datetime(2030, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))
    text = yaml.safe_dump(limited(max_clicks=5, expires_at=at))
    assert "expires_at: 2030-01-01 12:00:00+02:00" in text  # a YAML timestamp, not a string
    path = tmp_path / "partners.yaml"
    path.write_text(text)
    env = {
        **os.environ,
        "CLICKTRAIL_DATABASE_URL": database_url,
        "CLICKTRAIL_ADMIN_TOKEN": ADMIN_TOKEN,
        "CLICKTRAIL_OUTBOUND_ALLOW": LOOPBACK,  # the document's postback names loopback
    }
    runs = []
    for _ in range(2):
        run = subprocess.run(
            [sys.executable, "-m", "clicktrail", "apply", str(path)], env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        runs.append((run.stdout, snapshot(database_url)))
    assert f"partners link {LINK} updated" in runs[0][0]
    assert "partners" not in runs[1][0] and runs[1][1] == runs[0][1]
    create(ib)
    same = configure(ib, limited(max_clicks=5, expires_at="2030-01-01T10:00:00Z"))
    assert same["changes"] == []  # the same instant in another zone; the count is not config


MAX = 7
CLICKS = 40


def test_two_servers_never_let_more_than_max_clicks_through(request, database_url, start_server):
    if request.node.callspec.params["database_url"] == "sqlite":
        pytest.skip("the multi-process race runs on PostgreSQL")
    servers = [start_server(database_url), start_server(database_url)]
    limits = httpx.Limits(max_connections=CLICKS, max_keepalive_connections=CLICKS)
    with httpx.Client(timeout=30, limits=limits) as http:
        assert http.put(
            f"{servers[0]}/admin/v1/config", json=limited(max_clicks=MAX), headers=ADMIN
        ).is_success
        bodies = [
            (servers[n % 2], seed_click(ip=f"185.155.{96 + n // 200}.{n % 200 + 1}")) for n in range(CLICKS)
        ]
        with ThreadPoolExecutor(max_workers=CLICKS) as pool:
            answers = list(
                pool.map(
                    lambda call: http.post(f"{call[0]}/ib/v1/clicks", json=call[1], headers=AUTH), bodies
                )
            )
        assert [a.status_code for a in answers] == [201] * CLICKS, [
            a.text for a in answers if a.status_code != 201
        ]
        seen = Counter(
            http.get(
                f"{servers[0]}/ib/v1/clicks/{a.json()['clickId']}?query[traffic]=1", headers=AUTH
            ).json()["traffic"]["verdict"]
            for a in answers
        )
    assert seen == {"ok": MAX, "limit_reached": CLICKS - MAX}
    stored = sql(
        database_url, "SELECT verdict, count(*) FROM partner_clicks WHERE app_id = 'acme' GROUP BY verdict"
    )
    assert dict(stored) == {"ok": MAX, "limit_reached": CLICKS - MAX}
    assert sql(
        database_url, f"SELECT clicks_used FROM partner_links WHERE id = '{LINK}' AND app_id = 'acme'"
    ) == [(MAX,)]


def test_the_migration_goes_down_and_up(database_url):
    """partners_0008 (link limits) undoes cleanly and applies again."""
    with scratch(database_url) as url:
        assert {"clicks_used", "max_clicks", "expires_at"} <= columns(url, "partner_links")
        command.downgrade(alembic_config(url, migration_dirs()), "partners_0007")
        assert not {"clicks_used", "max_clicks", "expires_at"} & columns(url, "partner_links")
        upgrade(url, migration_dirs())
        assert {"clicks_used", "max_clicks", "expires_at"} <= columns(url, "partner_links")
