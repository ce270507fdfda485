"""A NUL character in any signage text input answers alike on SQLite (which keeps it) and PostgreSQL
(which refuses it in text): in a body, it is refused as the field's error (``core.strictjson``); no stored id
holds one, so an id in a path is simply not found."""

from __future__ import annotations

import pytest

from .support import HEADERS, scan

CASES = [
    (
        "POST",
        "/smart-engage/post/update-session-status",
        {"session_id": "a\x00", "new_status": "FORM_SUBMITTED"},
        400,
        b'{"error_msg":"session_id: must not contain a NUL character"}',
    ),
    (
        "POST",
        "/smart-engage/post/update-session-status",
        {"session_id": "{sid}", "new_status": "F\x00"},
        400,
        b'{"error_msg":"new_status: must not contain a NUL character"}',
    ),
    ("POST", "/smart-engage/post/engage-v3/a%00b", {}, 400, b'{"error_msg":"Invalid session_id a\\u0000b"}'),
    (
        "POST",
        "/smart-engage/post/create-session",
        {"campaign_id": "a\x00"},
        400,
        b'{"error_msg":"campaign_id: must not contain a NUL character"}',
    ),
    (
        "GET",
        "/smart-engage/scan/demo/a%00b",
        None,
        404,
        b'{"error_msg":"No record with campaign_id: a\\u0000b"}',
    ),
    (
        "GET",
        "/smart-engage/scan/de%00mo/spring-form",
        None,
        404,
        b'{"error_msg":"No record with campaign_id: spring-form"}',
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "expected"), CASES)
def test_nul_answers_the_same_on_both_engines(shop, method, path, body, status, expected):
    sid = scan(shop)
    if body and body.get("session_id") == "{sid}":
        body = {**body, "session_id": sid}
    response = shop.request(method, path, json=body, headers=HEADERS, follow_redirects=False)
    assert response.status_code == status
    assert response.content == expected
