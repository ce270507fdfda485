"""A NUL character in any text input: PostgreSQL refuses it in text, SQLite keeps it. Both engines must
answer byte for byte alike: the vendor's own message for ids in the path (no stored id holds a NUL), a
field error for any text in the body (``core.strictjson``)."""

from __future__ import annotations

import pytest

from .conftest import AUTH, activity, new_cid, start, trial


def refused(message: str) -> bytes:
    return b'{"statusCode":400,"errorMessage":"' + message.encode() + b'","errorCode":"INVALID_REQUEST"}'


NO_SESSION = refused("Session correlation ID does not exist--create it first")


def with_sku(sku: str) -> dict:
    body = activity()
    body["basket"]["lineItems"][0]["sku"] = sku
    return body


# (method, path with {cid} and {pid}, json body, extra headers, expected body)
CASES = [
    (
        "PUT",
        "/client/users/{cid}/prompts/p%00x",
        {"response": "accepted"},
        {},
        refused("p\\u0000x is not a valid promptMessageId"),
    ),
    ("PUT", "/client/users/c%00x/prompts/{pid}", {"response": "accepted"}, {}, NO_SESSION),
    (
        "PUT",
        "/client/users/{cid}/prompts/{pid}",
        {"response": "accepted\x00"},
        {},
        refused("response: must not contain a NUL character"),
    ),
    ("POST", "/client/users/c%00x/activity/trial/v2", activity(), {}, NO_SESSION),
    ("POST", "/client/users/c%00x/activity/finalize/v2", activity(), {}, NO_SESSION),
    ("GET", "/client/users/c%00x/transactions/history/v2", None, {}, NO_SESSION),
    (
        "GET",
        "/client/users/{cid}/transactions/history/v2?transactionId=a%00b",
        None,
        {},
        refused("a\\u0000b is not a valid transactionId"),
    ),
    (
        "POST",
        "/client/users/m%00x/sessions",
        {"correlationId": "c-1"},
        {},
        refused("m\\u0000x is not a valid ACCOUNT_ID"),
    ),
    (
        "POST",
        "/client/users/a%00b@x.example/sessions",
        {"correlationId": "c-2"},
        {"X-Identifier-Type": "EMAIL"},
        refused("a\\u0000b@x.example is not a valid EMAIL"),
    ),
    (
        "POST",
        "/client/users/m-2/sessions",
        {"correlationId": "c-3", "locale": "en\x00"},
        {},
        refused("locale: must not contain a NUL character"),
    ),
    (
        "POST",
        "/client/users/m-3/sessions",
        {"correlationId": "c-4", "externalAgentSessionId": "a\x00"},
        {},
        refused("externalAgentSessionId: must not contain a NUL character"),
    ),
    (
        "POST",
        "/client/users/anonymous/sessions",
        {"correlationId": "c-5", "externalIdentifier": "a\x00"},
        {},
        refused("externalIdentifier: must not contain a NUL character"),
    ),
    (
        "POST",
        "/client/users/{cid}/activity/trial/v2",
        activity(locale="en\x00"),
        {},
        refused("locale: must not contain a NUL character"),
    ),
    (
        "POST",
        "/client/users/{cid}/activity/trial/v2",
        with_sku("A\x00"),
        {},
        refused("basket.lineItems.0.sku: must not contain a NUL character"),
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "headers", "expected"), CASES)
def test_nul_answers_the_same_on_both_engines(shop, method, path, body, headers, expected):
    cid = start(shop, correlationId=new_cid())["correlationId"]
    pid = trial(shop, cid).json()["promptMessageID"]
    response = shop.request(method, path.format(cid=cid, pid=pid), json=body, headers={**AUTH, **headers})
    assert response.status_code == 400
    assert response.content == expected
