"""PUT /client/users/{correlation_id}/prompts/{promptMessage_id}: the seed's messages and codes, verbatim."""

from __future__ import annotations

from ..helpers import snapshot
from .conftest import AUTH, OTHER, answer, events, finalize, new_cid, start, start_anonymous, trial

CAPTURED = b'{"message":"Customer\'s response captured successfully."}'


def prompted(client) -> tuple[str, str]:
    cid = start(client)["correlationId"]
    body = trial(client, cid).json()
    assert body["promptMessageID"]
    return cid, body["promptMessageID"]


def error(message: str) -> dict:
    return {"statusCode": 400, "errorMessage": message, "errorCode": "INVALID_REQUEST"}


def test_every_response_value_is_captured(shop):
    cases = ["accepted", "declined", "deferred"]
    for value in cases:
        cid, prompt_id = prompted(shop)
        response = answer(shop, cid, prompt_id, value)
        assert response.status_code == 200
        assert response.content == CAPTURED
        assert response.headers["content-length"] == "56"
        answered = [e for e in events(shop, cid) if e["type"] == "prompt.answered"]
        assert [e["payload"]["response"] for e in answered] == [value]
        assert answered[0]["payload"]["promptMessageId"] == prompt_id


def test_invalid_response_is_refused_verbatim(shop, database_url):
    cases = [
        ("maybe", "maybe is not a valid response"),
        ("Accepted", "Accepted is not a valid response"),
        ("ACCEPTED", "ACCEPTED is not a valid response"),
        ("", " is not a valid response"),
        (None, " is not a valid response"),
        (5, "5 is not a valid response"),
        (["accepted"], '["accepted"] is not a valid response'),
    ]
    for value, message in cases:
        cid, prompt_id = prompted(shop)
        before = snapshot(database_url)
        response = answer(shop, cid, prompt_id, value)
        assert response.status_code == 400
        assert response.json() == error(message)
        assert snapshot(database_url) == before


def test_missing_response_field_is_refused(shop):
    cid, prompt_id = prompted(shop)
    for body in ({}, [], "accepted"):
        response = shop.put(f"/client/users/{cid}/prompts/{prompt_id}", json=body, headers=AUTH)
        assert response.json() == error(" is not a valid response")


def test_unknown_prompt_id_is_refused_verbatim(shop):
    cid, _ = prompted(shop)
    response = answer(shop, cid, "no-such-prompt")
    assert response.status_code == 400
    assert response.json() == error("no-such-prompt is not a valid promptMessageId")


def test_prompt_of_another_session_is_not_valid(shop):
    cid, _ = prompted(shop)
    other_cid, other_prompt = prompted(shop)
    response = answer(shop, cid, other_prompt)
    assert response.json() == error(f"{other_prompt} is not a valid promptMessageId")
    assert answer(shop, other_cid, other_prompt).status_code == 200


def test_prompt_of_another_app_is_not_valid(shop):
    _, prompt_id = prompted(shop)
    other_cid = start_anonymous(shop, headers=OTHER)["correlationId"]
    response = answer(shop, other_cid, prompt_id, headers=OTHER)
    assert response.json() == error(f"{prompt_id} is not a valid promptMessageId")


def test_unknown_session_is_refused_verbatim(shop):
    _, prompt_id = prompted(shop)
    response = answer(shop, new_cid(), prompt_id)
    assert response.status_code == 400
    assert response.json() == error("Session correlation ID does not exist--create it first")


def test_session_of_another_app_does_not_exist(shop):
    cid, prompt_id = prompted(shop)
    response = answer(shop, cid, prompt_id, headers=OTHER)
    assert response.json() == error("Session correlation ID does not exist--create it first")


def test_response_is_checked_before_the_session(shop):
    response = answer(shop, new_cid(), "nope", "maybe")
    assert response.json() == error("maybe is not a valid response")


def test_a_prompt_may_be_answered_again_until_finalize(shop, database_url):
    cid, prompt_id = prompted(shop)
    assert answer(shop, cid, prompt_id, "deferred").status_code == 200
    assert answer(shop, cid, prompt_id, "accepted").status_code == 200
    assert answer(shop, cid, prompt_id, "declined").status_code == 200
    answered = [e["payload"] for e in events(shop, cid) if e["type"] == "prompt.answered"]
    assert [(a["response"], a["previous"]) for a in answered] == [
        ("deferred", None),
        ("accepted", "deferred"),
        ("declined", "accepted"),
    ]
    assert finalize(shop, cid).status_code == 200
    before = snapshot(database_url)
    response = answer(shop, cid, prompt_id, "accepted")
    assert response.status_code == 400
    assert response.json() == error("Session correlation ID is already finalized--start a new session")
    assert snapshot(database_url) == before


def test_anonymous_prompts_are_answered_too(shop):
    cid = start_anonymous(shop)["correlationId"]
    prompt_id = trial(shop, cid, "47.00").json()["promptMessageID"]
    assert answer(shop, cid, prompt_id, "declined").content == CAPTURED
