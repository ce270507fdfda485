"""Inputs that used to answer 5xx: each now a clear 4xx in its family's envelope (the fuzz table in
tests/e2e/test_hostile_inputs.py sends the whole class to every operation)."""

from __future__ import annotations

import pytest

from clicktrail.core.web import strictjson
from clicktrail.core.web.errors import InvalidInput, printable

from ..helpers import ADMIN, ADMIN_TOKEN, configure

ALL = {"name": "all", "secret": ADMIN_TOKEN, "scopes": ["surveys", "partners", "loyalty", "signage"]}
DOC = {"apps": [{"id": "fuzz", "name": "Fuzz", "credentials": [ALL]}, {"id": "other", "name": "Other"}]}
KEYS = {"Authorization": f"Bearer {ADMIN_TOKEN}"}  # one credential header a request: two are a 400
JSON = {**KEYS, "Content-Type": "application/json"}
SIGNAGE_JSON = {"API-KEY": ADMIN_TOKEN, "Content-Type": "application/json"}
DEEP = b"[" * 30_000 + b"]" * 30_000  # deep, yet under the 64 KB body cap (a bigger body is a 413)
RANGE = "must lie between 1970-01-01T00:00:00Z and 9998-12-31T23:59:59Z"
EXTREMES = ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"]


@pytest.fixture
def app(client):
    configure(client, DOC)
    return client


@pytest.mark.parametrize("path", ["create-session", "update-session-status"])
def test_deep_nesting_to_signage_is_a_400(app, path):
    response = app.post(f"/smart-engage/post/{path}", content=DEEP, headers=SIGNAGE_JSON)
    assert response.status_code == 400
    assert response.json() == {"error_msg": "Request body must be valid JSON (nested deeper than 64 levels)"}


@pytest.mark.parametrize("time", [*EXTREMES, "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z"])
def test_click_times_out_of_range_are_a_400(app, time):
    body = {"ip": "1.2.3.4", "uri": "https://x.example/", "time": time}
    response = app.post("/ib/v1/clicks", json=body, headers=KEYS)
    assert response.status_code == 400
    assert response.json() == {"message": f"time: {RANGE}", "errors": {"time": [RANGE]}}


def test_click_times_at_the_ends_of_the_range_are_kept(app):
    for time in ("1970-01-01T00:00:00Z", "9998-12-31T23:59:59Z"):
        body = {"ip": "1.2.3.4", "uri": "https://x.example/", "time": time}
        assert app.post("/ib/v1/clicks", json=body, headers=KEYS).status_code == 201


@pytest.mark.parametrize(
    "query",
    ["filter[clickEndTime]=9999-12-31T23:59:59Z", "filter[clickStartTime]=0001-01-01T00:00:00%2B23:59"],
)
def test_click_filters_out_of_range_are_a_400(app, query):
    response = app.get(f"/ib/v1/clicks?{query}", headers=KEYS)
    assert response.status_code == 400
    assert response.json()["errors"] == {query.split("=")[0]: [RANGE]}


@pytest.mark.parametrize("route", ["trial", "finalize"])
@pytest.mark.parametrize("when", EXTREMES)
def test_transaction_dates_out_of_range_are_a_400(app, route, when):
    body = {
        "action": "PURCHASE",
        "channel": "POS",
        "transactionDate": when,
        "basket": {"amount": "10.00", "currency": "USD"},
    }
    response = app.post(f"/client/users/c-1/activity/{route}/v2", json=body, headers=KEYS)
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "errorMessage": f"transactionDate: {RANGE}",
        "errorCode": "INVALID_REQUEST",
    }


@pytest.mark.parametrize("name", ["since", "until"])
@pytest.mark.parametrize("when", ["0001-01-01T00:00:00%2B23:59", "9999-12-31T23:59:59-23:59"])
def test_admin_event_bounds_out_of_range_are_a_400(app, name, when):
    response = app.get(f"/admin/v1/apps/fuzz/events?{name}={when}", headers=ADMIN)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == f"{name}: {RANGE}"


@pytest.mark.parametrize("value", ['"\\ud800"', '"x\\udc00"'])
def test_a_lone_surrogate_is_malformed_json(app, value):
    body = ('{"response": ' + value + "}").encode()
    response = app.put("/client/users/c-1/prompts/p-1", content=body, headers=JSON)
    assert response.status_code == 400
    assert response.json()["errorMessage"] == "malformed JSON"
    surveys = app.post("/v2/client/clicks/unknown", content=b'{"answers": [' + value.encode() + b"]}")
    assert surveys.status_code in (400, 404) and surveys.json()["status"] == "error"


def test_error_texts_are_encodable_and_bounded():
    error = printable(
        InvalidInput("\ud800" + "x" * 5000, details={"fields": {"k" * 500 + "\udc00": ["\ud800 bad"]}})
    )
    assert error.message.startswith("\\ud800") and len(error.message) <= 1010
    [(key, [message])] = error.details["fields"].items()
    assert len(key) == 101 and message == "\\ud800 bad"
    key.encode("utf-8"), message.encode("utf-8"), error.message.encode("utf-8")


def test_long_values_are_not_echoed_whole(app):
    response = app.get(f"/admin/v1/apps/fuzz/events?family={'f' * 5000}", headers=ADMIN)
    assert response.status_code == 400 and len(response.json()["detail"]) < 300


@pytest.mark.parametrize(
    ("body", "content_type", "detail"),
    [
        (DEEP, "application/json", "invalid JSON: nested deeper than 64 levels"),
        (b"[" * 20_000 + b"]" * 20_000, "application/yaml", "invalid YAML: nested deeper than 64 levels"),
        (b'{"apps": ' + b"9" * 5000 + b"}", "application/json", "invalid JSON: number is infinity"),
        (b"apps: " + b"9" * 5000, "application/yaml", "invalid YAML: Exceeds the limit (4300 digits)"),
        (b'{"apps": [], "apps": []}', "application/json", "invalid JSON: duplicate key 'apps'"),
    ],
)
def test_admin_config_parsing_refuses_cleanly(app, body, content_type, detail):
    response = app.put("/admin/v1/config", content=body, headers={**ADMIN, "Content-Type": content_type})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith(detail)


def test_a_client_id_another_app_holds_is_a_409(app):
    first = {"name": "k1", "scopes": ["partners"], "client_id": "shared-id"}
    assert app.post("/admin/v1/apps/fuzz/credentials", json=first, headers=ADMIN).status_code == 201
    for app_id in ("fuzz", "other"):
        second = {"name": "k2", "scopes": ["partners"], "client_id": "shared-id"}
        response = app.post(f"/admin/v1/apps/{app_id}/credentials", json=second, headers=ADMIN)
        assert response.status_code == 409, response.text
        assert (
            response.json()["detail"] == "client_id 'shared-id' is already used by a credential of app 'fuzz'"
        )


@pytest.mark.parametrize("order", [("fuzz", "other"), ("other", "fuzz")])
def test_config_claiming_a_held_client_id_names_the_path(app, order):
    held = {"name": "k1", "scopes": ["partners"], "client_id": "shared-id"}
    assert app.post("/admin/v1/apps/fuzz/credentials", json=held, headers=ADMIN).status_code == 201
    claim = {"name": "k9", "secret": "another-secret-1", "scopes": ["partners"], "client_id": "shared-id"}
    apps = {
        "fuzz": {"id": "fuzz", "name": "Fuzz", "credentials": [ALL]},
        "other": {"id": "other", "name": "O"},
    }
    apps["other"]["credentials"] = [claim]
    document = {"apps": [apps[name] for name in order]}
    response = app.put("/admin/v1/config", json=document, headers=ADMIN)
    assert response.status_code in (400, 409), response.text
    index = order.index("other")
    assert response.json()["errors"][0]["path"] == f"apps[{index}].credentials[0].client_id"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/ib/v1/clicks", b'{"ip": "1.2.3.4", "uri": "https://a.example/", "uri": "https://b.example/"}'),
        ("/client/users/c-1/prompts/p-1", b'{"response": "accepted", "response": "declined"}'),
        ("/smart-engage/post/create-session", b'{"campaign_id": "a", "campaign_id": "b"}'),
        ("/admin/v1/apps/fuzz/credentials", b'{"name": "a", "name": "b", "scopes": ["partners"]}'),
    ],
)
def test_repeated_keys_are_refused_on_every_json_path(app, path, body):
    method = "PUT" if "/prompts/" in path else "POST"
    headers = {**JSON, **ADMIN} if "admin" in path else SIGNAGE_JSON if "smart-engage" in path else JSON
    response = app.request(method, path, content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert "duplicate key" in response.text


def test_strict_json_rules():
    for text in (b'{"a": 1, "a": 1}', b'{"a\\u003a": 1, "a:": 2}', b'[{"b": {"c": 1, "c": 2}}]', b"NaN"):
        with pytest.raises(strictjson.JsonRefused):
            strictjson.loads(text)
    for text in (b'{"a:b": "c:d", "e": [":", {"f": "g"}]}', b'[{"a": 1}, {"a": 1}]', b'{"\\u00e9": 1}'):
        strictjson.loads(text)
    assert strictjson.loads(b"[" * 64 + b"]" * 64) is not None
    with pytest.raises(strictjson.JsonRefused, match="deeper than 64"):
        strictjson.loads(b"[" * 65 + b"]" * 65)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/ib/v1/clicks", b'{"ip": "1.2.3.4", "uri": "https://a.example/\\u0000"}', "uri"),
        ("/client/users/c-1/prompts/p-1", b'{"response": "accepted\\u0000"}', "response"),
        ("/smart-engage/post/create-session", b'{"campaign_id": "a\\u0000"}', "campaign_id"),
        ("/admin/v1/apps/fuzz/credentials", b'{"name": "a\\u0000", "scopes": ["partners"]}', "name"),
        ("/admin/v1/apps/fuzz/credentials", b'{"name": "a", "scopes": ["\\u0000"]}', "scopes.0"),
    ],
)
def test_a_nul_is_refused_naming_the_field_on_every_json_path(app, path, body, field):
    """PostgreSQL refuses NUL in text and SQLite keeps it: refused before either sees it."""
    method = "PUT" if "/prompts/" in path else "POST"
    headers = {**JSON, **ADMIN} if "admin" in path else SIGNAGE_JSON if "smart-engage" in path else JSON
    response = app.request(method, path, content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert f"{field}: must not contain a NUL character" in response.text


def test_strict_json_refuses_nul_characters():
    for text, path in (
        (b'"\\u0000"', ()),
        (b'{"a": [1, {"b": "x\\u0000y"}]}', ("a", 1, "b")),
        (b'{"k\\u0000": 1}', ("k\x00",)),
    ):
        with pytest.raises(strictjson.NulRefused) as refused:
            strictjson.loads(text)
        assert refused.value.path == path
    assert strictjson.loads(b'{"a": "\\\\u0000"}') == {"a": "\\u0000"}  # an escaped backslash, then text
