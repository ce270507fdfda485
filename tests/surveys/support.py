"""A surveys document with every question type, and a small client for the BitLabs wire API."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from clicktrail.core.storage.db import normalize_url

TOKEN = "wall-secret-1"
CALLBACK_SECRET = "cb-secret-123"

QUESTIONS = [
    {
        "id": "q-color",
        "type": "SINGLE",
        "text": {"en": "Favorite color?", "de": "Lieblingsfarbe?"},
        "answers": [
            {"code": "1", "text": {"en": "Red", "de": "Rot"}},
            {"code": "2", "text": {"en": "Blue", "de": "Blau"}},
        ],
    },
    {
        "id": "q-brands",
        "type": "MULTI",
        "text": {"en": "Which brands?"},
        "answers": [{"code": c, "text": {"en": f"Brand {c}"}} for c in ("a", "b", "c", "d")],
        "validation": {"min": 1, "max": 3},
    },
    {
        "id": "q-zip",
        "type": "TEXT",
        "text": {"en": "Your ZIP code?"},
        "example": "10001",
        "can_skip": True,
        "validation": {"min": 5, "max": 5, "regex": "^[0-9]+$"},
    },
    {
        "id": "q-kids",
        "type": "NUMBER",
        "text": {"en": "How many children?"},
        "validation": {"min": 0, "max": 20},
    },
    {
        "id": "q-visit",
        "type": "DATE",
        "text": {"en": "Last visit?"},
        "validation": {"min": "2020-01-01", "max": "2030-12-31"},
    },
    {
        "id": "q-birthdate",
        "type": "DATE",
        "birthdate": True,
        "text": {"fr": "Votre date de naissance ?", "en": "Your date of birth?"},
        "validation": {"min": 18, "max": 99},
    },
]

SURVEYS = [
    {
        "id": "srv-auto",
        "cpi": "1.20",
        "loi": 5.3,
        "country": "US",
        "language": "en",
        "rating": 4,
        "category": {"name": "Automotive", "name_internal": "automotive", "icon_name": "car"},
        "entry_url": "https://surveys.example/start?click={click_id}",
        "questions": [{"id": "q-color", "qualifying": ["1"]}, {"id": "q-zip"}],
    },
    {
        "id": "srv-all",
        "cpi": "0.85",
        "loi": 12,
        "country": "US",
        "language": "en",
        "rating": 3,
        "category": {"name": "Food", "name_internal": "food"},
        "entry_url": "https://surveys.example/all?c={click_id}",
        "questions": [
            {"id": "q-color"},
            {"id": "q-brands", "qualifying": ["a", "b"]},
            {"id": "q-zip"},
            {"id": "q-kids", "qualifying": {"min": 1, "max": 5}},
            {"id": "q-visit", "qualifying": {"min": "2024-01-01"}},
        ],
    },
    {
        "id": "srv-de",
        "cpi": "2",
        "loi": 3,
        "country": "DE",
        "language": "de",
        "rating": 5,
        "category": {"name": "Travel", "name_internal": "travel"},
        "entry_url": "https://surveys.example/de?c={click_id}",
        "questions": [],
    },
]


def document(**overrides: Any) -> dict[str, Any]:
    section: dict[str, Any] = {
        "currency_factor": 100,
        "termination_url": "https://publisher.example/back?status=terminated&uid=[%UID%]",
        "start_bonus_url": "https://publisher.example/back?status=bonus&uid=[%UID%]&val=[%VAL%]",
        "callback_url": "http://127.0.0.1:9/cb?uid=[%UID%]&val=[%VAL%]&raw=[%RAW%]&tx=[%TX%]&type=[%TYPE%]",
        "callback_secret": CALLBACK_SECRET,
        "questions": copy.deepcopy(QUESTIONS),
        "profile_questions": ["q-birthdate"],
        "list": copy.deepcopy(SURVEYS),
        "start_bonus": {"reward": "0.50", "questions": ["q-zip", "q-kids"]},
    }
    section.update(overrides)
    return {
        "apps": [
            {
                "id": "acme",
                "name": "Acme",
                "credentials": [{"name": "wall", "secret": TOKEN, "scopes": ["surveys"]}],
                "surveys": section,
            },
            {
                "id": "other",
                "name": "Other",
                "credentials": [{"name": "wall", "secret": "other-secret-1", "scopes": ["surveys"]}],
                "surveys": {**copy.deepcopy(section), "list": copy.deepcopy(SURVEYS[:1])},
            },
        ]
    }


def headers(user: str = "user-1", token: str = TOKEN, **extra: str) -> dict[str, str]:
    return {"X-Api-Token": token, "X-User-Id": user, **extra}


class Wall:
    """The publisher app's side of the flow, over the given HTTP client."""

    def __init__(self, client: Any, user: str = "user-1", token: str = TOKEN):
        self.client, self.user, self.token = client, user, token

    def surveys(self, **params: Any) -> list[dict[str, Any]]:
        params.setdefault("client_country", "US")
        r = self.client.get("/v2/client/surveys", params=params, headers=headers(self.user, self.token))
        assert r.status_code == 200, r.text
        return r.json()["data"]["surveys"]

    def click_url(self, survey_id: str, **params: Any) -> str:
        [found] = [s for s in self.surveys(**params) if s["id"] == survey_id]
        return found["click_url"]

    def click(self, survey_id: str, **params: Any) -> str:
        url = urlsplit(self.click_url(survey_id, **params))
        r = self.client.post(f"{url.path}?{url.query}")
        assert r.status_code == 200, r.text
        return r.json()["data"]["id"]

    def state(self, click_id: str, **kw: Any) -> dict[str, Any]:
        r = self.client.get(f"/v2/client/clicks/{click_id}", **kw)
        assert r.status_code == 200, r.text
        return r.json()["data"]

    def post(self, click_id: str, body: Any, **kw: Any) -> Any:
        return self.client.post(f"/v2/client/clicks/{click_id}", json=body, **kw)

    def answer(self, click_id: str, *answers: str) -> dict[str, Any]:
        r = self.post(click_id, {"answer_question": {"answers": list(answers)}})
        assert r.status_code == 200, r.text
        return r.json()["data"]

    def question_id(self, click_id: str) -> str:
        return self.state(click_id)["answer_question"]["question"]["id"]


def rows(database_url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def event_types(database_url: str, journey_id: str) -> list[str]:
    return [
        r[0]
        for r in rows(
            database_url,
            "SELECT type FROM journey_events WHERE journey_id = :j ORDER BY id",
            j=journey_id,
        )
    ]


def callbacks(database_url: str) -> list[str]:
    return [
        r[0]
        for r in rows(database_url, "SELECT url FROM outbox WHERE topic = 'surveys.callback' ORDER BY id")
    ]
