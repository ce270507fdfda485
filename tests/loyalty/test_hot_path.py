"""The trial's hot path stays small: a warm trial is a fixed handful of statements, whatever the number of
prompts it shows; the program's rules come from memory."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime
from decimal import Decimal

from clicktrail.core.web.errors import InvalidInput
from clicktrail.loyalty import activity, program
from clicktrail.loyalty.service import FINALIZED, NO_SESSION

from ..helpers import statements
from .conftest import answer, finalize, new_cid, start, start_anonymous, trial


def test_a_warm_trial_is_a_few_statements(shop):
    cid = start(shop)["correlationId"]
    assert trial(shop, cid, "10.00").status_code == 200  # warms the credential cache and the rules
    with statements(shop) as quiet:
        assert trial(shop, cid, "10.00", callId="no-prompt").status_code == 200
    with statements(shop) as prompted:
        assert len(trial(shop, cid, "46.50", callId="two-prompts").json()["nearMiss"]) == 2
    with statements(shop) as replayed:
        assert trial(shop, cid, "46.50", callId="two-prompts").status_code == 200
    # the session, read and locked (FOR UPDATE holds it open) with its member's loyalty id, by the one
    # statement that reads every session of the writer batch; the answer already given to the callId, by
    # the one statement for the batch's callIds; the app's webhooks (read once per writer batch, so that
    # events and their webhook messages commit together); then the batch's writes, one executemany each:
    # the rollup counts (see core.rollups), the events, the trial. The job itself runs no statement, so it
    # takes no savepoint. (Was SAVEPOINT, UPDATE holding the session open and reading the callId's answer,
    # INSERT of the trial RETURNING its id, each trial on its own; before that, 9 statements.)
    assert quiet == ["SELECT", "SELECT", "SELECT", "INSERT", "INSERT", "INSERT"]
    # the same, with the prompts: one executemany that takes each prompt's trial id from its trial row
    assert prompted == ["SELECT", "SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "INSERT"]
    # a repeated callId: the answer comes with the batch's reads
    assert replayed == ["SELECT", "SELECT"]


def test_an_anonymous_trial_costs_the_same(shop):
    cid = start_anonymous(shop)["correlationId"]
    assert trial(shop, cid, "10.00").status_code == 200
    with statements(shop) as seen:
        assert trial(shop, cid, "47.00").json()["loyaltyId"] == "anonymous"
    # no callId given: a new one cannot have been answered, so only the session is read
    assert seen == ["SELECT", "SELECT", "INSERT", "INSERT", "INSERT", "INSERT"]  # + rollups


def test_a_batch_of_trials_reads_its_sessions_once(shop):
    """Trials that meet in one writer batch: their sessions are read (and locked) by one statement, the
    answers already given to their callIds by another, and their rows go out with the batch's; a repeat
    of a callId of the same batch gets the first trial's answer, one of an earlier batch that batch's."""
    member, anonymous = start(shop)["correlationId"], start_anonymous(shop)["correlationId"]
    closed, missing = start(shop)["correlationId"], new_cid()
    assert finalize(shop, closed).status_code == 200
    first = trial(shop, member, "10.00", callId="before").json()  # warms the caches; an earlier batch
    rt = shop.app.state.runtime
    with rt.sessions() as session:
        rules = program.load(session, "shop")

    def record(cid: str, amount: str, call_id: str | None):
        return activity.record_trial(
            rt.writer,
            rules,
            app_id="shop",
            correlation_id=cid,
            action="PURCHASE",
            channel="STORE",
            transaction_date=datetime(2026, 11, 23, 10, 15, tzinfo=UTC),
            call_id=call_id,
            locale=None,
            amount=Decimal(amount),
            currency="USD",
            line_items=1,
        )

    async def one_batch() -> list:
        release = threading.Event()
        holder = asyncio.ensure_future(rt.writer.submit(lambda tx: release.wait(10)))
        await asyncio.sleep(0.05)
        calls = [
            (member, "46.50", "a"),  # two prompts
            (member, "46.50", "a"),  # the same callId in the same batch
            (anonymous, "10.00", "b"),
            (anonymous, "47.00", None),  # two prompts, a callId of its own
            (member, "10.00", "before"),  # answered in an earlier batch
            (closed, "10.00", "c"),
            (missing, "10.00", "d"),
        ]
        pending = [asyncio.ensure_future(record(*call)) for call in calls]
        await asyncio.sleep(0.05)
        release.set()
        await holder
        return await asyncio.gather(*pending, return_exceptions=True)

    with statements(shop, words=3) as seen:
        results = asyncio.run(one_batch())
    a, again, b, own, before, finalized, none = results
    assert again == a and len(a["nearMiss"]) == 2 and b["loyaltyId"] == "anonymous"
    assert len(own["nearMiss"]) == 2 and before == first
    assert isinstance(finalized, InvalidInput) and finalized.message == FINALIZED
    assert isinstance(none, InvalidInput) and none.message == NO_SESSION
    assert answer(shop, member, a["nearMiss"][1]["promptMessageID"]).status_code == 200  # linked to its trial
    # the batch's sessions, read and locked by one statement whatever the number of trials; the answers
    # already given to its callIds, by another; the app's webhooks (once per batch); then its writes, one
    # executemany each: the rollup counts, the events, the trials, the prompts (each finding its trial's
    # id as it is written). Was 25 for these seven trials: SAVEPOINT, UPDATE holding the session open
    # and INSERT of the trial RETURNING its id, for each trial (and a SELECT, then ROLLBACK TO SAVEPOINT,
    # for a finalized or missing session), then the webhooks and the writes of the batch.
    assert [" ".join(s.split()[:3]) for s in seen] == [
        "SELECT LOYALTY_SESSIONS.CORRELATION_ID, LOYALTY_SESSIONS.ID,",
        "SELECT LOYALTY_SESSIONS.CORRELATION_ID, LOYALTY_TRIALS.CALL_ID,",
        "SELECT WEBHOOKS.ID, WEBHOOKS.URL,",
        "INSERT INTO ROLLUP_COUNTS",
        "INSERT INTO JOURNEY_EVENTS",
        "INSERT INTO LOYALTY_TRIALS",
        "INSERT INTO LOYALTY_PROMPTS",
    ]
