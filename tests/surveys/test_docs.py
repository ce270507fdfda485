"""docs/surveys.md works as written: its walk-through, pasted twice against the demo (a new user each
time), lists, opens a click, answers the questions as the page shows and reports the complete."""

from __future__ import annotations

import json

import pytest

from ..walkthrough import apply_demo, output, walk_through

pytestmark = pytest.mark.e2e


def test_the_walk_through_runs_twice(database_url, start_server):
    base = start_server(database_url, env={"CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"})
    apply_demo(base)
    clicks = []
    for _ in range(2):
        done = walk_through("docs/surveys.md", base)
        listed = json.loads(output(done, "U=alice-"))["data"]["surveys"]
        assert [s["id"] for s in listed] == ["start-bonus", "srv-auto", "srv-brands"]
        opened = json.loads(output(done, "URL=$(curl"))["data"]
        assert (opened["question_mode"], opened["answer_question"]["question"]["id"]) == (
            "first",
            "q-birthdate",
        )
        answers = [json.loads(line) for line in output(done, "post() {").splitlines() if line]
        assert [a["data"].get("code") for a in answers] == [
            "OUT_OF_RANGE",
            None,
            None,
            "REGEX_MISMATCH",
            None,
            None,
        ]
        assert answers[-1]["data"]["redirect"]["type"] == "survey"
        reported = json.loads(output(done, 'T="/v2/server/clicks/$C/complete'))["data"]
        assert reported["status"] == "completed"
        clicks.append(reported["id"])
        assert "general.currency.factor" in output(done, "curl -s http://127.0.0.1:8000/api/public")
    assert len(set(clicks)) == 2
