"""The surveys wire as BitBurst's own SDKs read it (iOS, Flutter, Android, React Native).

``SdkResponse`` mirrors the SDKs' ``BitLabsResponse``: ``status`` and ``trace_id`` are required strings,
``error.details {http, msg}`` is what they show, and a survey's ``country`` and ``language`` are required
strings. Every answer of the family is decoded with it."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, StrictStr

from ..helpers import configure
from .support import QUESTIONS, SURVEYS, Wall, document, headers


class Strict(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class SdkErrorDetails(Strict):
    http: StrictStr
    msg: StrictStr


class SdkError(Strict):
    details: SdkErrorDetails


class SdkResponse(Strict):
    data: object | None = None
    error: SdkError | None = None
    status: StrictStr
    trace_id: StrictStr


class SdkCategory(Strict):
    name: StrictStr
    icon_name: StrictStr
    icon_url: StrictStr
    name_internal: StrictStr


class SdkSurvey(Strict):
    id: StrictStr
    type: StrictStr
    click_url: StrictStr
    cpi: StrictStr
    value: StrictStr
    loi: StrictFloat | StrictInt
    country: StrictStr
    language: StrictStr
    rating: StrictInt
    category: SdkCategory
    tags: list[StrictStr]


def decode(response, status: str) -> SdkResponse:
    decoded = SdkResponse.model_validate_json(response.content)
    assert decoded.status == status and len(decoded.trace_id) == 16
    assert response.headers["content-type"].startswith("application/json")
    return decoded


@pytest.fixture
def wall(client):
    configure(client, document())
    return Wall(client)


def test_every_answer_decodes_as_the_sdks_read_it(wall, client):
    # No client_country and no geo for the test client: the start bonus has no country of its own.
    listing = decode(client.get("/v2/client/surveys", headers=headers()), "success")
    surveys = [SdkSurvey.model_validate(item) for item in listing.data["surveys"]]  # type: ignore[index]
    bonus = surveys[0]
    assert bonus.type == "start_bonus" and bonus.country == "" and bonus.language == "en"

    url = urlsplit(surveys[1].click_url)
    created = decode(client.post(f"{url.path}?{url.query}"), "success")
    click = created.data["id"]  # type: ignore[index]
    decode(client.get(f"/v2/client/clicks/{click}"), "success")
    left = decode(wall.post(click, {"leave_survey": {"reason": "OTHER"}}), "success")
    assert left.data["redirect"]["type"] == "termination"  # type: ignore[index]

    refused = decode(wall.post(click, {"leave_survey": {"reason": "OTHER"}}), "error")
    assert refused.error is not None and refused.error.details.http == "422 Unprocessable Entity"
    assert refused.data == {"code": "NO_OPEN_QUESTION", "reason": refused.error.details.msg}

    missing = decode(client.get("/v2/client/clicks/00000000-0000-0000-0000-000000000000"), "error")
    assert missing.error is not None and missing.error.details.http == "404 Not Found"
    decode(client.post("/v2/client/surveys/srv-auto/skip", headers=headers()), "success")


@pytest.mark.parametrize("path", ["/v2/client/no-such-thing", "/v1/client/networks/1/surveys/2/nope"])
def test_misses_answer_in_the_bitlabs_envelope(client, path):
    for response in (client.get(path), client.post(path, content=b"{}")):
        decoded = decode(response, "error")
        assert response.status_code in (404, 405) and decoded.error is not None


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain; charset=utf-8", "application/x-www-form-urlencoded", "application/json"],
)
def test_leave_is_read_whatever_the_content_type(wall, client, content_type):
    """iOS sends its JSON body with no Content-Type (so it arrives as form data), Flutter as text/plain."""
    click = wall.click("srv-auto")
    body = json.dumps({"leave_survey": {"reason": "TOO_LONG"}}).encode()
    sent = {} if content_type is None else {"Content-Type": content_type}
    response = client.post(f"/v2/client/clicks/{click}", content=body, headers=sent)
    assert decode(response, "success").data["redirect"]["type"] == "termination"  # type: ignore[index]


@pytest.mark.parametrize("body", [b"{}", b"not json", b'{"leave_survey": {"reason": "NOPE"}}', b""])
def test_an_unknown_click_is_404_before_the_body_is_judged(client, body):
    response = client.post("/v2/client/clicks/00000000-0000-0000-0000-000000000000", content=body)
    assert response.status_code == 404
    decode(response, "error")


def test_details_keep_the_wire_key_order_on_both_engines(wall, client):
    """PostgreSQL's JSONB stores keys in its own order; the answer must be byte-identical anyway."""
    click = wall.click("srv-auto")
    raw = client.get(f"/v2/client/clicks/{click}").text
    details = json.loads(raw)["data"]["survey_details"]
    assert list(details) == ["id", "cpi", "value", "loi", "country", "language", "rating", "category"]
    assert list(details["category"]) == ["name", "icon_name", "icon_url", "name_internal"]
    assert raw.index('"name"') < raw.index('"icon_name"') < raw.index('"name_internal"')
    listed = wall.surveys()[1]
    assert list(listed["category"]) == ["name", "icon_name", "icon_url", "name_internal"]


def test_a_skipped_question_is_a_duplicate_later(client):
    """``is_duplicate``: the user was asked the question before, skipped or answered."""
    configure(client, document(profile_questions=[]))
    wall = Wall(client)
    first = wall.click("srv-auto")
    wall.answer(first, "1")  # q-color qualifies
    assert wall.question_id(first) == "q-zip"
    assert wall.post(first, {"skip_question": True}).status_code == 200
    later = wall.click("srv-all")
    assert wall.state(later)["answer_question"]["question"]["is_duplicate"] is True  # q-color, answered
    wall.answer(later, "2")
    state = wall.state(later)  # q-color has no qualifying answers in srv-all
    assert state["answer_question"]["question"]["id"] == "q-brands"
    assert state["answer_question"]["question"]["is_duplicate"] is False
    wall.answer(later, "a")
    zip_question = wall.state(later)["answer_question"]["question"]
    assert zip_question["id"] == "q-zip" and zip_question["is_duplicate"] is True  # skipped before


@pytest.mark.parametrize(
    ("profile", "mode"),
    [
        (["q-birthdate"], "first"),  # the first click asks one more question than the survey's own
        (["q-color"], "default"),  # the profile question is one of the survey's own: nothing more
        ([], "default"),
    ],
)
def test_question_mode_first_only_when_the_click_asks_more(client, profile, mode):
    configure(client, document(profile_questions=profile))
    wall = Wall(client)
    state = wall.state(wall.click("srv-auto"))
    assert state["question_mode"] == mode
    own = len(SURVEYS[0]["questions"])
    assert state["required_questions"] == own + (1 if mode == "first" else 0)
    assert {q["id"] for q in QUESTIONS} >= set(profile)


@pytest.mark.parametrize("skip", [1, "true", "yes"])
def test_skip_question_is_a_json_boolean(client, skip):
    configure(client, document(profile_questions=[]))
    wall = Wall(client)
    click = wall.click("srv-auto")
    wall.answer(click, "1")
    answer = wall.post(click, {"skip_question": skip})
    assert answer.status_code == 400 and "skip_question" in answer.json()["error"]["details"]["msg"]
    assert wall.question_id(click) == "q-zip"  # nothing was skipped
