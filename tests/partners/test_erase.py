"""Erasing a partners person: the profile found by its id, uuid or a contact (an email), its contacts, the
clicks registered to it, their events and pending postbacks. Other people and other apps keep theirs."""

from __future__ import annotations

import copy

import pytest

from clicktrail.core.journeys.log import JourneyEvent
from clicktrail.core.journeys.outbox import OutboxMessage
from clicktrail.partners.models import PartnerClick, PartnerContact, PartnerProfile

from ..helpers import ADMIN
from .conftest import AUTH, OTHER, SEED_PROFILE, create
from .test_clicks import rows


def register(client, headers, email, uuid=None):
    click = create(client, headers=headers, time=None)
    profile = copy.deepcopy(SEED_PROFILE)
    profile["profile"]["uuid"] = uuid
    profile["profile"]["contacts"][0]["value"] = email
    response = client.put(f"/ib/v1/clicks/{click['clickId']}", json=profile, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def ids(database_url, model, app_id):
    return {row["id"] for row in rows(database_url, model) if row["app_id"] == app_id}


@pytest.fixture
def seeded(ib):
    people = {
        "alice": register(ib, AUTH, "alice@example.com", uuid="crm-alice"),
        "bob": register(ib, AUTH, "bob@example.com"),
        "other-alice": register(ib, OTHER, "alice@example.com"),
    }
    people["anonymous"] = create(ib, time=None)
    return people


@pytest.mark.parametrize("named_by", ["email", "profile id", "uuid"])
def test_erase_removes_the_person_and_their_clicks(ib, database_url, seeded, named_by):
    alice = seeded["alice"]
    user_id = {"email": "Alice@Example.com", "profile id": alice["profileId"], "uuid": "crm-alice"}[named_by]
    events_before = {e["journey_id"] for e in rows(database_url, JourneyEvent)}
    assert alice["clickId"] in events_before
    response = ib.delete(f"/admin/v1/apps/acme/users/{user_id}", headers=ADMIN)
    assert response.status_code == 200, response.text
    receipt = response.json()
    assert receipt["removed"]["partners"] == {
        "partner_clicks": 1,
        "partner_contacts": 2,
        "partner_profiles": 1,
        "journey_events": 2,  # click.created and click.registered
    }
    # the click's pending postback
    core = {"outbox_pending": 1, "outbox_delivered": 0, "outbox_dead": 0, "outbox_cancelled": 0}
    assert receipt["removed"]["core"] == core

    assert ids(database_url, PartnerClick, "acme") == {
        seeded["bob"]["clickId"],
        seeded["anonymous"]["clickId"],
    }
    assert ids(database_url, PartnerProfile, "acme") == {seeded["bob"]["profileId"]}
    assert {c["profile_id"] for c in rows(database_url, PartnerContact) if c["app_id"] == "acme"} == {
        seeded["bob"]["profileId"]
    }
    assert ids(database_url, PartnerClick, "other") == {seeded["other-alice"]["clickId"]}
    assert ids(database_url, PartnerProfile, "other") == {seeded["other-alice"]["profileId"]}
    journeys = {e["journey_id"] for e in rows(database_url, JourneyEvent)}
    assert journeys == events_before - {alice["clickId"]}
    postbacks = [m["url"] for m in rows(database_url, OutboxMessage) if m["status"] == "pending"]
    assert not any(alice["clickId"] in url for url in postbacks)
    assert any(seeded["bob"]["clickId"] in url for url in postbacks)
    assert ib.get(f"/ib/v1/clicks/{alice['clickId']}", headers=AUTH).status_code == 404
    assert ib.get(f"/ib/v1/clicks/{seeded['other-alice']['clickId']}", headers=OTHER).status_code == 200


def test_a_second_erase_removes_nothing(ib, seeded):
    assert ib.delete("/admin/v1/apps/acme/users/alice@example.com", headers=ADMIN).json()["erased"] is True
    again = ib.delete("/admin/v1/apps/acme/users/alice@example.com", headers=ADMIN).json()
    assert again["erased"] is False
    assert again["removed"]["partners"] == {
        "partner_clicks": 0,
        "partner_contacts": 0,
        "partner_profiles": 0,
        "journey_events": 0,
    }


def test_erasure_leaves_no_click_id_of_the_person_in_any_event(ib, database_url):
    """A click id is personal data: the erased person's click events, which carry it, go with the click."""
    click = create(ib, uri="https://my.stage.org/register?referral=1&gclid=G-alice&fbclid=F-alice")
    assert ib.put(f"/ib/v1/clicks/{click['clickId']}", json=SEED_PROFILE, headers=AUTH).status_code == 200
    assert "G-alice" in str(rows(database_url, JourneyEvent))
    assert ib.delete("/admin/v1/apps/acme/users/client@email.com", headers=ADMIN).status_code == 200
    left = str(rows(database_url, JourneyEvent))
    assert "G-alice" not in left and "F-alice" not in left
