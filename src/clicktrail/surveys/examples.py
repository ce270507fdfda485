"""Examples for /openapi.json: what the demo app (examples/demo.yaml) really sends and answers."""

from __future__ import annotations

from typing import Any

CLICK_ID = "85f15dfb-d5f9-46b8-bc89-00aab5ee3f21"
CATEGORY = {"name": "Automotive", "name_internal": "automotive", "icon_name": "car", "icon_url": ""}
SURVEY = {
    "id": "srv-auto",
    "cpi": "1.2",
    "value": "120",
    "loi": 5.3,
    "country": "US",
    "language": "en",
    "rating": 4,
    "category": CATEGORY,
}

SURVEY_LIST: dict[str, Any] = {
    "data": {
        "restriction_reason": None,
        "surveys": [
            {
                **SURVEY,
                "type": "survey",
                "click_url": "http://127.0.0.1:8000/v2/client/clicks?i=srv-auto&s=ce237f0f53623128de7f9d6ef6c18b96",
                "tags": [],
            }
        ],
    }
}
EMPTY: dict[str, Any] = {"data": {}}
CLICK_CREATED: dict[str, Any] = {"data": {"id": CLICK_ID}}
CLICK_URL = "http://127.0.0.1:8000/v2/client/clicks/85f15dfb-d5f9-46b8-bc89-00aab5ee3f21/page"

CLICK_STATE: dict[str, Any] = {
    "data": {
        "answer_question": {
            "question": {
                "id": "q-color",
                "language": "en",
                "type": "SINGLE",
                "localized_text": "What is your favorite color?",
                "answers": [{"code": "1", "localized_text": "Red"}, {"code": "2", "localized_text": "Blue"}],
                "can_skip": False,
                "is_duplicate": False,
                "example": None,
                "validation_info": {"min": 1, "max": 1, "regex": None},
            }
        },
        "answered_questions": 0,
        "required_questions": 3,
        "click_type": "survey",
        "question_mode": "default",
        "survey_details": SURVEY,
    }
}
ANSWER = {"answer_question": {"answers": ["1"]}}
CLICK_ENDED: dict[str, Any] = {
    "data": {
        "redirect": {"url": "https://surveys.example/start?click=" + CLICK_ID, "type": "survey"},
        "answered_questions": 3,
        "required_questions": 3,
        "click_type": "survey",
        "question_mode": "default",
        "survey_details": SURVEY,
    }
}

PAGE = '<!doctype html>\n<html lang="en">\n<head><title>What is your favorite color? (1/3)</title>...'
OUTCOME: dict[str, Any] = {"data": {"id": CLICK_ID, "status": "completed", "end_reason": None}}

# Every success answer carries these beside "data" (see errors.success).
for _answer in (SURVEY_LIST, EMPTY, CLICK_CREATED, CLICK_STATE, CLICK_ENDED, OUTCOME):
    _answer.update(status="success", trace_id="1dc6786b10a62ec6")
