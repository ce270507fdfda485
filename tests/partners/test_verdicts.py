"""Verdicts: the pure rule (hypothesis), and the per-process index of recent visitors, which must give
the verdicts a database lookup per click would give, on both engines, with clicks out of order and
whatever its cap evicts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clicktrail.core.enrich.useragent import UserAgent
from clicktrail.core.storage.db import create_db_engine
from clicktrail.core.storage.ids import new_object_id
from clicktrail.core.storage.writer import Tx, Writer
from clicktrail.partners.service import CLICKS
from clicktrail.partners.verdicts import RecentVisitors, VisitorKey, day_start, judge, lookup_floor

from .conftest import AUTH, LINK

HUMAN = UserAgent(browser="Safari")
BOT = UserAgent(browser="curl", is_bot=True)
PREVIEW = UserAgent(browser="Slackbot", is_bot=True, is_link_preview=True)

moments = st.datetimes(min_value=datetime(2020, 1, 2), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))
gaps = st.one_of(st.none(), st.integers(min_value=0, max_value=3 * 86_400))
windows = st.integers(min_value=0, max_value=86_400)


@settings(deadline=None)
@given(at=moments, gap=gaps, window=windows, agent=st.sampled_from([HUMAN, BOT, PREVIEW]))
def test_blocked_wins_and_bots_are_never_duplicates(at, gap, window, agent) -> None:
    last = at - timedelta(seconds=gap) if gap is not None else None
    blocked = judge(at=at, last_seen=last, window_seconds=window, blocked="blocked_ip", agent=agent)
    assert (blocked.verdict, blocked.reason, blocked.unique) == ("blocked", "blocked_ip", False)
    verdict = judge(at=at, last_seen=last, window_seconds=window, blocked=None, agent=agent)
    if agent.is_bot:
        assert verdict.verdict == "bot" and not verdict.unique
        assert verdict.reason == ("link_preview" if agent.is_link_preview else "bot_user_agent")


@settings(deadline=None)
@given(at=moments, gap=gaps, window=windows)
def test_a_human_repeat_is_a_duplicate_exactly_within_the_window(at, gap, window) -> None:
    last = at - timedelta(seconds=gap) if gap is not None else None
    verdict = judge(at=at, last_seen=last, window_seconds=window, blocked=None, agent=HUMAN)
    within = gap is not None and window > 0 and gap <= window
    assert verdict.verdict == ("duplicate" if within else "ok")
    # unique: the visitor's first click on this link that UTC day
    assert verdict.unique == (last is None or last < day_start(at))


def test_the_index_agrees_with_the_database(ib) -> None:
    """Clicks from 3 addresses x 2 agents, with times in and out of order over two days; every verdict
    is checked against one worked out from the clicks recorded before it."""
    rng = random.Random(7)
    base = datetime(2026, 3, 10, 23, 40, tzinfo=UTC)
    agents = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", "Mozilla/5.0 (iPhone) Safari/604.1"]
    recorded: list[tuple[str, str, datetime]] = []
    for _ in range(80):
        ip = f"185.155.96.{rng.randint(1, 3)}"
        agent = rng.choice(agents)
        at = base + timedelta(seconds=rng.randint(-1800, 3600))  # some land on the next UTC day
        body = {
            "ip": ip,
            "userAgent": agent,
            "uri": "https://my.stage.org/register?referral=1",
            "time": at.isoformat(),
        }
        made = ib.post("/ib/v1/clicks", json=body, headers=AUTH)
        assert made.status_code == 201, made.text
        traffic = ib.get(f"/ib/v1/clicks/{made.json()['clickId']}?query[traffic]=1", headers=AUTH)
        before = [t for (i, a, t) in recorded if (i, a) == (ip, agent) and t <= at]
        floor = min(day_start(at), at - timedelta(seconds=600))
        last = max((t for t in before if t >= floor), default=None)
        expected = judge(at=at, last_seen=last, window_seconds=600, blocked=None, agent=HUMAN)
        got = traffic.json()["traffic"]
        assert (got["verdict"], got["unique"]) == (expected.verdict, expected.unique), (ip, agent, at)
        assert made.json()["linkId"] == LINK
        recorded.append((ip, agent, at))


# --- the index alone, on the real writer: a batch is one transaction judging and recording its clicks ---

Click = tuple[VisitorKey, datetime]
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def writer(database_url: str) -> Iterator[Writer]:
    engine = create_db_engine(database_url)
    writer = Writer(engine)
    writer.start()
    yield writer
    writer.stop()
    engine.dispose()


def visitor(app_id: str, number: int) -> VisitorKey:
    return (app_id, LINK, f"185.155.96.{number}", "a" * 32)


def click_row(key: VisitorKey, at: datetime) -> dict:
    """The columns a click row cannot do without (the verdict is not what these tests look at)."""
    app_id, link_id, ip, ua_hash = key
    return {
        "id": new_object_id(),
        "app_id": app_id,
        "link_id": link_id,
        "ip": ip,
        "ua_hash": ua_hash,
        "time": at,
        "uri": "https://my.stage.org/register?referral=1",
        "is_bot": False,
        "is_unique": False,
        "verdict": "ok",
        "create_time": at,
        "update_time": at,
    }


def record_batch(writer: Writer, visitors: RecentVisitors, clicks: list[Click], window: int) -> list:
    """Announce every click (as request handlers do before they submit), then judge and record them in
    one transaction; the answers of ``last_seen``, in order."""
    floors = [lookup_floor(at, window) for _, at in clicks]
    for (key, _), floor in zip(clicks, floors, strict=True):
        visitors.expect(key, floor)

    def job(tx: Tx) -> list[datetime | None]:
        answers = []
        for (key, at), floor in zip(clicks, floors, strict=True):
            answers.append(visitors.last_seen(tx, key, floor=floor, at=at))
            tx.insert(CLICKS, click_row(key, at))
        return answers

    return writer.run(job)


def test_a_lookup_of_more_visitors_than_the_cap_answers_each(writer: Writer) -> None:
    """Five visitors announced at once, with room for three: the lookup notes all five, so it evicts the
    first ones it noted, and each click is still judged from what the database holds of its visitor."""
    keys = [visitor("acme", n) for n in range(1, 6)]
    earlier = [(key, NOON + timedelta(minutes=n)) for n, key in enumerate(keys)]
    record_batch(writer, RecentVisitors(), earlier, window=600)

    restarted = RecentVisitors(max_entries=3)  # a new process: it knows nobody
    again = [(key, NOON + timedelta(minutes=8)) for key in keys]
    answers = record_batch(writer, restarted, again, window=600)
    assert answers == [at for _, at in earlier]


# (visitor, minutes from NOON): ten-minute steps, so clicks often meet a window's or a day's edge
clicks_at = st.tuples(st.integers(1, 4), st.integers(-36 * 6, 36 * 6).map(lambda tens: tens * 10))
batches = st.lists(st.lists(clicks_at, min_size=1, max_size=6), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=batches, cap=st.integers(1, 4), window=st.sampled_from([0, 600, 2 * 86_400]))
# a click earlier than one before it in the batch: the database has not seen the batch's clicks yet
@example(batches=[[(1, 0), (1, 1), (1, 0)]], cap=1, window=0)
# a batch looks a known visitor up again (a click on the day before): their click earlier in the batch
# must outlive the new lookup, for the next batch's answer
@example(batches=[[(1, 0)], [(1, 60), (1, -1000)], [(1, 120)]], cap=4, window=0)
def test_the_index_answers_as_the_list_of_earlier_clicks(writer: Writer, batches, cap, window) -> None:
    """Clicks of four visitors over three days, in and out of order, in batches, with room for 1 to 4
    visitors: every answer is the visitor's latest earlier click in [floor, at], as the plain list of the
    clicks recorded before it (in earlier batches or earlier in its own) tells it."""
    app_id = new_object_id()  # the examples share the database: each one is an app of its own
    visitors = RecentVisitors(max_entries=cap)
    earlier: list[Click] = []
    for batch in batches:
        clicks = [(visitor(app_id, number), NOON + timedelta(minutes=minutes)) for number, minutes in batch]
        answers = record_batch(writer, visitors, clicks, window)
        for (key, at), answer in zip(clicks, answers, strict=True):
            floor = lookup_floor(at, window)
            assert answer == max((t for k, t in earlier if k == key and floor <= t <= at), default=None)
            earlier.append((key, at))
