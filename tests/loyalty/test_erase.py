"""Erasing a loyalty person: a member found by any identifier (with their sessions, trials, prompts and
transactions), or an anonymous session found by its correlation id or external identifier."""

from __future__ import annotations

import pytest

from ..helpers import ADMIN
from ..surveys.support import rows
from .conftest import AUTH, OTHER, finalize, start, start_anonymous, trial

TABLES = (
    "loyalty_prompts",
    "loyalty_trials",
    "loyalty_transactions",
    "loyalty_sessions",
    "loyalty_member_identifiers",
    "loyalty_members",
)


def visit(client, identifier, *, headers=AUTH, kind="EMAIL"):
    """A session with a near-miss trial (a prompt) and a finalized basket; returns its correlation id."""
    cid = start(client, identifier, kind=kind, headers=headers)["correlationId"]
    assert trial(client, cid, headers=headers).status_code == 200
    assert finalize(client, cid, headers=headers).status_code == 200
    return cid


def counts(database_url, app_id):
    return {
        t: rows(database_url, f"SELECT count(*) FROM {t} WHERE app_id = :a", a=app_id)[0][0] for t in TABLES
    }


def journeys(database_url, app_id):
    return {
        j for (j,) in rows(database_url, "SELECT journey_id FROM journey_events WHERE app_id = :a", a=app_id)
    }


@pytest.fixture
def seeded(shop):
    return {
        "alice": [visit(shop, "alice@example.com"), visit(shop, "Alice@Example.com")],
        "bob": [visit(shop, "bob@example.com")],
        "other-alice": [visit(shop, "alice@example.com", headers=OTHER)],
    }


def test_a_member_is_erased_by_an_identifier(shop, database_url, seeded):
    shop_before, other_before = counts(database_url, "shop"), counts(database_url, "other")
    response = shop.delete("/admin/v1/apps/shop/users/ALICE@example.com", headers=ADMIN)
    assert response.status_code == 200, response.text
    removed = response.json()["removed"]["loyalty"]
    # two sessions of one member, each with a trial, a prompt (46.50 is near 48 and 50) and a transaction
    assert removed == {
        "loyalty_prompts": 4,
        "loyalty_trials": 2,
        "loyalty_transactions": 2,
        "loyalty_sessions": 2,
        "loyalty_member_identifiers": 3,  # account id, loyalty id, email
        "loyalty_members": 1,
        "journey_events": removed["journey_events"],
    }
    assert removed["journey_events"] >= 7
    after = counts(database_url, "shop")
    assert after == {t: shop_before[t] - removed[t] for t in TABLES}
    assert after["loyalty_members"] == 1 and after["loyalty_sessions"] == 1  # bob
    assert counts(database_url, "other") == other_before
    assert journeys(database_url, "shop") == set(seeded["bob"])
    assert journeys(database_url, "other") == set(seeded["other-alice"])
    again = shop.delete("/admin/v1/apps/shop/users/alice@example.com", headers=ADMIN).json()
    assert again["erased"] is False and set(again["removed"]["loyalty"].values()) == {0}


def test_an_anonymous_session_is_erased_by_its_correlation_id_or_external_identifier(shop, database_url):
    by_cid = start_anonymous(shop)["correlationId"]
    by_external = start_anonymous(shop, externalIdentifier="receipt-4711")["correlationId"]
    kept = start_anonymous(shop)["correlationId"]
    for cid in (by_cid, by_external, kept):
        assert trial(shop, cid).status_code == 200
    for user_id in (by_cid, "receipt-4711"):
        receipt = shop.delete(f"/admin/v1/apps/shop/users/{user_id}", headers=ADMIN).json()
        assert receipt["removed"]["loyalty"]["loyalty_sessions"] == 1
        assert receipt["removed"]["loyalty"]["loyalty_members"] == 0
    assert journeys(database_url, "shop") == {kept}
