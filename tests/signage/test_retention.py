"""Retention (``privacy.personal_data_days``) for signage: rows older than the cutoff are purged, newer
rows and apps without a retention keep everything; a second purge changes nothing."""

from __future__ import annotations

from ..admin.test_metrics_paths import assert_both_paths_agree
from ..helpers import ADMIN, configure
from ..retention_support import OLD, a_cutoff, nothing_left, purge_before, run_purge, sql, with_retention
from .conftest import UK_ADDRESS
from .support import IPHONE, scan
from .support import document as signage_document
from .test_orphans import with_fallback

CLICK_IDS = ("gclid", "fbclid", "msclkid")
PHONE = {"User-Agent": IPHONE}


class TestSignage:
    def test_old_sessions_and_scan_events_lose_ip_and_agent(self, uk_shopper, database_url):
        configure(uk_shopper, with_retention(signage_document()))
        for _ in range(2):
            uk_shopper.get("/smart-engage/scan/demo/spring-form", headers={"User-Agent": IPHONE})
        [(old_id,), (new_id,)] = sql(database_url, "SELECT id FROM signage_sessions ORDER BY id")
        sql(database_url, "UPDATE signage_sessions SET created_at = :t WHERE id = :i", t=OLD, i=old_id)
        sql(database_url, "UPDATE journey_events SET created_at = :t WHERE journey_id = :i", t=OLD, i=old_id)

        report = run_purge(database_url)
        assert report["demo"]["anonymized"]["signage"] == {
            "signage_sessions": 1,
            "signage_orphan_scans": 0,
            "journey_events": 1,
        }
        assert report["demo"]["removed"]["signage"] == {}
        sessions = dict(
            (i, (ip, ua, country))
            for i, ip, ua, country in sql(
                database_url, "SELECT id, ip, user_agent, country FROM signage_sessions"
            )
        )
        assert sessions[old_id] == (None, None, "GB")
        assert sessions[new_id] == (UK_ADDRESS, IPHONE, "GB")
        items = uk_shopper.get("/admin/v1/apps/demo/events", headers=ADMIN).json()["items"]
        payloads = {e["journey_id"]: e["payload"] for e in items}
        assert payloads[old_id]["ip"] is None and payloads[old_id]["country"] == "GB"
        assert payloads[old_id]["browser"] == "Mobile Safari"
        assert payloads[new_id]["ip"] == UK_ADDRESS
        assert nothing_left(run_purge(database_url))

    def test_old_scans_and_their_events_lose_their_click_ids_and_the_metrics_stay(
        self, uk_shopper, database_url
    ):
        configure(uk_shopper, with_retention(with_fallback(signage_document())))
        old = scan(uk_shopper, params={"utm_source": "mall", "gclid": "G-old"}, headers=PHONE)
        orphaned = uk_shopper.get(
            "/smart-engage/scan/demo/gone",
            params={"utm_source": "mall", "fbclid": "F-old"},
            headers=PHONE,
            follow_redirects=False,
        )
        assert orphaned.status_code == 302, orphaned.text
        cutoff = a_cutoff()
        new = scan(uk_shopper, params={"utm_source": "mall", "msclkid": "M-new"}, headers=PHONE)
        counted = metrics_now(uk_shopper)
        assert counted[0][0] == {"google_ads": (1, 0), "meta_ads": (0, 1), "microsoft_ads": (1, 0)}

        report = purge_before(database_url, cutoff)
        assert report["demo"]["anonymized"]["signage"] == {  # each row and event once, for all it lost
            "signage_sessions": 1,
            "signage_orphan_scans": 1,
            "journey_events": 2,
        }
        held = "SELECT ip, gclid, fbclid, msclkid, utm_source FROM signage_sessions WHERE id = :i"
        assert sql(database_url, held, i=old) == [(None, None, None, None, "mall")]
        assert sql(database_url, held, i=new) == [(UK_ADDRESS, None, None, "M-new", "mall")]
        orphans = "SELECT ip, fbclid, utm_source FROM signage_orphan_scans"
        assert sql(database_url, orphans) == [(None, None, "mall")]
        payloads = scan_payloads(uk_shopper)
        for journey in (old, "orphan"):
            assert not set(CLICK_IDS) & set(payloads[journey]) and payloads[journey]["ip"] is None
            assert payloads[journey]["utm_source"] == "mall"
        assert (payloads[old]["ad_network"], payloads["orphan"]["ad_network"]) == ("google_ads", "meta_ads")
        assert payloads[new]["msclkid"] == "M-new" and payloads[new]["ip"] == UK_ADDRESS
        assert metrics_now(uk_shopper) == counted
        assert nothing_left(purge_before(database_url, cutoff))


def scan_payloads(client):
    """The payload of each scan event, by session id ("orphan" for the orphan scan's)."""
    items = client.get("/admin/v1/apps/demo/events", headers=ADMIN).json()["items"]
    return {
        ("orphan" if e["type"] == "scan.orphaned" else e["journey_id"]): e["payload"]
        for e in items
        if e["type"] in ("scan.recorded", "scan.orphaned")
    }


def metrics_now(client):
    """Scans by ad network, from the rollups and (under a filter) from the events, and the comparisons on
    which the two paths agree (every dimension, alone and combined)."""
    answers = []
    for extra in ({}, {"filter[utm_source]": "mall"}):
        params = {"family": "signage", "group_by": "ad_network", **extra}
        answer = client.get("/admin/v1/apps/demo/metrics", params=params, headers=ADMIN)
        assert answer.status_code == 200, answer.text
        answers.append({row["key"]: (row["scans"], row["orphan_scans"]) for row in answer.json()["rows"]})
    return answers, assert_both_paths_agree(client.app.state.runtime.engine, "demo", ("signage",))
