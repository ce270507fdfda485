"""The vendor pages clicktrail was specified from (`shared/seeds/`), replayed literally: their curl and
request examples are sent as written (only the host and the ids a server hands out are ours), and the
answers are checked against the pages' own response examples, field by field: every field the vendor
shows is there, with the vendor's JSON type, and with the vendor's value where the value is
deterministic. The partners page (B2Core clicks) has its own replay in ``tests/partners``."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from .helpers import configure
from .loyalty.conftest import AUTH as POS_AUTH
from .loyalty.conftest import DOC as LOYALTY_DOC
from .loyalty.conftest import start, trial
from .signage.support import HEADERS as SIGNAGE_HEADERS
from .signage.support import document as signage_document
from .signage.support import scan
from .surveys.support import Wall
from .surveys.support import document as surveys_document

# --- the pages' examples, verbatim ---------------------------------------------------------------------

BITLABS_UPDATE_BODY = (
    '{"answer_question":{"answers":["1","2"]},"skip_question":true,"leave_survey":{"reason":"OTHER"},'
    '"rate_survey":{"rating":42},"sc_token":"string"}'
)
BITLABS_CLICK_STATE = {
    "data": {
        "answer_question": {
            "question": {
                "id": "e9bdff4e7d",
                "language": "en",
                "type": "TEXT",
                "localized_text": "What is your favorite color?",
                "answers": [{"code": "1", "localized_text": "Red"}],
                "can_skip": True,
                "is_duplicate": False,
                "example": "string",
                "validation_info": {"min": 1, "max": 1, "regex": "^.{1,30}$"},
            }
        },
        "redirect": {"url": "https://web.bitlabs.ai", "type": "termination"},
        "answered_questions": 42,
        "required_questions": 42,
        "click_type": "survey",
        "question_mode": "default",
        "survey_details": {
            "id": "string",
            "cpi": "1.2",
            "value": "120",
            "loi": 5.3,
            "country": "US",
            "language": "en",
            "rating": 4,
            "category": {
                "name": "Automotive",
                "icon_name": "string",
                "icon_url": "string",
                "name_internal": "automotive",
            },
        },
    }
}
BITLABS_REFUSAL = {"data": {"code": "REGEX_MISMATCH", "reason": "string"}}
SMARTRETAIL_BODY = (
    '{\n"session_id": "8960569d-db50-4742-8668-1da5c8ddf652",\n"new_status": "FORM_REVIEWING"\n}'
)
SMARTRETAIL_SESSION = "8960569d-db50-4742-8668-1da5c8ddf652"


OPTIONAL = {"example", "regex"}  # the pages mark these not required, or say when they are null


def assert_shaped_like(ours: Any, example: Any, path: str = "$") -> None:
    """Every field of the vendor's example is in ours, with the example's JSON type."""
    if ours is None and path.rsplit(".", 1)[-1] in OPTIONAL:
        return
    if isinstance(example, dict):
        assert isinstance(ours, dict), f"{path}: {ours!r} is not an object"
        for key, value in example.items():
            assert key in ours, f"{path}.{key} is missing"
            assert_shaped_like(ours[key], value, f"{path}.{key}")
    elif isinstance(example, list):
        assert isinstance(ours, list), f"{path}: {ours!r} is not an array"
        if example and ours:
            assert_shaped_like(ours[0], example[0], f"{path}[0]")
    elif isinstance(example, bool):
        assert isinstance(ours, bool), f"{path}: {ours!r} is not a boolean"
    elif isinstance(example, int):
        assert isinstance(ours, int) and not isinstance(ours, bool), f"{path}: {ours!r} is not an integer"
    elif isinstance(example, float):
        assert isinstance(ours, (int, float)) and not isinstance(ours, bool), f"{path}: {ours!r} not a number"
    elif isinstance(example, str):
        assert isinstance(ours, str), f"{path}: {ours!r} is not a string"


def without(state: dict[str, Any], key: str) -> dict[str, Any]:
    return {"data": {k: v for k, v in state["data"].items() if k != key}}


# --- BitLabs: Update click (seed 000) and Get click (seed 001) -----------------------------------------


@pytest.fixture
def wall(client):
    configure(client, surveys_document(profile_questions=[]))
    return Wall(client)


def test_bitlabs_get_click_answers_the_pages_shape(wall, client):
    click = wall.click("srv-auto")
    response = client.get(f"/v2/client/clicks/{click}")
    assert response.status_code == 200
    state = response.json()
    assert "redirect" not in state["data"]
    assert_shaped_like(state, without(BITLABS_CLICK_STATE, "redirect"))
    # The test survey is the page's own example survey: its values are the page's.
    details, example = state["data"]["survey_details"], BITLABS_CLICK_STATE["data"]["survey_details"]
    for key in ("cpi", "value", "loi", "country", "language", "rating"):
        assert details[key] == example[key], key
    assert details["category"]["name"] == "Automotive"
    assert details["category"]["name_internal"] == "automotive"
    assert state["data"]["click_type"] == "survey" and state["data"]["question_mode"] == "default"


def test_bitlabs_update_click_replays_the_pages_curl(wall, client):
    click = wall.click("srv-auto")
    # The page's body sends every action at once: one action per call is the rule, so it is refused
    # in the page's 422 shape.
    refused = client.post(
        f"/v2/client/clicks/{click}",
        content=BITLABS_UPDATE_BODY,
        headers={"Content-Type": "application/json"},
    )
    assert refused.status_code == 422
    assert_shaped_like(refused.json(), BITLABS_REFUSAL)
    assert refused.json()["data"]["code"] == "INVALID_ACTION"

    body = json.loads(BITLABS_UPDATE_BODY)
    answered = client.post(
        f"/v2/client/clicks/{click}", json={"answer_question": body["answer_question"], "sc_token": "string"}
    )
    assert answered.status_code == 422  # q-color is SINGLE: two answers are too many
    assert answered.json()["data"]["code"] == "TOO_MANY_ANSWERS"
    one = client.post(f"/v2/client/clicks/{click}", json={"answer_question": {"answers": ["1"]}})
    assert one.status_code == 200
    assert_shaped_like(one.json(), without(BITLABS_CLICK_STATE, "redirect"))
    skipped = client.post(f"/v2/client/clicks/{click}", json={"skip_question": body["skip_question"]})
    assert skipped.status_code == 200  # q-zip can be skipped: the click qualifies
    assert skipped.json()["data"]["redirect"]["type"] == "survey"
    assert_shaped_like(skipped.json(), without(BITLABS_CLICK_STATE, "answer_question"))

    other = wall.click("srv-all")
    left = client.post(f"/v2/client/clicks/{other}", json={"leave_survey": body["leave_survey"]})
    assert left.status_code == 200
    assert_shaped_like(left.json(), without(BITLABS_CLICK_STATE, "answer_question"))
    assert left.json()["data"]["redirect"]["type"] == "termination"
    rated = client.post(f"/v2/client/clicks/{click}", json={"rate_survey": body["rate_survey"]})
    assert rated.status_code == 200  # deprecated: accepted, changes nothing


# --- ES Loyalty: Capture Near Miss Prompt Response (seed 003) ------------------------------------------


def test_loyalty_prompt_response_replays_the_page(client):
    configure(client, LOYALTY_DOC)
    session = start(client)
    cid = session["correlationId"]
    prompt = trial(client, cid).json()["promptMessageID"]
    url = f"/client/users/{cid}/prompts/{prompt}"

    captured = client.put(url, content='{"response": "accepted"}', headers=POS_AUTH)
    assert captured.status_code == 200
    assert captured.json() == {"message": "Customer's response captured successfully."}

    def refused(
        message: str,
    ) -> dict[str, Any]:  # the page's error table: statusCode, errorMessage, errorCode
        return {"statusCode": 400, "errorMessage": message, "errorCode": "INVALID_REQUEST"}

    bad = client.put(url, json={"response": "maybe"}, headers=POS_AUTH)
    assert (bad.status_code, bad.json()) == (400, refused("maybe is not a valid response"))
    other = str(uuid.uuid4())
    unknown_prompt = client.put(
        f"/client/users/{cid}/prompts/{other}", json={"response": "declined"}, headers=POS_AUTH
    )
    assert unknown_prompt.json() == refused(f"{other} is not a valid promptMessageId")
    no_session = client.put(
        f"/client/users/{other}/prompts/{prompt}", json={"response": "deferred"}, headers=POS_AUTH
    )
    assert no_session.json() == refused("Session correlation ID does not exist--create it first")


# --- SmartRetail: Track a User Journey (seed 004) ------------------------------------------------------


def test_smartretail_update_session_status_replays_the_page(client):
    configure(client, signage_document())
    url = "/smart-engage/post/update-session-status"
    json_headers = {"Content-Type": "application/json"}

    wrong_key = client.post(
        url, content=SMARTRETAIL_BODY, headers={**json_headers, "API-KEY": "<YOUR_API_KEY>"}
    )
    assert (wrong_key.status_code, wrong_key.json()) == (401, {"error_msg": "API-KEY is invalid"})
    unknown = client.post(url, content=SMARTRETAIL_BODY, headers={**json_headers, **SIGNAGE_HEADERS})
    assert (unknown.status_code, unknown.json()) == (
        404,
        {"error_msg": f"No record with session_id: {SMARTRETAIL_SESSION}"},
    )

    session = scan(client)
    for status in ("FORM_SUBMITTED", "FORM_REVIEWING"):
        body = SMARTRETAIL_BODY.replace(SMARTRETAIL_SESSION, session).replace("FORM_REVIEWING", status)
        done = client.post(url, content=body, headers={**json_headers, **SIGNAGE_HEADERS})
        assert (done.status_code, done.json()) == (200, {"message": "Status updated successfully"})
    again = client.post(
        url, content=SMARTRETAIL_BODY.replace(SMARTRETAIL_SESSION, session), headers=SIGNAGE_HEADERS
    )
    assert (again.status_code, again.json()) == (
        400,
        {"error_msg": f"Action already completed for session_id: {session}"},
    )
