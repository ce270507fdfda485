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
JOURNEYS = {
    "items": [
        {
            "family": "surveys",
            "journey_id": "d84124b2-3528-4033-9997-54870d06cdf3",
            "user_id": "user-42",
            "events": 3,
            "first_at": "2026-03-01T10:05:00.887226Z",
            "last_at": "2026-03-01T10:19:42.120003Z",
            "last_type": "survey.completed",
            "utm_source": "newsletter",
        }
    ],
    "match": "user_id",
    "searched": None,
}

LIVE = {
    "since": "2026-03-01T10:00:00.120003Z",
    "visitors": 1,
    "events": EVENTS["items"],
    "matched": 1,
    "last_id": 1,
    "complete": True,
}

EVENT_STREAM = (
    "retry: 1000\n\n"
    "id: 1\n"
    'data: {"id":1,"family":"surveys","journey_id":"d84124b2-3528-4033-9997-54870d06cdf3",'
    '"user_id":"user-42","type":"click.created","payload":{"survey_id":"srv-auto"},'
    '"created_at":"2026-03-01T10:05:00.887226Z"}\n\n'
    ": heartbeat\n\n"
)

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
    "detail": "removed 19 rows",
    "removed": {
        "surveys": {"survey_clicks": 2, "survey_answers": 5, "journey_events": 9},
        "core": {"outbox_pending": 1, "outbox_delivered": 1, "outbox_dead": 1, "outbox_cancelled": 0},
    },
}

METRICS = {
    "family": "partners",
    "group_by": "country",
    "from": "2026-11-01T00:00:00+00:00",
    "to": "2026-12-01T00:00:00+00:00",
    "tz": "UTC",
    "filters": {"utm_source": "google", "device": "iPhone"},
    "measures": [
        "clicks",
        "unique_clicks",
        "bot_clicks",
        "orphan_clicks",
        "registrations",
        "conversion_rate",
    ],
    "rows": [
        {
            "key": "DE",
            "clicks": 1200,
            "unique_clicks": 950,
            "bot_clicks": 40,
            "orphan_clicks": 3,
            "registrations": 38,
            "conversion_rate": 0.04,
        },
        {
            "key": None,
            "clicks": 10,
            "unique_clicks": 8,
            "bot_clicks": 2,
            "orphan_clicks": 1,
            "registrations": 0,
            "conversion_rate": 0.0,
        },
    ],
    "totals": {
        "clicks": 1210,
        "unique_clicks": 958,
        "bot_clicks": 42,
        "orphan_clicks": 4,
        "registrations": 38,
        "conversion_rate": 0.0397,
    },
}
METRICS_CSV = (
    "country,clicks,unique_clicks,bot_clicks,orphan_clicks,registrations,conversion_rate\r\n"
    "DE,1200,950,40,3,38,0.04\r\n,10,8,2,1,0,0.0\r\ntotal,1210,958,42,4,38,0.0397\r\n"
)
FUNNEL = {
    "family": "signage",
    "steps": [
        {"step": "scan", "count": 200, "conversion": 1.0, "from_previous": 1.0, "window": None},
        {"step": "FORM_SUBMITTED", "count": 120, "conversion": 0.6, "from_previous": 0.6, "window": "PT1H"},
        {"step": "coupon", "count": 90, "conversion": 0.45, "from_previous": 0.75, "window": None},
    ],
    "window": "P7D",
    "exclude": [{"step": "FORM_REJECTED", "from_step": 2, "to_step": 3}],
    "excluded": 4,
    "campaign": "spring-form",
    "filters": {"country": "EE"},
    "from": "2026-11-01T00:00:00+00:00",
    "to": "2026-12-01T00:00:00+00:00",
}
FUNNEL_CSV = "step,count,conversion,from_previous\r\nscan,200,1.0,1.0\r\nFORM_SUBMITTED,120,0.6,0.6\r\n"
JOURNEY = {
    "family": "partners",
    "journey_id": "6650f1c2a1b2c3d4e5f60718",
    "started_at": "2026-11-20T10:00:00+00:00",
    "last_at": "2026-11-20T10:05:00+00:00",
    "events": [
        {
            "id": 41,
            "type": "click.created",
            "user_id": None,
            "payload": {"click_id": "6650f1c2a1b2c3d4e5f60718", "link_id": "main", "verdict": "ok"},
            "created_at": "2026-11-20T10:00:00+00:00",
        },
        {
            "id": 42,
            "type": "click.registered",
            "user_id": "6650f1c2a1b2c3d4e5f60799",
            "payload": {"click_id": "6650f1c2a1b2c3d4e5f60718", "link_id": "main"},
            "created_at": "2026-11-20T10:05:00+00:00",
        },
    ],
}
EXPORT_CSV = (
    "id,app_id,time,referrer,ip\r\n6650f1c2a1b2c3d4e5f60718,demo,2026-11-20T10:00:00+00:00,,203.0.113.9\r\n"
)
USER_IN = {
    "email": "ana@example.com",
    "password": "correct horse battery",
    "role": "viewer",
    "apps": ["demo"],
}
USER = {
    "id": 3,
    "email": "ana@example.com",
    "role": "viewer",
    "apps": ["demo"],
    "created_at": "2026-03-02T09:00:00.120000Z",
    "updated_at": "2026-03-02T09:00:00.120000Z",
}
USER_PATCH = {"role": "admin"}
AUDIT = {
    "items": [
        {
            "id": 41,
            "at": "2026-03-02T09:00:00.130000Z",
            "app_id": None,
            "actor": "owner@example.com",
            "actor_kind": "user",
            "action": "user.add",
            "target": "ana@example.com",
            "detail": "viewer of demo",
        },
        {
            "id": 40,
            "at": "2026-03-01T10:05:00.000000Z",
            "app_id": "demo",
            "actor": "admin token",
            "actor_kind": "token",
            "action": "credential.rotate",
            "target": "wall",
            "detail": None,
        },
    ],
    "next_before": 40,
}
