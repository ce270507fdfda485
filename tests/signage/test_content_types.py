"""SmartRetail bodies are JSON whatever the Content-Type says (form backends post from many stacks)."""

from __future__ import annotations

import orjson
import pytest

from .support import HEADERS

LABELS = ["application/x-www-form-urlencoded", "text/plain; charset=utf-8", None]


@pytest.mark.parametrize("content_type", LABELS)
def test_each_route_reads_json_whatever_the_label(shop, content_type):
    headers = {**HEADERS, **({"Content-Type": content_type} if content_type else {})}
    created = shop.post(
        "/smart-engage/post/create-session",
        content=orjson.dumps({"campaign_id": "spring-form"}),
        headers=headers,
    )
    assert created.status_code == 200, created.text
    session_id = created.json()["session_id"]
    for status in ("FORM_SUBMITTED", "FORM_REVIEWING", "FORM_APPROVED"):
        body = orjson.dumps({"session_id": session_id, "new_status": status})
        updated = shop.post("/smart-engage/post/update-session-status", content=body, headers=headers)
        assert updated.json() == {"message": "Status updated successfully"}
    engaged = shop.post(f"/smart-engage/post/engage-v3/{session_id}", content=b"{}", headers=headers)
    assert engaged.status_code == 200, engaged.text
    assert engaged.json()["message"] == "success"
