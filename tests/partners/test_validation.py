"""Bad input is a 4xx in the B2Core envelope and changes nothing; fields a body does not know are
ignored, as vendors' APIs do."""

from __future__ import annotations

import copy

from ..helpers import snapshot
from .conftest import AUTH, SECRET, SEED_PROFILE, create, seed_click


def _profile(**changes):
    body = copy.deepcopy(SEED_PROFILE)
    body["profile"].update(changes)
    return body


def _contact(key, value):
    return _profile(contacts=[{"key": key, "value": value, "uuid": None}])


BAD_CREATES = [
    {k: v for k, v in seed_click().items() if k != "ip"},
    seed_click(ip=""),
    seed_click(ip="999.1.1.1"),
    seed_click(ip="localhost"),
    seed_click(ip=185),
    seed_click(ip=None),
    {k: v for k, v in seed_click().items() if k != "uri"},
    seed_click(uri=""),
    seed_click(uri="https://my.stage.org/?" + "x" * 2048),
    seed_click(userAgent="M" * 2049),
    seed_click(referrer="r" * 2049),
    seed_click(uuid="u" * 256),
    seed_click(locale="l" * 65),
    seed_click(time="yesterday"),
    [],
    "click",
]
BAD_PUTS = [
    {},
    {"firstName": "Mary"},  # the flat form, without the other fields a registration needs
    {"profile": None},
    {"profile": "Mary"},
    {"profile": {"firstName": "Mary"}},
    {**SEED_PROFILE["profile"], "enabled": "maybe"},  # the flat form, with a field of the wrong type
    {**SEED_PROFILE["profile"], "contacts": [{"key": "email", "value": "bad"}]},
    _profile(firstName=None),
    _profile(firstName="x" * 256),
    _profile(lastName="x" * 256),
    _profile(middleName="x" * 256),
    _profile(uuid="x" * 256),
    _profile(tag="x" * 256),
    _profile(enabled="maybe"),
    _profile(contacts=None),
    _profile(contacts={"key": "email", "value": "a@b.example"}),
    _contact("fax", "+14155552671"),
    _contact("email", "not-an-email"),
    _contact("email", "mary@"),
    _contact("email", "x" * 250 + "@b.example"),
    _contact("phone", "12345"),
    _contact("phone", "+1 23"),
    _contact("phone", "call me"),
    _profile(contacts=[{"key": "email", "value": "a@b.example", "uuid": "u" * 256}]),
]
BAD_PATCHES = [
    {"profile": {"firstName": "x" * 256}},
    {"firstName": "x" * 256},
    {"profile": None},
    {"profile": {"contacts": [{"key": "email", "value": "bad"}]}},
    {"profile": {"enabled": "yes please"}},
]


def test_bad_input_is_400_and_changes_nothing(ib, database_url):
    click = create(ib)["clickId"]
    before = snapshot(database_url)
    for body in BAD_CREATES:
        response = ib.post("/ib/v1/clicks", json=body, headers=AUTH)
        assert response.status_code == 400, body
        assert set(response.json()) == {"message", "errors"} and response.json()["errors"], body
    for body in BAD_PUTS:
        response = ib.put(f"/ib/v1/clicks/{click}", json=body, headers=AUTH)
        assert response.status_code == 400, body
        assert set(response.json()) == {"message", "errors"}, body
    for body in BAD_PATCHES:
        response = ib.patch(f"/ib/v1/clicks/{click}", json=body, headers=AUTH)
        assert response.status_code == 400, body
        assert set(response.json()) == {"message", "errors"}, body
    for body in [[], "profile", 1]:  # not a JSON object
        for method in ("PUT", "PATCH"):
            response = ib.request(method, f"/ib/v1/clicks/{click}", json=body, headers=AUTH)
            assert response.status_code == 400, (method, body)
            assert set(response.json()) == {"message", "errors"}, body
    for method in ("POST", "PUT", "PATCH"):
        path = "/ib/v1/clicks" if method == "POST" else f"/ib/v1/clicks/{click}"
        response = ib.request(
            method, path, content=b'{"ip": "1.2.3.4",', headers={**AUTH, "Content-Type": "application/json"}
        )
        assert response.status_code == 400, method
        assert response.json()["errors"] == {"body": ["malformed JSON"]}
    assert snapshot(database_url) == before


def test_unknown_fields_are_ignored(ib):
    """On the click POST, PUT, PATCH and their contacts: what a body does not know is dropped, and the
    rest does what it would alone."""
    response = ib.post("/ib/v1/clicks", json=seed_click(foo="bar", extra={"a": 1}), headers=AUTH)
    assert response.status_code == 201, response.text
    assert "foo" not in response.json() and "extra" not in response.json()
    click = response.json()["clickId"]
    profile = copy.deepcopy(SEED_PROFILE["profile"])
    profile["unknown"] = "x"
    profile["contacts"][0]["note"] = "x"
    response = ib.put(f"/ib/v1/clicks/{click}", json={"profile": profile, "clickId": "x"}, headers=AUTH)
    assert response.status_code == 200, response.text
    response = ib.patch(f"/ib/v1/clicks/{click}", json={"profile": {"tag": "7", "foo": 1}}, headers=AUTH)
    assert response.status_code == 200, response.text
    body = ib.get(f"/ib/v1/clicks/{click}?query[profile]=1&query[contacts]=1", headers=AUTH).json()
    assert body["profile"]["tag"] == "7" and body["profile"]["firstName"] == "Mary"
    assert body["contacts"][0] == {"key": "email", "value": "client@email.com", "uuid": None}
    token = ib.post(
        "/ib/v1/tokens", json={"grant_type": "client_credentials", "scope": "x"}, auth=("ib-acme", SECRET)
    )
    assert token.status_code == 200, token.text


def test_error_messages_name_the_field(ib):
    click = create(ib)["clickId"]
    response = ib.put(f"/ib/v1/clicks/{click}", json=_contact("email", "not-an-email"), headers=AUTH)
    assert list(response.json()["errors"]) == ["profile.contacts.0.value"]
    assert "invalid email address" in response.json()["errors"]["profile.contacts.0.value"][0]
    # the flat form names its fields where they are
    flat = {**_contact("email", "not-an-email")["profile"], "enabled": "maybe"}
    response = ib.put(f"/ib/v1/clicks/{click}", json=flat, headers=AUTH)
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["contacts.0.value", "enabled"]
    response = ib.post("/ib/v1/clicks", json=seed_click(ip="999.1.1.1"), headers=AUTH)
    assert response.json()["errors"] == {"ip": ["must be an IPv4 or IPv6 address"]}


def test_unknown_routes_and_methods_keep_the_envelope(ib):
    for method, path in [("GET", "/ib/v1/nope"), ("POST", "/ib/v1/clicks/60ba407d15951453e60e49f8")]:
        response = ib.request(method, path, headers=AUTH)
        assert response.status_code in (404, 405)
        assert set(response.json()) == {"message", "errors"}
