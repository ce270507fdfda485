"""docs/loyalty.md works as written: the till's walk-through, pasted twice against the demo, books each
sale once (a new correlation id every paste) and every step answers as the page shows."""

from __future__ import annotations

import json

import pytest

from ..walkthrough import apply_demo, output, walk_through

pytestmark = pytest.mark.e2e


def test_the_walk_through_runs_twice(database_url, start_server):
    base = start_server(database_url, env={"CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"})
    apply_demo(base)
    balances = []
    for paste in range(2):
        done = walk_through("docs/loyalty.md", base, epilogue='printf "\\nCID=%s\\n" "$CID"\n')
        *_, (_, history) = done
        history, correlation = history.rsplit("\nCID=", 1)
        correlation = correlation.strip()
        assert '"token_type":"Bearer"' in output(done, "B=")
        member = json.loads(output(done, "curl -s -X POST $B/client/users/ann@"))
        anonymous = json.loads(output(done, "curl -s -X POST $B/client/users/anonymous"))
        assert (member["correlationId"], member["enrolled"]) == (correlation, paste == 0)
        assert (anonymous["correlationId"], anonymous["status"]) == (f"{correlation}-anon", "NO_CARD")
        trial = json.loads(output(done, "TRIAL=$(curl"))
        assert trial["promptMessage"] == "Spend $3.50 more to earn 500 bonus points"
        assert output(done, "curl -s -X PUT $B/client/users/$CID/prompts").strip() == (
            '{"message":"Customer\'s response captured successfully."}'
        )
        finalized = json.loads(output(done, "curl -s -X POST $B/client/users/$CID/activity/finalize"))
        assert finalized["earned"]["totalPoints"] == 1000
        balances.append(finalized["pointsBalance"])
        booked = json.loads(history)["transactions"]  # the member's, newest first
        assert [t["transactionId"] for t in booked][:1] == [finalized["transactionId"]]
        assert len(booked) == paste + 1
    assert balances == [1000, 2000]  # the same member, one sale booked per paste
