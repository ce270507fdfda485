"""The trial's hot path stays small: a warm trial is a fixed handful of statements, whatever the number of
prompts it shows; the program's rules come from memory."""

from __future__ import annotations

from ..helpers import statements
from .conftest import start, start_anonymous, trial


def test_a_warm_trial_is_a_few_statements(shop):
    cid = start(shop)["correlationId"]
    assert trial(shop, cid, "10.00").status_code == 200  # warms the credential cache and the rules
    with statements(shop) as quiet:
        assert trial(shop, cid, "10.00", callId="no-prompt").status_code == 200
    with statements(shop) as prompted:
        assert len(trial(shop, cid, "46.50", callId="two-prompts").json()["nearMiss"]) == 2
    with statements(shop) as replayed:
        assert trial(shop, cid, "46.50", callId="two-prompts").status_code == 200
    # the session held open, read with its member's loyalty id and any answer to the callId; the trial;
    # its event (was 9 statements: the session, hold it open, the callId, the program, its offers, the
    # trial, the member, the event, the trial's answer)
    # (the SELECT: the app's webhooks, read once per writer batch, so that events and their webhook
    # messages commit together)
    # (the last INSERT but one: the batch's rollup counts, one upsert for the whole batch, see core.rollups)
    # (SAVEPOINT: the writer's, before the job's first write, so that a refusal after it undoes the job alone)
    assert quiet == ["SAVEPOINT", "UPDATE", "INSERT", "SELECT", "INSERT", "INSERT"]
    # the same, with the prompts (one executemany) and their events in the same executemany as the
    # trial's (was 13: a prompt and an event each)
    assert prompted == ["SAVEPOINT", "UPDATE", "INSERT", "SELECT", "INSERT", "INSERT", "INSERT"]
    # a repeated callId: the answer comes with the session
    assert replayed == ["SAVEPOINT", "UPDATE"]


def test_an_anonymous_trial_costs_the_same(shop):
    cid = start_anonymous(shop)["correlationId"]
    assert trial(shop, cid, "10.00").status_code == 200
    with statements(shop) as seen:
        assert trial(shop, cid, "47.00").json()["loyaltyId"] == "anonymous"
    assert seen == ["SAVEPOINT", "UPDATE", "INSERT", "SELECT", "INSERT", "INSERT", "INSERT"]  # + rollups
