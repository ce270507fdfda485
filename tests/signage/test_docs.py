"""docs/signage.md keeps up with the code: every message the family sends is documented, word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

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
]


@pytest.mark.parametrize("message", MESSAGES)
def test_message_is_in_code_and_docs(message):
    assert message in DOC
    assert message.split("<")[0] in SOURCE


def test_readme_links_the_walk_through():
    assert "(docs/signage.md)" in (ROOT / "README.md").read_text()
