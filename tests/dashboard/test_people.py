"""The dashboard's Live page (events and visitors of the last five minutes, then each new one through its
script and the event stream), the journeys list and search, and the person page."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import httpx

from clicktrail.admin import journeys
from clicktrail.core.journeys.events import record_event

from ..helpers import ADMIN, ADMIN_TOKEN, configure
from ..signage.support import HEADERS, document
from .test_dashboard import sign_in

APPS = {"apps": [{"id": "acme", "name": "Acme"}, {"id": "other", "name": "Other"}]}


def seed(client, *events, app_id="acme"):
    with client.app.state.runtime.sessions() as session, session.begin():
        for family, journey, user, type, payload, at in events:
            record_event(
                session, app_id=app_id, family=family, journey_id=journey, user_id=user, type=type,
                payload=payload, at=at,
            )  # fmt: skip


def test_live_page_lists_the_last_five_minutes_and_its_visitors(client):
    configure(client, APPS)
    now = datetime.now(UTC)
    seed(
        client,
        ("surveys", "old", "u-0", "click.created", {}, now - timedelta(minutes=9)),
        ("surveys", "c-1", "u-1", "click.created", {}, now - timedelta(minutes=2)),
        ("surveys", "c-1", "u-1", "survey.completed", {}, now - timedelta(minutes=1)),
        ("signage", "s-1", None, "session.created", {"ip": "203.0.113.0"}, now - timedelta(minutes=1)),
        ("signage", "s-2", None, "session.created", {"ip": "203.0.113.0"}, now),
        ("partners", "r-1", None, "registration.created", {}, now),
    )
    seed(client, ("surveys", "x", "u-9", "click.created", {}, now), app_id="other")
    sign_in(client)
    page = client.get("/dashboard/apps/acme/live")
    assert page.status_code == 200
    assert re.search(r'id="visitors">3<', page.text)  # u-1, one address, one anonymous journey
    assert re.findall(r'data-type="([^"]+)"', page.text) == [  # newest first; not the old one, not other's
        "registration.created", "session.created", "session.created", "survey.completed", "click.created",
    ]  # fmt: skip
    assert 'href="/dashboard/apps/acme/people/u-1"' in page.text
    assert 'href="/dashboard/apps/acme/live"' in page.text  # in the nav


def test_live_pages_script_is_its_own_and_reads_only_this_origin(client):
    configure(client, APPS)
    sign_in(client)
    page = client.get("/dashboard/apps/acme/live")
    policy = page.headers["content-security-policy"]
    nonce = re.search(r"script-src 'nonce-([^']+)'", policy)
    assert nonce and "connect-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert re.findall(r"<script[^>]*>", page.text) == [f'<script nonce="{nonce.group(1)}">']
    assert not re.search(r'(src|href)="(https?:)?//', page.text)
    other = client.get("/dashboard/apps/acme/journeys")
    assert "script-src" not in other.headers["content-security-policy"]  # other pages: still no script


def test_live_page_and_its_stream_need_a_session(client):
    configure(client, APPS)
    for path in ("/dashboard/apps/acme/live", "/dashboard/apps/acme/people/u-1"):
        page = client.get(path, follow_redirects=False)
        assert page.status_code == 303 and "/dashboard/login" in page.headers["location"]
    assert client.get("/dashboard/apps/acme/live/stream", headers=ADMIN).status_code == 401
    sign_in(client)
    assert client.get("/dashboard/apps/nope/live").status_code == 404
    assert client.get("/dashboard/apps/nope/live/stream").status_code == 404


def test_the_live_pages_stream_sends_what_another_process_commits(database_url, start_server):
    reader, writer = start_server(database_url), start_server(database_url)
    with httpx.Client(timeout=10) as http:
        assert http.put(f"{writer}/admin/v1/config", json=document(), headers=ADMIN).is_success
        signed = http.post(f"{reader}/dashboard/login", data={"token": ADMIN_TOKEN, "next": "/dashboard"})
        assert signed.status_code in (200, 303) and http.cookies.get("clicktrail_dashboard")
        page = http.get(f"{reader}/dashboard/apps/demo/live")
        after = re.search(r"live/stream\?after=(\d+)", page.text)
        assert after, page.text
        with http.stream("GET", f"{reader}/dashboard/apps/demo/live/stream?after={after.group(1)}") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            started = time.monotonic()
            create = f"{writer}/smart-engage/post/create-session"
            answer = http.post(create, json={"campaign_id": "spring-form"}, headers=HEADERS)
            assert answer.is_success
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    assert '"type":"session.created"' in line
                    break
            assert time.monotonic() - started < 1.0


def test_journeys_page_lists_and_searches_recent_journeys(client):
    configure(client, APPS)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    seed(
        client,
        ("surveys", "c-1", "u-1", "click.created", {"utm_source": "newsletter"}, at),
        ("partners", "r-1", "u-2", "registration.created", {"email": "bob@example.com"}, at),
    )
    sign_in(client)
    listed = client.get("/dashboard/apps/acme/journeys")
    assert listed.status_code == 200
    assert "?id=c-1&amp;family=surveys" in listed.text and "?id=r-1&amp;family=partners" in listed.text
    found = client.get("/dashboard/apps/acme/journeys", params={"q": "BOB@example.com"})
    assert "?id=r-1&amp;family=partners" in found.text and "c-1" not in found.text
    assert "newsletter" in client.get("/dashboard/apps/acme/journeys", params={"q": "u-1"}).text
    assert "No journey matches." in client.get("/dashboard/apps/acme/journeys", params={"q": "zzz"}).text


def test_journeys_page_finds_ids_anywhere_and_states_how_far_text_was_searched(client, monkeypatch):
    configure(client, APPS)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    seed(
        client,
        ("surveys", "c-1", "u-1", "click.created", {"utm_source": "newsletter"}, at),
        ("partners", "r-1", None, "registration.created", {"email": "bob@example.com"}, at),
        ("signage", "s-1", None, "session.created", {"campaign_id": "spring"}, at),
    )
    seed(client, ("surveys", "c-x", "u-x", "click.created", {}, at), app_id="other")
    monkeypatch.setattr(journeys, "SEARCHED", 2)  # text is sought in r-1's and s-1's events only
    sign_in(client)

    def search(q):
        page = client.get("/dashboard/apps/acme/journeys", params={"q": q})
        assert page.status_code == 200
        return page.text

    by_journey = search("c-1")
    assert "Journeys with id “c-1”" in by_journey and "?id=c-1&amp;family=surveys" in by_journey
    assert 'id="searched"' not in by_journey
    by_user = search("u-1")
    assert "Journeys of user “u-1”" in by_user and "?id=c-1&amp;family=surveys" in by_user
    beyond = search("newsletter")  # c-1's payload, older than the newest two events
    assert "No journey matches." in beyond
    assert "searched the text of the newest 2 events." in beyond
    within = search("BOB@example.com")
    assert "?id=r-1&amp;family=partners" in within and "searched the text of the newest 2 events." in within
    for elsewhere in ("c-x", "u-x"):  # the other app's journey and user
        listed = search(elsewhere).split("</h2>")[1]
        assert "No journey matches." in listed and "?id=c-x" not in listed


def test_person_page_shows_one_users_journeys_in_every_family(client):
    configure(client, APPS)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    seed(
        client,
        ("surveys", "c-1", "u-1", "click.created", {}, at),
        ("partners", "r-1", "u-1", "registration.created", {}, at + timedelta(minutes=1)),
        ("loyalty", "l-1", "u-1", "member.enrolled", {}, at + timedelta(minutes=2)),
        ("signage", "s-1", "u-1", "session.created", {}, at + timedelta(minutes=3)),
        ("signage", "s-2", "u-2", "session.created", {}, at),
    )
    seed(client, ("surveys", "x", "u-1", "click.created", {}, at), app_id="other")
    sign_in(client)
    page = client.get("/dashboard/apps/acme/people/u-1")
    assert page.status_code == 200
    timeline = page.text.split('id="timeline"')[1]
    assert re.findall(r'data-type="([^"]+)"', timeline) == [
        "click.created", "registration.created", "member.enrolled", "session.created",
    ]  # fmt: skip
    assert "s-2" not in page.text and ">x<" not in page.text
    assert "No events of this user." in client.get("/dashboard/apps/acme/people/nobody").text
    assert client.get("/dashboard/apps/nope/people/u-1").status_code == 404
