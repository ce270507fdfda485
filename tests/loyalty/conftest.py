"""A shop with a loyalty program, its till credentials, and small helpers for the till's calls."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from ..helpers import configure

SECRET = "pos-secret-1"
OTHER_SECRET = "other-pos-secret"

DOC: dict[str, Any] = {
    "apps": [
        {
            "id": "shop",
            "name": "Shop",
            "credentials": [
                {"name": "pos", "client_id": "pos-1", "secret": SECRET, "scopes": ["loyalty"]},
                {"name": "wall", "client_id": "wall-1", "secret": "wall-secret-1", "scopes": ["surveys"]},
            ],
            "loyalty": {
                "points_per_unit": 10,
                "near_miss_window": "5.00",
                "currency": "USD",
                "locale": "en-US",
                "offers": [
                    {
                        "id": "spend50",
                        "threshold": "50.00",
                        "bonus_points": 500,
                        "message": {
                            "en": "Spend {gap} more to earn 500 bonus points",
                            "fr": "Dépensez {gap} de plus pour gagner 500 points",
                        },
                    },
                    {
                        "id": "spend48",
                        "threshold": "48.00",
                        "bonus_points": 100,
                        "message": {"en": "Only {gap} away from {bonus_points} points"},
                    },
                    {
                        "id": "spend100",
                        "threshold": "100.00",
                        "bonus_points": 2000,
                        "message": {"en": "Spend {gap} more for 2000 points"},
                    },
                ],
            },
        },
        {
            "id": "other",
            "name": "Other",
            "credentials": [{"name": "pos", "secret": OTHER_SECRET, "scopes": ["loyalty"]}],
            "loyalty": {"offers": []},
        },
    ]
}

AUTH = {"Authorization": f"Bearer {SECRET}"}
OTHER = {"Authorization": f"Bearer {OTHER_SECRET}"}


@pytest.fixture
def shop(client):
    configure(client, DOC)
    return client


def new_cid() -> str:
    return str(uuid.uuid4())


def start(client, identifier: str = "member-1", *, kind: str | None = None, headers=AUTH, **body) -> dict:
    cid = body.pop("correlationId", None) or new_cid()
    extra = {"X-Identifier-Type": kind} if kind else {}
    response = client.post(
        f"/client/users/{identifier}/sessions",
        json={"correlationId": cid, "channel": "STORE", **body},
        headers={**headers, **extra},
    )
    assert response.status_code == 200, response.text
    return response.json()


def start_anonymous(client, *, headers=AUTH, **body) -> dict:
    cid = body.pop("correlationId", None) or new_cid()
    response = client.post(
        "/client/users/anonymous/sessions",
        json={"correlationId": cid, "channel": "STORE", **body},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


def activity(amount: str | float = "46.50", **extra) -> dict:
    return {
        "action": "PURCHASE",
        "channel": "STORE",
        "transactionDate": "2026-11-23T10:15:00Z",
        "basket": {"amount": amount, "currency": "USD", "lineItems": [{"sku": "A1", "amount": amount}]},
        **extra,
    }


def trial(client, cid: str, amount: str | float = "46.50", *, headers=AUTH, **extra):
    return client.post(
        f"/client/users/{cid}/activity/trial/v2", json=activity(amount, **extra), headers=headers
    )


def finalize(client, cid: str, amount: str | float = "46.50", *, headers=AUTH, **extra):
    return client.post(
        f"/client/users/{cid}/activity/finalize/v2", json=activity(amount, **extra), headers=headers
    )


def answer(client, cid: str, prompt_id: str, response: Any = "accepted", *, headers=AUTH):
    return client.put(
        f"/client/users/{cid}/prompts/{prompt_id}", json={"response": response}, headers=headers
    )


def events(client, cid: str, app_id: str = "shop") -> list[dict]:
    """The journey events of one session, oldest first (read through the admin API)."""
    from ..helpers import ADMIN

    response = client.get(
        f"/admin/v1/apps/{app_id}/events", params={"family": "loyalty", "journey_id": cid}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]
