"""A config change applied through one server process is served by every other one within a second, by
notification (PostgreSQL ``LISTEN``) or the version row (SQLite): not after a cache's time to live."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from ..helpers import ADMIN
from ..signage.support import HEADERS, KEY, campaign, document

SCAN = "/smart-engage/scan/demo/autumn-form"
CREATE = "/smart-engage/post/create-session"
# Only a notification can make the other process reload in time.
NO_TTL = {"CLICKTRAIL_CONFIG_CACHE_SECONDS": "3600", "CLICKTRAIL_AUTH_CACHE_SECONDS": "3600"}


def seconds_until(done: Callable[[], bool], limit: float = 5.0) -> float:
    started = time.monotonic()
    while not done() and time.monotonic() - started < limit:
        time.sleep(0.02)
    return time.monotonic() - started


def test_a_change_applied_through_one_process_is_served_by_another_within_a_second(
    database_url, start_server
):
    first, second = start_server(database_url, env=NO_TTL), start_server(database_url, env=NO_TTL)
    with httpx.Client(timeout=10) as http:
        assert http.put(f"{first}/admin/v1/config", json=document(), headers=ADMIN).status_code == 200
        time.sleep(0.5)  # both processes saw that first change: what they cache now is the app
        for server in (first, second):  # the app is known, the campaign not yet: cached as absent
            assert http.get(server + SCAN).status_code == 404
            assert http.post(server + CREATE, json={"campaign_id": "spring-form"}, headers=HEADERS).is_success

        autumn = campaign("autumn-form", coupons={"codes": ["AUTUMN-1"]})
        assert http.put(
            f"{first}/admin/v1/config", json=document(campaign(), autumn), headers=ADMIN
        ).is_success
        waited = seconds_until(lambda: http.get(second + SCAN).status_code == 302)
        assert waited < 1.0, f"the other process served the new campaign after {waited:.2f} s"

        rotated = document(campaign(), autumn)
        rotated["apps"][0]["credentials"][0]["secret"] = KEY + "-rotated"
        assert http.put(f"{first}/admin/v1/config", json=rotated, headers=ADMIN).is_success
        old_key = {"json": {"campaign_id": "spring-form"}, "headers": HEADERS}
        waited = seconds_until(lambda: http.post(second + CREATE, **old_key).status_code == 401)  # type: ignore[arg-type]
        assert waited < 1.0, f"the other process took the replaced secret for {waited:.2f} s"


def test_a_credential_revoked_through_one_process_is_refused_by_another_within_a_second(
    database_url, start_server
):
    first, second = start_server(database_url, env=NO_TTL), start_server(database_url, env=NO_TTL)
    key = {"json": {"campaign_id": "spring-form"}, "headers": HEADERS}
    with httpx.Client(timeout=10) as http:
        assert http.put(f"{first}/admin/v1/config", json=document(), headers=ADMIN).status_code == 200
        time.sleep(0.5)
        assert http.post(second + CREATE, **key).is_success  # type: ignore[arg-type]  # cached as valid
        revoked = http.delete(f"{first}/admin/v1/apps/demo/credentials/signage", headers=ADMIN)
        assert revoked.status_code == 204, revoked.text
        waited = seconds_until(lambda: http.post(second + CREATE, **key).status_code == 401)  # type: ignore[arg-type]
        assert waited < 1.0, f"the other process took the revoked credential for {waited:.2f} s"
