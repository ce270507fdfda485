"""``GET /admin/v1/apps/{app}/journeys``: recent journeys, newest first, found by journey or user id (the
whole log) or by payload text (the newest events)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clicktrail.admin import journeys
from clicktrail.core.journeys.events import record_event

from ..helpers import ADMIN, configure

START = datetime(2026, 1, 1, tzinfo=UTC)
APPS = {"apps": [{"id": "acme", "name": "Acme"}, {"id": "other", "name": "Other"}]}


@pytest.fixture
def seeded(client):
    configure(client, APPS)
    rows = [  # (family, journey, user, type, payload)
        (
            "surveys",
            "click-1",
            "u-1",
            "click.created",
            {"utm_source": "Newsletter", "utm_campaign": "spring"},
        ),
        ("partners", "reg-1", "u-1", "registration.created", {"email": "Alice@Example.com"}),
        ("surveys", "click-1", "u-1", "survey.completed", {}),
        ("signage", "sess-9", None, "session.created", {"campaign_id": "100%_off"}),
    ]
    with client.app.state.runtime.sessions() as session, session.begin():
        for i, (family, journey, user, type, payload) in enumerate(rows):
            record_event(
                session, app_id="acme", family=family, journey_id=journey, user_id=user, type=type,
                payload=payload, at=START + timedelta(minutes=i),
            )  # fmt: skip
        record_event(
            session, app_id="other", family="surveys", journey_id="click-x", user_id="u-1",
            type="click.created", payload={"email": "alice@example.com"},
        )  # fmt: skip


def found(client, **params):
    answer = client.get("/admin/v1/apps/acme/journeys", params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return [(j["family"], j["journey_id"]) for j in answer.json()["items"]]


def test_recent_journeys_newest_first_one_row_each(client, seeded):
    answer = client.get("/admin/v1/apps/acme/journeys", headers=ADMIN).json()["items"]
    assert [(j["journey_id"], j["events"], j["last_type"]) for j in answer] == [
        ("sess-9", 1, "session.created"),
        ("click-1", 2, "survey.completed"),
        ("reg-1", 1, "registration.created"),
    ]
    click = answer[1]
    assert click["user_id"] == "u-1" and click["utm_source"] == "Newsletter"
    assert click["first_at"] == "2026-01-01T00:00:00Z" and click["last_at"] == "2026-01-01T00:02:00Z"
    assert found(client, limit=1) == [("signage", "sess-9")]


def test_search_by_id_user_email_and_utm_in_this_app_only(client, seeded):
    assert found(client, q="u-1") == [("surveys", "click-1"), ("partners", "reg-1")]
    assert found(client, q="click-1") == [("surveys", "click-1")]
    assert found(client, q="alice@example.COM") == [("partners", "reg-1")]  # any case; not the other app's
    assert found(client, q="newsletter") == [("surveys", "click-1")]
    assert found(client, q="100%") == [("signage", "sess-9")]
    assert found(client, q="%") == [("signage", "sess-9")]  # a wildcard is only itself
    assert found(client, q="_") == [("signage", "sess-9"), ("surveys", "click-1")]  # not any one character
    assert found(client, q="nobody") == []


def search(client, q, app_id="acme"):
    answer = client.get(f"/admin/v1/apps/{app_id}/journeys", params={"q": q}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return [(j["family"], j["journey_id"]) for j in body["items"]], body["match"], body["searched"]


def test_ids_are_found_in_the_whole_log_and_text_in_the_newest_events_only(client, seeded, monkeypatch):
    monkeypatch.setattr(journeys, "SEARCHED", 2)  # text is sought in sess-9's and click-1's newest event only
    assert search(client, "reg-1") == ([("partners", "reg-1")], "journey_id", None)  # older than the bound
    assert search(client, "u-1") == ([("surveys", "click-1"), ("partners", "reg-1")], "user_id", None)
    assert search(client, "alice@example.com") == ([], "payload", 2)  # reg-1's email: beyond the bound
    assert search(client, "newsletter") == ([], "payload", 2)  # click-1's first event: beyond it too
    assert search(client, "100%") == ([("signage", "sess-9")], "payload", 2)
    monkeypatch.setattr(journeys, "SEARCHED", 10_000)
    assert search(client, "nobody") == ([], "payload", 4)  # acme's four events, not the other app's
    assert search(client, "newsletter") == ([("surveys", "click-1")], "payload", 4)
    assert search(client, "")[1:] == (None, None)


def test_another_apps_journey_or_user_id_is_never_found(client, seeded):
    with client.app.state.runtime.sessions() as session, session.begin():
        record_event(
            session, app_id="other", family="partners", journey_id="reg-x", user_id="u-x",
            type="registration.created", payload={},
        )  # fmt: skip
    assert search(client, "click-x") == ([], "payload", 4)
    assert search(client, "reg-x") == ([], "payload", 4)
    assert search(client, "u-x") == ([], "payload", 4)
    assert search(client, "reg-x", app_id="other") == ([("partners", "reg-x")], "journey_id", None)
    assert search(client, "u-1", app_id="other") == ([("surveys", "click-x")], "user_id", None)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"q": "x" * 256}, {"q": "a\x00b"}])
def test_bad_parameters_are_400(client, seeded, params):
    answer = client.get("/admin/v1/apps/acme/journeys", params=params, headers=ADMIN)
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_unknown_app_and_no_token(client, seeded):
    assert client.get("/admin/v1/apps/nope/journeys", headers=ADMIN).status_code == 404
    assert client.get("/admin/v1/apps/acme/journeys").status_code == 401


def test_live_summary_counts_the_last_minutes_visitors(client, monkeypatch):
    configure(client, APPS)
    now = datetime.now(UTC)
    rows = [  # (user, ip, journey, minutes ago)
        ("u-0", None, "old", 9), ("u-1", None, "a", 3), ("u-1", None, "b", 2), (None, "203.0.113.0", "c", 2),
        (None, "203.0.113.0", "d", 1), (None, None, "e", 0),
    ]  # fmt: skip
    with client.app.state.runtime.sessions() as session, session.begin():
        for user, ip, journey, ago in rows:
            record_event(
                session, app_id="acme", family="signage", journey_id=journey, user_id=user,
                type="scan.recorded", payload={"ip": ip} if ip else {}, at=now - timedelta(minutes=ago),
            )  # fmt: skip
        record_event(
            session, app_id="other", family="surveys", journey_id="x", user_id="u-7", type="click.created"
        )
    summary = client.get("/admin/v1/apps/acme/live", headers=ADMIN).json()
    assert summary["visitors"] == 3 and summary["matched"] == 5 and summary["complete"] is True
    assert [e["journey_id"] for e in summary["events"]] == ["e", "d", "c", "b", "a"]  # newest first
    assert summary["last_id"] == summary["events"][0]["id"]
    wider = client.get("/admin/v1/apps/acme/live", params={"minutes": 10}, headers=ADMIN).json()
    assert wider["visitors"] == 4
    monkeypatch.setattr(journeys, "LIVE_SCANNED", 2)  # a busy app: only the newest events are read
    busy = client.get("/admin/v1/apps/acme/live", headers=ADMIN).json()
    assert busy["matched"] == 2 and busy["complete"] is False
    for bad in ({"minutes": 0}, {"minutes": 61}):
        assert client.get("/admin/v1/apps/acme/live", params=bad, headers=ADMIN).status_code == 400
    assert client.get("/admin/v1/apps/nope/live", headers=ADMIN).status_code == 404
