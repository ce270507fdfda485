"""Examples for /openapi.json: what the admin API answers for the demo app (examples/demo.yaml)."""

from __future__ import annotations

CREDENTIAL = {
    "name": "wall",
    "client_id": None,
    "scopes": ["surveys"],
    "created_at": "2026-03-01T10:00:00.933707Z",
    "rotated_at": None,
    "revoked_at": None,
}
APP = {
    "id": "demo",
    "name": "Demo Rewards",
    "created_at": "2026-03-01T10:00:00.916827Z",
    "updated_at": "2026-03-01T10:00:01.018858Z",
    "credentials": [CREDENTIAL],
    "webhooks": [{"url": "http://127.0.0.1:9000/hook", "events": ["*"]}],
    "config": {
        "partners": {
            "links": [{"id": "6006dda272f002519c3eb505", "uri": "https://my.stage.org/register?referral=1"}]
        }
    },
}
APP_LISTED = {**APP, "credentials": [], "webhooks": [], "config": {}}
CONFIG = {
    "apps": [
        {
            "id": "demo",
            "name": "Demo Rewards",
            "credentials": [{"name": "wall", "secret": "wall-secret", "scopes": ["surveys"]}],
        }
    ]
}
APPLIED = {
    "changed": True,
    "changes": ["demo: app created", "demo: credential 'wall' created"],
    "generated_secrets": {},
}
CREDENTIAL_IN = {"name": "kiosk", "scopes": ["signage"]}
CREDENTIAL_CREATED = {
    **CREDENTIAL,
    "name": "kiosk",
    "scopes": ["signage"],
    "secret": "ct_CSNDLAeC3DLa5HLEijdG25eFDLM0mIFg4HL9s-zxiSE",
}
ROTATED = {**CREDENTIAL_CREATED, "rotated_at": "2026-03-02T09:00:00.090446Z"}
EVENTS = {
    "items": [
        {
            "id": 1,
            "family": "surveys",
            "journey_id": "d84124b2-3528-4033-9997-54870d06cdf3",
            "user_id": "user-42",
            "type": "click.created",
            "payload": {"survey_id": "srv-auto", "click_type": "survey", "question_mode": "default"},
            "created_at": "2026-03-01T10:05:00.887226Z",
        }
    ],
    "next_after": 1,
}

DELIVERIES = {
    "items": [
        {
            "id": 42,
            "topic": "webhook",
            "event": "click.created",
            "method": "POST",
            "url": "https://hooks.example/clicktrail",
            "status": "dead",
            "attempts": 15,
            "last_error": "HTTP 503",
            "next_attempt_at": None,
            "created_at": "2026-03-01T10:05:00.887226Z",
            "delivered_at": None,
        }
    ],
    "next_after": None,
}
REPLAYED = {"replayed": 1}
WEBHOOK_TEST = {"deliveries": [43, 44]}
ERASED = {
    "app_id": "demo",
    "user_id": "alice",
    "erased": True,
    "detail": "erased what app 'demo' held about 'alice'",
    "removed": {"surveys": {"survey_clicks": 2, "survey_answers": 5}, "core": {"journey_events": 9}},
}
