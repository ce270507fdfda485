"""Erasing a surveys user (``X-User-Id``): their clicks, answers, skips, listings, start bonus, user row,
events and pending callbacks go; another user's, and the same user id in another app, stay."""

from __future__ import annotations

import pytest

from ..helpers import ADMIN, configure
from ..retention_support import sql
from .support import Wall, document, rows
from .test_attribution import click

ALICE, BOB = "alice-0001", "bob-00002"
TABLES = (
    "survey_clicks",
    "survey_answers",
    "survey_skips",
    "survey_sessions",
    "survey_start_bonuses",
    "survey_users",
    "journey_events",
)


def journey(client, user, token):
    """A start bonus earned (profile question, two answers, a callback), an open click and a skip."""
    wall = Wall(client, user=user, token=token)
    bonus = wall.click("start-bonus")
    for answer in ("1990-01-01", "10001", "2"):
        wall.answer(bonus, answer)
    wall.click("srv-auto")
    skipped = client.post(
        "/v2/client/surveys/srv-all/skip", headers={"X-Api-Token": token, "X-User-Id": user}
    )
    assert skipped.status_code == 200, skipped.text


def count(database_url, table, app_id, user_id):
    return rows(
        database_url, f"SELECT count(*) FROM {table} WHERE app_id = :a AND user_id = :u", a=app_id, u=user_id
    )[0][0]


def held(database_url):
    return dict(
        rows(
            database_url,
            "SELECT app_id, open_clicks FROM survey_quotas WHERE country = '*' AND survey_id = 'srv-auto'",
        )
    )


def pending_callbacks(database_url, app_id, user_id):
    return [
        url
        for (url,) in rows(
            database_url, "SELECT url FROM outbox WHERE app_id = :a AND status = 'pending'", a=app_id
        )
        if f"uid={user_id}&" in url
    ]


@pytest.fixture
def seeded(client, database_url):
    doc = document()
    doc["apps"][0]["surveys"]["list"][0]["quota"] = {"open_clicks": 100}
    doc["apps"][1]["surveys"]["list"] = doc["apps"][0]["surveys"]["list"]
    configure(client, doc)
    for app_token in ("wall-secret-1", "other-secret-1"):
        for user in (ALICE, BOB):
            journey(client, user, app_token)
    return client


def test_erase_removes_exactly_that_users_rows(seeded, database_url):
    before = {
        (t, a, u): count(database_url, t, a, u)
        for t in TABLES
        for a in ("acme", "other")
        for u in (ALICE, BOB)
    }
    assert all(before.values()), before
    assert pending_callbacks(database_url, "acme", ALICE)
    slots = held(database_url)

    response = seeded.delete(f"/admin/v1/apps/acme/users/{ALICE}", headers=ADMIN)
    assert response.status_code == 200, response.text
    receipt = response.json()
    assert receipt["erased"] is True and receipt["user_id"] == ALICE
    removed = receipt["removed"]["surveys"]
    for table in TABLES:
        assert removed[table] == before[(table, "acme", ALICE)], table
        assert count(database_url, table, "acme", ALICE) == 0
        assert count(database_url, table, "acme", BOB) == before[(table, "acme", BOB)]
        assert count(database_url, table, "other", ALICE) == before[(table, "other", ALICE)]
    assert receipt["removed"]["core"]["outbox_pending"] == 1
    assert pending_callbacks(database_url, "acme", ALICE) == []
    assert pending_callbacks(database_url, "acme", BOB) and pending_callbacks(database_url, "other", ALICE)
    # alice's open click gave its quota slot back
    assert held(database_url) == {**slots, "acme": slots["acme"] - 1}


def test_a_second_erase_removes_nothing_and_says_so(seeded):
    assert seeded.delete(f"/admin/v1/apps/acme/users/{ALICE}", headers=ADMIN).json()["erased"] is True
    again = seeded.delete(f"/admin/v1/apps/acme/users/{ALICE}", headers=ADMIN)
    assert again.status_code == 200
    body = again.json()
    assert body["erased"] is False and "nothing to erase" in body["detail"]
    assert all(n == 0 for tables in body["removed"].values() for n in tables.values())


def test_the_erased_user_starts_afresh(seeded):
    seeded.delete(f"/admin/v1/apps/acme/users/{ALICE}", headers=ADMIN)
    listed = {user: [s["id"] for s in Wall(seeded, user=user).surveys()] for user in (ALICE, BOB)}
    assert "start-bonus" in listed[ALICE]  # offered again: nothing remembers alice earned it
    assert "start-bonus" not in listed[BOB]


def test_erasure_leaves_no_click_id_of_the_user_in_any_event(client, database_url):
    """A click id is personal data: the erased user's ``click.created`` events, which carry it, go."""
    configure(client, document())
    wall = Wall(client, user="alice-1")
    click(client, wall, "srv-auto", gclid="G-alice", msclkid="M-alice")
    assert "G-alice" in str(sql(database_url, "SELECT payload FROM journey_events"))
    assert client.delete("/admin/v1/apps/acme/users/alice-1", headers=ADMIN).status_code == 200
    left = str(sql(database_url, "SELECT payload FROM journey_events"))
    assert "G-alice" not in left and "M-alice" not in left
