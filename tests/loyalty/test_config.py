"""The ``loyalty:`` config section: validated with paths, applied idempotently, read by the next trial."""

from __future__ import annotations

import copy

from ..helpers import ADMIN, configure
from .conftest import DOC, start, trial


def loyalty_doc(**changes) -> dict:
    doc = copy.deepcopy(DOC)
    doc["apps"][0]["loyalty"].update(changes)
    return doc


def test_applying_the_same_document_twice_changes_nothing(client):
    first = configure(client, DOC)
    assert "shop: loyalty offer 'spend50' created" in first["changes"]
    assert "shop: loyalty program created" in first["changes"]
    again = configure(client, DOC)
    assert again["changed"] is False
    assert again["changes"] == []


def test_changes_are_applied_and_reported(shop):
    offers = copy.deepcopy(DOC["apps"][0]["loyalty"]["offers"])
    offers[1]["bonus_points"] = 150
    report = configure(shop, loyalty_doc(near_miss_window="2.00", offers=offers[:2]))
    assert set(report["changes"]) == {
        "shop: loyalty program updated (near_miss_window_cents)",
        "shop: loyalty offer 'spend48' updated (bonus_points)",
        "shop: loyalty offer 'spend100' removed",
    }
    cid = start(shop)["correlationId"]
    body = trial(shop, cid, "46.50").json()
    assert [(n["offerId"], n["bonusPoints"]) for n in body["nearMiss"]] == [("spend48", 150)]
    assert [o["offerId"] for o in body["offers"]] == ["spend48", "spend50"]


def test_an_app_without_a_section_uses_defaults(client):
    doc = {
        "apps": [
            {
                "id": "bare",
                "name": "Bare",
                "credentials": [{"name": "p", "secret": "bare-secret", "scopes": ["loyalty"]}],
            }
        ]
    }
    configure(client, doc)
    headers = {"Authorization": "Bearer bare-secret"}
    cid = "bare-1"
    assert (
        client.post(
            "/client/users/anonymous/sessions", json={"correlationId": cid}, headers=headers
        ).status_code
        == 200
    )
    body = trial(client, cid, "12.34", headers=headers).json()
    assert body["estimate"]["basePoints"] == 12
    assert body["promptMessageID"] is None


def test_invalid_sections_are_refused_with_paths(client):
    cases = [
        ({"currency": "XYZ"}, "apps[0].loyalty.currency", "unknown ISO 4217 currency 'XYZ'"),
        ({"locale": "zz"}, "apps[0].loyalty.locale", "unknown locale 'zz'"),
        ({"near_miss_window": "1.005"}, "apps[0].loyalty.near_miss_window", "at most 2 decimal places"),
        ({"points_per_unit": -1}, "apps[0].loyalty.points_per_unit", "greater than or equal to 0"),
        ({"bonus": 1}, "apps[0].loyalty.bonus", "unknown key"),
        (
            {
                "offers": [
                    {"id": "a", "threshold": "10", "bonus_points": 1, "message": {"en": "{gap} {points}"}}
                ]
            },
            "apps[0].loyalty.offers[0].message.en",
            "unknown placeholder '{points}'",
        ),
        (
            {"offers": [{"id": "a", "threshold": "0", "bonus_points": 1, "message": {"en": "x"}}]},
            "apps[0].loyalty.offers[0].threshold",
            "greater than 0",
        ),
        (
            {
                "offers": [
                    {"id": "a", "threshold": "10", "bonus_points": 1, "message": {"en": "x"}},
                    {"id": "a", "threshold": "20", "bonus_points": 1, "message": {"en": "y"}},
                ]
            },
            "apps[0].loyalty",
            "offers[1].id: duplicate offer id 'a'",
        ),
    ]
    for changes, path, message in cases:
        response = client.put("/admin/v1/config", json=loyalty_doc(**changes), headers=ADMIN)
        assert response.status_code == 400, response.text
        problems = response.json()["errors"]
        assert any(p["path"] == path and message in p["message"] for p in problems), problems


def test_a_decimal_earn_rate_is_exact(shop):
    assert configure(shop, loyalty_doc(points_per_unit="1.5"))["changes"] == [
        "shop: loyalty program updated (points_per_unit)"
    ]
    assert configure(shop, loyalty_doc(points_per_unit="1.50"))["changes"] == []  # the same number
    cid = start(shop)["correlationId"]
    assert trial(shop, cid, "10.01").json()["estimate"]["basePoints"] == 15  # 15.015: whole points only
    assert trial(shop, cid, "0.67").json()["estimate"]["basePoints"] == 1  # 1.005
