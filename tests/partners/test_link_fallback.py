"""The tracked redirect of a link past its limits (GET /partners/go/{app}/{link}), the real app on both
engines: the click is recorded with its verdict, and the visit goes to the app's ``partners.fallback_url``
as is, else is answered 410 in the vendor's envelope; a change of the fallback reaches the next visit (in
another server process too); the fallback validated with its path, shown back, and its column added and
removed by partners_0010."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from alembic import command
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from clicktrail.cli import cli
from clicktrail.core.storage.migrate import alembic_config, upgrade
from clicktrail.families import migration_dirs

from ..core.test_indexes import scratch
from ..helpers import ADMIN, configure, wait_until
from ..retention_support import sql
from ..signage.test_limits import columns
from .conftest import LINK, LINK2, document, stored_clicks

GO = f"/partners/go/acme/{LINK}"
FALLBACK = "https://brand.example/ended?from=partners"
ELSEWHERE = "https://other.example/closed"
PAST = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()


def limited(fallback: object = FALLBACK, **limits: object) -> dict:
    """The partners document, its first link with ``limits`` and the app's ``fallback_url`` (None: none)."""
    doc = document()
    section = doc["apps"][0]["partners"]
    section["links"][0].update(limits)
    section["duplicate_window_seconds"] = 0  # every visit of these tests is a click of its own
    if fallback is not None:
        section["fallback_url"] = fallback
    return doc


def visit(client: TestClient, query: str = "") -> httpx.Response:
    return client.get(GO + (f"?{query}" if query else ""), follow_redirects=False)


def sent_to(client: TestClient, query: str = "") -> str:
    """Where a visit of the link was redirected (checking it is a 302 nobody caches)."""
    answer = visit(client, query)
    assert answer.status_code == 302, answer.text
    assert answer.headers["cache-control"] == "no-store"
    return answer.headers["location"]


def verdicts(database_url: str) -> list[tuple[str, str | None, str | None]]:
    rows = sorted(stored_clicks(database_url).values(), key=lambda row: row["create_time"])
    return [(row["verdict"], row["verdict_reason"], row["link_id"]) for row in rows]


def clicks_used(database_url: str) -> int:
    query = f"SELECT clicks_used FROM partner_links WHERE app_id = 'acme' AND id = '{LINK}'"
    ((used,),) = sql(database_url, query)
    return used


# --- where a visit past the limits goes -----------------------------------------------------------------


def test_an_expired_link_sends_the_visit_to_the_fallback_as_is(ib, database_url):
    configure(ib, limited(expires_at=PAST))
    assert sent_to(ib, "utm_source=poster&referral=9") == FALLBACK  # the visit's query is not carried
    assert verdicts(database_url) == [("expired", "expires_at", LINK)]
    (row,) = stored_clicks(database_url).values()
    assert row["uri"] == "https://my.stage.org/register?referral=1&utm_source=poster"  # as recorded before
    assert row["rule"] is None and row["utm_source"] == "poster"
    other = ib.get(f"/partners/go/acme/{LINK2}", follow_redirects=False)  # a link with no limits
    assert other.headers["location"] == "https://my.stage.org/register?referral=2"


def test_past_max_clicks_visits_go_to_the_fallback_and_are_not_counted(ib, database_url):
    configure(ib, limited(max_clicks=2))
    assert [sent_to(ib) for _ in range(4)] == [
        "https://my.stage.org/register?referral=1",
        "https://my.stage.org/register?referral=1",
        FALLBACK,
        FALLBACK,
    ]
    assert [verdict for verdict, _, _ in verdicts(database_url)] == ["ok", "ok", *["limit_reached"] * 2]
    assert clicks_used(database_url) == 2


def test_without_a_fallback_the_visit_is_a_410_and_the_click_is_kept(ib, database_url):
    configure(ib, limited(fallback=None, max_clicks=1))
    assert sent_to(ib) == "https://my.stage.org/register?referral=1"
    for _ in range(2):
        answer = visit(ib)
        assert answer.status_code == 410
        assert answer.json() == {
            "message": "Link click limit reached",
            "errors": {"linkId": ["click limit reached"]},
        }
        assert "location" not in answer.headers
    configure(ib, limited(fallback=None, max_clicks=1, expires_at=PAST))
    expired = visit(ib)
    assert expired.status_code == 410
    assert expired.json() == {"message": "Link expired", "errors": {"linkId": ["expired"]}}
    assert [verdict for verdict, _, _ in verdicts(database_url)] == [
        "ok",
        "limit_reached",
        "limit_reached",
        "expired",
    ]
    assert clicks_used(database_url) == 1  # the limits' count stays true


def test_the_410_is_the_documented_one(ib):
    configure(ib, limited(fallback=None, expires_at=PAST))
    documented = ib.get("/openapi.json").json()["paths"]["/partners/go/{app_id}/{link_id}"]["get"]
    content = documented["responses"]["410"]["content"]["application/json"]
    assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert visit(ib).json() == content["example"]


# --- the fallback as config -----------------------------------------------------------------------------


def test_a_changed_fallback_reaches_the_next_visit(ib):
    configure(ib, limited(expires_at=PAST))
    assert sent_to(ib) == FALLBACK
    changed = configure(ib, limited(ELSEWHERE, expires_at=PAST))
    assert changed["changes"] == ["acme: partners settings updated"]
    assert sent_to(ib) == ELSEWHERE
    assert configure(ib, limited(None, expires_at=PAST))["changes"] == ["acme: partners settings updated"]
    assert visit(ib).status_code == 410
    configure(ib, limited(expires_at=PAST))
    assert sent_to(ib) == FALLBACK


def test_another_server_process_follows_a_fallback_change(ib, database_url, start_server):
    configure(ib, limited(expires_at=PAST))
    server = start_server(database_url)
    with httpx.Client(base_url=server, follow_redirects=False) as http:
        assert http.get(GO).headers["location"] == FALLBACK  # now cached by that process
        configure(ib, limited(ELSEWHERE, expires_at=PAST))  # applied by this one
        wait_until(lambda: http.get(GO).headers.get("location") == ELSEWHERE, timeout=5)
        configure(ib, limited(None, expires_at=PAST))
        wait_until(lambda: http.get(GO).status_code == 410, timeout=5)


def test_the_fallback_round_trips_through_the_admin_api(ib, database_url):
    doc = limited(max_clicks=5)
    assert configure(ib, doc)["changes"] == [
        f"acme: partners link {LINK} updated",
        "acme: partners settings updated",
    ]
    shown = ib.get("/admin/v1/apps/acme", headers=ADMIN).json()["config"]["partners"]
    assert shown["fallback_url"] == FALLBACK
    assert configure(ib, doc)["changed"] is False
    configure(ib, limited(None, max_clicks=5))
    assert "fallback_url" not in ib.get("/admin/v1/apps/acme", headers=ADMIN).json()["config"]["partners"]
    assert sql(database_url, "SELECT fallback_url FROM partner_settings WHERE app_id = 'acme'") == [(None,)]


BAD_FALLBACKS = [
    ("brand.example/ended", "should match pattern"),
    ("ftp://brand.example/ended", "should match pattern"),
    ("https://brand example/ended", "should match pattern"),
    ("https://", "should match pattern"),
    ("https://brand.example/" + "x" * 2048, "at most 2048 characters"),
    (42, "string"),
]


def test_a_bad_fallback_is_refused_with_its_path_and_nothing_changes(ib, database_url):
    configure(ib, limited(expires_at=PAST))
    for bad, message in BAD_FALLBACKS:
        answer = ib.put("/admin/v1/config", json=limited(bad, expires_at=PAST), headers=ADMIN)
        assert answer.status_code == 400, bad
        errors = answer.json()["errors"]
        assert [e["path"] for e in errors] == ["apps[0].partners.fallback_url"], errors
        assert message in errors[0]["message"], (bad, errors)
    assert sent_to(ib) == FALLBACK


YAML = """
apps:
  - id: acme
    name: Acme Broker
    partners:
      fallback_url: my.stage.org/ended
      links:
        - {id: 6006dda272f002519c3eb505, uri: "https://my.stage.org/register?referral=1", max_clicks: 10}
"""


def test_clicktrail_apply_names_a_bad_fallback_by_its_path(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CLICKTRAIL_DATABASE_URL", database_url)
    file = tmp_path / "config.yaml"
    file.write_text(YAML)
    refused = CliRunner().invoke(cli, ["apply", str(file)])
    assert refused.exit_code == 2, refused.output
    assert "apps[0].partners.fallback_url: String should match pattern" in refused.output
    file.write_text(YAML.replace("my.stage.org/ended", "https://my.stage.org/ended"))
    applied = CliRunner().invoke(cli, ["apply", str(file)])
    assert applied.exit_code == 0, applied.output
    assert sql(database_url, "SELECT fallback_url FROM partner_settings") == [("https://my.stage.org/ended",)]


def test_the_migration_adds_and_removes_the_fallback_column(database_url):
    """partners_0010 undoes cleanly (the fallback_url column with it) and applies again."""
    with scratch(database_url) as url:
        assert {"timezone", "fallback_url"} <= columns(url, "partner_settings")
        command.downgrade(alembic_config(url, migration_dirs()), "partners_0008")
        assert not {"timezone", "fallback_url"} & columns(url, "partner_settings")
        upgrade(url, migration_dirs())
        assert {"timezone", "fallback_url"} <= columns(url, "partner_settings")
