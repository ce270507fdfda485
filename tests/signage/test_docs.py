"""docs/signage.md keeps up with the code: every message the family sends is documented, word for word."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ..walkthrough import apply_demo, output, walk_through

ROOT = Path(__file__).parents[2]
DOC = (ROOT / "docs" / "signage.md").read_text()
SOURCE = "\n".join(p.read_text() for p in (ROOT / "src" / "clicktrail" / "signage").glob("*.py"))

MESSAGES = [
    "API-KEY is invalid",
    "Internal error occured, please check with our team",
    "Status updated successfully",
    "Action already completed for session_id: <id>",
    "No record with session_id: <id>",
    "Invalid new_status <name>",
    "Invalid session_id <id>",
    "No record with campaign_id: <id>",
    "Coupon not available yet for session_id: <id>",
    "Coupon already issued for session_id: <id>",
    "No coupons left for campaign <id>",
    "Request body must be valid JSON",
    "Request body must be a JSON object",
    "<name>: must not contain a NUL character",
]


@pytest.mark.parametrize("message", MESSAGES)
def test_message_is_in_code_and_docs(message):
    assert message in DOC
    assert message.split("<")[0] in SOURCE


def test_readme_links_the_walk_through():
    assert "(docs/signage.md)" in (ROOT / "README.md").read_text()


def test_the_walk_through_runs_twice(database_url, start_server):
    """Pasted twice against the demo, every step answers as the page says (each paste scans a new
    session and takes a new code of the demo's generated pool)."""
    base = start_server(database_url, env={"CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"})
    apply_demo(base)
    codes = []
    for _ in range(2):
        done = walk_through("docs/signage.md", base)
        assert "location: https://brand.example/form?session_id=" in output(
            done, "curl -si $B/smart-engage/scan"
        )
        assert "location: https://brand.example/quiz?lang=de&session_id=" in output(
            done, "curl -si -H 'Accept-Language: de-DE"
        )
        by_rule = json.loads(
            output(done, 'curl -s "$B/admin/v1/apps/demo/metrics?family=signage&group_by=rule')
        )
        assert {row["key"] for row in by_rule["rows"]} == {None, "german"}
        assert by_rule["totals"]["bot_scans"] >= 3  # curl's own scans
        attributed = output(done, "PHONE=")
        for field in ('"utm_campaign":"spring-poster"', '"sub2":"screen-42"', '"ad_network":"google_ads"'):
            assert field in attributed
        assert '"verdict":"ok"' in attributed or '"verdict":"duplicate"' in attributed  # a second paste
        by_campaign = json.loads(attributed[attributed.rindex('{"family"') :])
        assert {r["key"]: r["scans"] for r in by_campaign["rows"]}.get("spring-poster", 0) >= 1
        assert re.fullmatch(
            r'\{"session_id":"[0-9a-f-]{36}"\}\s*',
            output(done, "curl -s -X POST $B/smart-engage/post/create"),
        )
        steps = output(done, "curl -s -X POST $B/smart-engage/post/update-session-status")
        assert steps.count('{"message":"Status updated successfully"}') == 1
        assert '"error_msg":"Action already completed for session_id:' in steps
        coupon = output(done, "curl -s -X POST $B/smart-engage/post/engage-v3")
        assert "Coupon not available yet" in coupon and "Coupon already issued" in coupon
        assert '{"message":"Status updated successfully"}' in coupon  # FORM_APPROVED, between the two
        codes += re.findall(r'"coupon_code":"(SPRING-[A-Z0-9]{8})"', coupon)
        events = output(done, "curl -s -H 'Authorization: Bearer demo-admin-token'")
        assert [e["type"] for e in json.loads(events)["items"]] == [
            "scan.recorded",
            "status.changed",
            "status.changed",
            "coupon.issued",
        ]
        assert json.loads(output(done, "curl -s -X PUT $B/admin/v1/config"))["changed"] is False
    assert len(set(codes)) == 2
