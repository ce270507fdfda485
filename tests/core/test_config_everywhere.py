"""A config change applied through one server process is served by every other one within a second, by
notification (PostgreSQL ``LISTEN``) or the version row (SQLite): not after the cache's time to live."""

from __future__ import annotations

import time

import httpx

from ..helpers import ADMIN
from ..signage.support import campaign, document

SCAN = "/smart-engage/scan/demo/autumn-form"
NO_TTL = {"CLICKTRAIL_CONFIG_CACHE_SECONDS": "3600"}  # only a notification can make B reload in time


def test_a_campaign_applied_through_one_process_is_served_by_another_within_a_second(
    database_url, start_server
):
    first, second = start_server(database_url, env=NO_TTL), start_server(database_url, env=NO_TTL)
    with httpx.Client(timeout=10) as http:
        assert http.put(f"{first}/admin/v1/config", json=document(), headers=ADMIN).status_code == 200
        time.sleep(0.5)  # both processes saw that first change: what they cache now is the app
        for server in (first, second):  # the app is known, the campaign not yet: cached as absent
            assert http.get(server + SCAN).status_code == 404
        changed = document(campaign(), campaign("autumn-form", coupons={"codes": ["AUTUMN-1"]}))
        assert http.put(f"{first}/admin/v1/config", json=changed, headers=ADMIN).status_code == 200
        applied = time.monotonic()
        while (answer := http.get(second + SCAN)).status_code == 404 and time.monotonic() - applied < 5:
            time.sleep(0.02)
        waited = time.monotonic() - applied
    assert answer.status_code == 302, answer.text
    assert waited < 1.0, f"the other process served the new campaign after {waited:.2f} s"
