"""Orphan scans: a scan of a campaign the app does not have is recorded apart and sent to the app's
``fallback_url`` (404 and nothing recorded without one); counted in the metrics, purged by retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ..helpers import ADMIN, configure, snapshot
from ..retention_support import OLD, nothing_left, run_purge, sql, with_retention
from .conftest import UK_ADDRESS
from .support import IPHONE, document, scan

FALLBACK = "https://brand.example/sorry?from=qr#top"


def with_fallback(doc: dict, url: str = FALLBACK) -> dict:
    doc["apps"][0]["signage"]["fallback_url"] = url
    return doc


def orphans(database_url: str) -> list[tuple]:
    return sql(
        database_url,
        "SELECT app_id, campaign_id, reason, ip, country, user_agent FROM signage_orphan_scans ORDER BY id",
    )


def test_an_unknown_campaign_is_an_orphan_scan_sent_to_the_fallback(uk_shopper, database_url):
    configure(uk_shopper, with_fallback(document()))
    answer = uk_shopper.get(
        "/smart-engage/scan/demo/autumn-form", headers={"User-Agent": IPHONE}, follow_redirects=False
    )
    assert answer.status_code == 302 and answer.headers["location"] == FALLBACK  # as is: no session
    assert answer.headers["cache-control"] == "no-store"
    assert orphans(database_url) == [("demo", "autumn-form", "unknown_campaign", UK_ADDRESS, "GB", IPHONE)]
    assert sql(database_url, "SELECT count(*) FROM signage_sessions") == [(0,)]
    [event] = uk_shopper.get("/admin/v1/apps/demo/events", headers=ADMIN).json()["items"]
    assert event["type"] == "scan.orphaned" and event["family"] == "signage"
    assert event["payload"]["campaign_id"] == "autumn-form" and event["payload"]["country"] == "GB"
    scan(uk_shopper)  # a known campaign still opens a session
    assert len(orphans(database_url)) == 1


def test_without_a_fallback_it_is_404_and_nothing_is_recorded(shop, database_url):
    before = snapshot(database_url)
    for path in ("demo/autumn-form", "nobody/spring-form", "other/spring-form"):
        answer = shop.get(f"/smart-engage/scan/{path}", follow_redirects=False)
        assert answer.status_code == 404, path
        assert answer.json() == {"error_msg": f"No record with campaign_id: {path.split('/')[1]}"}
    assert snapshot(database_url) == before


def test_the_fallback_is_the_apps_own(shop, database_url):
    configure(shop, with_fallback(document()))
    assert shop.get("/smart-engage/scan/other/autumn-form", follow_redirects=False).status_code == 404
    assert shop.get("/smart-engage/scan/nobody/autumn-form", follow_redirects=False).status_code == 404
    long_id = "x" * 300
    answer = shop.get(f"/smart-engage/scan/demo/{long_id}", follow_redirects=False)
    assert answer.status_code == 302
    assert [row[:2] for row in orphans(database_url)] == [("demo", "x" * 64)]


def test_orphan_scans_are_counted_apart(shop):
    configure(shop, with_fallback(document()))
    for campaign_id in ("autumn-form", "autumn-form", "winter-form"):
        assert shop.get(f"/smart-engage/scan/demo/{campaign_id}", follow_redirects=False).status_code == 302
    scan(shop)
    now = datetime.now(UTC)
    span = {"family": "signage", "from": (now - timedelta(hours=2)).isoformat()}
    span["to"] = (now + timedelta(hours=2)).isoformat()
    metrics = shop.get("/admin/v1/apps/demo/metrics", params=span, headers=ADMIN).json()
    assert (metrics["totals"]["scans"], metrics["totals"]["orphan_scans"]) == (1, 3)
    assert metrics["totals"]["sessions"] == 1
    by_campaign = shop.get(
        "/admin/v1/apps/demo/metrics", params={**span, "group_by": "campaign"}, headers=ADMIN
    ).json()
    counted = {row["key"]: (row["scans"], row["orphan_scans"]) for row in by_campaign["rows"]}
    assert counted == {"autumn-form": (0, 2), "winter-form": (0, 1), "spring-form": (1, 0)}


def test_fallback_url_is_validated_and_applied_once(shop, database_url):
    answer = shop.put("/admin/v1/config", json=with_fallback(document(), "ftp://x"), headers=ADMIN)
    assert answer.status_code == 400
    assert any(
        e["path"] == "apps[0].signage.fallback_url" and "should match pattern" in e["message"]
        for e in answer.json()["errors"]
    ), answer.json()
    doc = with_fallback(document())
    assert configure(shop, doc)["changes"] == ["demo: signage settings created"]
    before = snapshot(database_url)
    assert configure(shop, doc) == {"changed": False, "changes": [], "generated_secrets": {}}
    assert snapshot(database_url) == before
    moved = configure(shop, with_fallback(document(), "https://brand.example/other"))
    assert moved["changes"] == ["demo: signage settings updated (fallback_url)"]
    assert shop.get("/smart-engage/scan/demo/gone", follow_redirects=False).headers["location"] == (
        "https://brand.example/other"
    )
    assert configure(shop, document())["changes"] == ["demo: signage settings updated (fallback_url)"]
    assert shop.get("/smart-engage/scan/demo/gone", follow_redirects=False).status_code == 404


def test_retention_purges_old_orphan_scans(uk_shopper, database_url):
    configure(uk_shopper, with_retention(with_fallback(document())))
    for _ in range(2):
        uk_shopper.get("/smart-engage/scan/demo/gone", headers={"User-Agent": IPHONE}, follow_redirects=False)
    [(old_id,), (new_id,)] = sql(database_url, "SELECT id FROM signage_orphan_scans ORDER BY id")
    sql(database_url, "UPDATE signage_orphan_scans SET created_at = :t WHERE id = :i", t=OLD, i=old_id)
    sql(database_url, "UPDATE journey_events SET created_at = :t WHERE journey_id = :i", t=OLD, i=old_id)

    report = run_purge(database_url)
    assert report["demo"]["anonymized"]["signage"] == {
        "signage_sessions": 0,
        "signage_orphan_scans": 1,
        "journey_events": 1,
    }
    kept = {
        i: (ip, ua, c)
        for i, ip, ua, c in sql(database_url, "SELECT id, ip, user_agent, country FROM signage_orphan_scans")
    }
    assert kept == {old_id: (None, None, "GB"), new_id: (UK_ADDRESS, IPHONE, "GB")}
    items = uk_shopper.get("/admin/v1/apps/demo/events", headers=ADMIN).json()["items"]
    payloads = {e["journey_id"]: e["payload"] for e in items}
    assert payloads[old_id]["ip"] is None and payloads[old_id]["browser"] == "Mobile Safari"
    assert payloads[new_id]["ip"] == UK_ADDRESS
    assert nothing_left(run_purge(database_url))
