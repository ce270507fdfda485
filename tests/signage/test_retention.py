"""Retention (``privacy.personal_data_days``) for signage: rows older than the cutoff are purged, newer
rows and apps without a retention keep everything; a second purge changes nothing."""

from __future__ import annotations

from ..helpers import ADMIN, configure
from ..retention_support import OLD, nothing_left, run_purge, sql, with_retention
from .conftest import UK_ADDRESS
from .support import IPHONE
from .support import document as signage_document


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
