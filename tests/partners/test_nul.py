"""A NUL character in any text of a partners body: PostgreSQL refuses it in text and SQLite keeps it, so
it is refused before either sees it (``core.strictjson``): 400 naming the field, in B2Core's envelope, and
nothing stored, on both engines alike."""

from __future__ import annotations

import base64

import pytest

from ..helpers import snapshot
from .conftest import AUTH, SEED_PROFILE, create, seed_click


def refused(field: str) -> dict:
    message = f"{field}: must not contain a NUL character"
    return {"message": message, "errors": {field: ["must not contain a NUL character"]}}


@pytest.mark.parametrize("field", ["uri", "userAgent", "referrer", "locale", "uuid", "ip"])
def test_a_click_with_a_nul_is_refused_naming_the_field(ib, database_url, field):
    before = snapshot(database_url)
    response = ib.post("/ib/v1/clicks", json=seed_click(**{field: "en\x00x"}), headers=AUTH)
    assert response.status_code == 400
    assert response.json() == refused(field)
    assert snapshot(database_url) == before


@pytest.mark.parametrize(
    ("method", "body", "field"),
    [
        ("PUT", {"profile": {**SEED_PROFILE["profile"], "firstName": "Ma\x00ry"}}, "profile.firstName"),
        ("PUT", {**SEED_PROFILE["profile"], "tag": "t\x00"}, "tag"),
        (
            "PATCH",
            {"profile": {"contacts": [{"key": "email", "value": "a@b.example", "uuid": "\x00"}]}},
            "profile.contacts.0.uuid",
        ),
        ("PATCH", {"lastName\x00": "Smith"}, "lastName\x00"),
    ],
)
def test_a_registration_with_a_nul_is_refused_naming_the_field(ib, database_url, method, body, field):
    click = create(ib)
    before = snapshot(database_url)
    response = ib.request(method, f"/ib/v1/clicks/{click['clickId']}", json=body, headers=AUTH)
    assert response.status_code == 400
    assert response.json() == refused(field)
    assert snapshot(database_url) == before


def test_a_client_id_with_a_nul_is_an_unknown_client(ib):
    """No stored client_id holds a NUL: an unknown client (401) on both engines, not PostgreSQL's 400."""
    basic = base64.b64encode(b"ib-acme\x00:secret").decode()
    body = {"grant_type": "client_credentials"}
    response = ib.post("/ib/v1/tokens", json=body, headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 401
    assert response.json()["message"] == "invalid client credentials"


@pytest.mark.parametrize("key", ["filter[uri]", "filter[uuid]", "filter[profileName]", "sort_by"])
def test_a_list_filter_with_a_nul_is_refused_naming_it(ib, key):
    create(ib)
    response = ib.get("/ib/v1/clicks", params={key: "a\x00b"}, headers=AUTH)
    assert response.status_code == 400, response.text
    assert response.json()["message"] == f"{key}: must not contain a NUL character"
