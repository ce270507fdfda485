"""ES Loyalty bodies are JSON whatever the Content-Type says (iOS labels JSON form-urlencoded, Flutter
text/plain); the token endpoint alone takes a real form."""

from __future__ import annotations

import orjson
import pytest

from .conftest import AUTH, activity, new_cid, start

LABELS = ["application/x-www-form-urlencoded", "text/plain; charset=utf-8", None]


def send(client, method: str, path: str, body, content_type: str | None):
    headers = {**AUTH, **({"Content-Type": content_type} if content_type else {})}
    return client.request(method, path, content=orjson.dumps(body), headers=headers)


@pytest.mark.parametrize("content_type", LABELS)
def test_every_json_route_reads_json_whatever_the_label(shop, content_type):
    cid = new_cid()
    opened = send(shop, "POST", "/client/users/member-1/sessions", {"correlationId": cid}, content_type)
    assert opened.status_code == 200, opened.text
    anonymous = send(
        shop, "POST", "/client/users/anonymous/sessions", {"correlationId": new_cid()}, content_type
    )
    assert anonymous.status_code == 200, anonymous.text
    tried = send(shop, "POST", f"/client/users/{cid}/activity/trial/v2", activity(), content_type)
    prompt_id = tried.json()["promptMessageID"]
    answered = send(
        shop, "PUT", f"/client/users/{cid}/prompts/{prompt_id}", {"response": "accepted"}, content_type
    )
    assert answered.status_code == 200, answered.text
    assert answered.json() == {"message": "Customer's response captured successfully."}
    finalized = send(shop, "POST", f"/client/users/{cid}/activity/finalize/v2", activity(), content_type)
    assert finalized.status_code == 200, finalized.text


def test_a_form_body_on_a_json_route_is_malformed_json(shop):
    cid = start(shop)["correlationId"]
    response = shop.put(
        f"/client/users/{cid}/prompts/p1",
        content=b"response=accepted",
        headers={**AUTH, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "errorMessage": "malformed JSON",
        "errorCode": "INVALID_REQUEST",
    }


def test_the_token_endpoint_still_takes_a_form(shop):
    response = shop.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "pos-1", "client_secret": "pos-secret-1"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "Bearer"
