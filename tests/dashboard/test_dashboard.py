"""The dashboard over HTTP (the real app): signing in and out, what it shows without a session (nothing),
its pages' headers, the journey search and webhook replay. The browser walk is tests/e2e."""

from __future__ import annotations

import re

import pytest

from ..helpers import ADMIN_TOKEN, configure, wait_until
from ..signage.support import document as signage_document
from ..signage.support import scan


def sign_in(client, token: str = ADMIN_TOKEN, next: str = "/dashboard"):
    return client.post("/dashboard/login", data={"token": token, "next": next}, follow_redirects=False)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_nothing_without_signing_in(client):
    configure(client, signage_document())
    for path in (
        "/dashboard",
        "/dashboard/apps/demo/families/signage",
        "/dashboard/apps/demo/journeys?id=x",
        "/dashboard/apps/demo/deliveries",
        "/dashboard/users",
        "/dashboard/audit",
    ):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/dashboard/login?next=")
    replay = client.post(
        "/dashboard/apps/demo/deliveries/1/replay", data={"csrf": "x"}, follow_redirects=False
    )
    assert replay.status_code == 303 and "/dashboard/login" in replay.headers["location"]


def test_signing_in_sets_a_strict_http_only_cookie(client):
    wrong = sign_in(client, "not-the-token")
    assert wrong.status_code == 401 and "Wrong token." in wrong.text
    assert "set-cookie" not in wrong.headers
    answer = sign_in(client, next="/dashboard/apps/demo/deliveries")
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard/apps/demo/deliveries"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/dashboard" in cookie
    assert ADMIN_TOKEN not in answer.headers["set-cookie"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/admin/v1/apps"])
def test_sign_in_never_sends_anyone_elsewhere(client, target):
    assert sign_in(client, next=target).headers["location"] == "/dashboard"


def test_a_forged_or_stale_cookie_is_no_session(client):
    sign_in(client)
    good = client.cookies.get("clicktrail_dashboard")
    assert client.get("/dashboard/apps/demo/deliveries", follow_redirects=False).status_code != 303
    expires, rest = good.split(".", 1)
    client.cookies.set("clicktrail_dashboard", f"{int(expires) + 1}.{rest}", path="/dashboard")
    assert client.get("/dashboard/apps/demo/deliveries", follow_redirects=False).status_code == 303


def test_sign_out_needs_the_pages_csrf_token(client):
    configure(client, signage_document())
    sign_in(client)
    page = client.get("/dashboard/apps/demo/deliveries")
    assert page.status_code == 200
    forged = client.post("/dashboard/logout", data={"csrf": "forged"}, follow_redirects=False)
    assert forged.status_code == 403
    out = client.post("/dashboard/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303 and 'clicktrail_dashboard=""' in out.headers["set-cookie"]


def test_pages_load_nothing_from_elsewhere_and_cannot_be_framed(client):
    configure(client, signage_document())
    sign_in(client)
    page = client.get("/dashboard/apps/demo/journeys")
    policy = page.headers["content-security-policy"]
    assert (
        "default-src 'none'" in policy and "frame-ancestors 'none'" in policy and "script-src" not in policy
    )
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    assert not re.search(r'(src|href)="(https?:)?//', page.text)


def test_journey_search_shows_the_timeline(client):
    configure(client, signage_document())
    session_id = scan(client)
    sign_in(client)
    page = client.get("/dashboard/apps/demo/journeys", params={"id": session_id, "family": "signage"})
    assert page.status_code == 200
    assert 'data-type="scan.recorded"' in page.text
    missing = client.get("/dashboard/apps/demo/journeys", params={"id": "no-such-journey"})
    assert "No journey with this id." in missing.text
    other = client.get("/dashboard/apps/other/journeys", params={"id": session_id})
    assert "No journey with this id." in other.text  # another app's journey is not there


def test_dead_deliveries_are_listed_and_replayed(impatient_client, receiver, database_url):
    client = impatient_client
    receiver.status = 500
    document = signage_document()
    document["apps"][0]["webhooks"] = [{"url": receiver.url, "secret": "dashboard-hook-secret"}]
    configure(client, document)
    scan(client)
    sign_in(client)
    wait_until(lambda: 'data-status="dead"' in client.get("/dashboard/apps/demo/deliveries").text, 15)
    page = client.get("/dashboard/apps/demo/deliveries", params={"status": "dead"})
    delivery_id = re.search(r"/deliveries/(\d+)/replay", page.text).group(1)
    receiver.status = 200
    replayed = client.post(
        f"/dashboard/apps/demo/deliveries/{delivery_id}/replay",
        data={"csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert replayed.status_code == 303
    wait_until(lambda: 'data-status="delivered"' in client.get("/dashboard/apps/demo/deliveries").text)
    again = client.post(
        f"/dashboard/apps/demo/deliveries/{delivery_id}/replay", data={"csrf": csrf_of(page.text)}
    )
    assert again.status_code == 409  # the API's own refusal, shown on the page


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/dashboard", {"tz": "Mars/Olympus"}, 400),
        ("/dashboard/apps/demo/families/signage", {"tz": "Mars/Olympus"}, 400),
        ("/dashboard/apps/nope/families/signage", {}, 404),
        ("/dashboard/apps/nope/deliveries", {}, 404),
        ("/dashboard/apps/nope/journeys", {"id": "j-1"}, 404),
        ("/dashboard/apps/demo/deliveries", {"status": "lost"}, 400),
    ],
)
def test_what_a_page_is_asked_wrong_is_a_4xx_not_a_502(client, path, params, status):
    """A bad time zone or an unknown app is the reader's mistake, answered as such on the page; 502 is
    kept for the dashboard failing to get its data."""
    configure(client, signage_document())
    sign_in(client)
    page = client.get(path, params=params)
    assert page.status_code == status, page.text
    assert page.headers["content-type"].startswith("text/html")
