"""A survey click's verdict, by partners' rules: ``bot`` when a bot's or link previewer's agent opened it,
``duplicate`` when the same wall user opened a click on the same survey within the app's window (clicks of
one writer batch included), else ``ok``; ``is_unique`` as partners'. The wire answer is the same whatever
the verdict; the metrics count clicks, unique and bot clicks as the raw rows do. Both engines."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import create_engine, update

from clicktrail.core.storage.db import normalize_url
from clicktrail.core.storage.writer import Tx
from clicktrail.surveys import service
from clicktrail.surveys.click_rules import CLICKS

from ..helpers import ADMIN, configure
from .support import Wall, document, rows

BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
PREVIEW = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def open_click(client, wall: Wall, survey: str = "srv-auto", agent: str = BROWSER, method: str = "POST"):
    url = urlsplit(wall.click_url(survey))
    return client.request(
        method, f"{url.path}?{url.query}", headers={"User-Agent": agent}, follow_redirects=False
    )


def click(client, wall: Wall, survey: str = "srv-auto", agent: str = BROWSER) -> str:
    answer = open_click(client, wall, survey, agent)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["data"]["id"])


def verdict(database_url: str, click_id: str) -> tuple[str, str | None, bool]:
    [(kind, reason, unique)] = rows(
        database_url,
        "SELECT verdict, verdict_reason, is_unique FROM survey_clicks WHERE id = :id",
        id=click_id,
    )
    return kind, reason, bool(unique)


def created_payload(database_url: str, click_id: str) -> dict[str, Any]:
    [(payload,)] = rows(
        database_url,
        "SELECT payload FROM journey_events WHERE journey_id = :j AND type = 'click.created'",
        j=click_id,
    )
    return json.loads(payload) if isinstance(payload, str) else payload


def backdate(database_url: str, click_id: str, by: timedelta) -> datetime:
    """Move the click's creation ``by`` into the past; returns its new time."""
    engine = create_engine(normalize_url(database_url))
    at = datetime.now(UTC) - by
    try:
        with engine.begin() as conn:
            conn.execute(update(CLICKS).where(CLICKS.c.id == click_id).values(created_at=at))
        return at
    finally:
        engine.dispose()


def test_a_bot_or_link_preview_agent_makes_a_bot_click_that_still_opens(client, database_url):
    configure(client, document())
    human = open_click(client, Wall(client, user="human"), method="GET")
    bot = open_click(client, Wall(client, user="crawler"), agent=BOT, method="GET")
    # the wire answer does not depend on the verdict: the same redirect to the question page
    assert human.status_code == bot.status_code == 302
    assert urlsplit(bot.headers["location"]).path.endswith("/page")
    bot_id = urlsplit(bot.headers["location"]).path.split("/")[-2]
    human_id = urlsplit(human.headers["location"]).path.split("/")[-2]
    assert verdict(database_url, bot_id) == ("bot", "bot_user_agent", False)
    assert verdict(database_url, human_id) == ("ok", None, True)
    preview = click(client, Wall(client, user="slack"), agent=PREVIEW)
    assert verdict(database_url, preview) == ("bot", "link_preview", False)
    # the journey's click.created event carries it (the person timeline shows it)
    payload = created_payload(database_url, bot_id)
    assert (payload["verdict"], payload["verdict_reason"], payload["unique"], payload["bot"]) == (
        "bot",
        "bot_user_agent",
        False,
        True,
    )
    assert created_payload(database_url, human_id)["verdict"] == "ok"


def test_the_same_user_on_the_same_survey_within_the_window_is_a_duplicate(client, database_url):
    configure(client, document())
    wall = Wall(client, user="repeat")
    first = click(client, wall)
    second = click(client, wall)
    assert verdict(database_url, first) == ("ok", None, True)
    assert verdict(database_url, second) == ("duplicate", "repeat_within_window", False)
    # another survey, another user: their own first clicks
    assert verdict(database_url, click(client, wall, "srv-all"))[0] == "ok"
    assert verdict(database_url, click(client, Wall(client, user="someone")))[0] == "ok"
    # the duplicate answers as any click: it asks its questions
    assert wall.state(second)["answer_question"]["question"]["id"]


def test_after_the_window_the_click_is_ok_again(client, database_url):
    configure(client, document())
    wall = Wall(client, user="later")
    first = click(client, wall)
    earlier = backdate(database_url, first, timedelta(seconds=1801))
    later = click(client, wall)
    kind, reason, unique = verdict(database_url, later)
    assert (kind, reason) == ("ok", None)
    # unique: the user's first click on the survey that UTC day
    assert unique == (earlier.date() != datetime.now(UTC).date())


def test_the_window_comes_from_the_app_config(client, database_url):
    configure(client, document(duplicate_window_seconds=60))
    wall = Wall(client, user="minute")
    first = click(client, wall)
    backdate(database_url, first, timedelta(seconds=120))
    assert verdict(database_url, click(client, wall))[0] == "ok"
    configure(client, document(duplicate_window_seconds=0))  # 0: never a duplicate
    assert verdict(database_url, click(client, wall))[0] == "ok"


@pytest.mark.parametrize("window", [-1, 30 * 86400 + 1, "soon"])
def test_the_window_is_validated(client, window):
    r = client.put("/admin/v1/config", json=document(duplicate_window_seconds=window), headers=ADMIN)
    assert r.status_code == 400, r.text
    assert "apps[0].surveys.duplicate_window_seconds" in r.text


async def _open_together(writer, config, listings: list[tuple[str, str]], key: tuple[str, ...]) -> Any:
    """Hold the writer in one job until both clicks (and a probe after them) are queued, so they meet in
    one batch; returns the clicks and what the probe found noted of the user's clicks on the survey."""
    release = threading.Event()

    def blocker(tx: Tx) -> None:
        release.wait(10)

    def probe(tx: Tx) -> Any:
        return tx.noted(("surveys.user_survey_clicks", key))

    first = asyncio.ensure_future(writer.submit(blocker))
    await asyncio.sleep(0.05)
    opened = [
        asyncio.ensure_future(
            service.open_click(writer, config, impression=i, session_id=s, country="US", user_agent=BROWSER)
        )
        for i, s in listings
    ]
    noted = asyncio.ensure_future(writer.submit(probe))
    await asyncio.sleep(0.05)
    release.set()
    await first
    return await asyncio.gather(*opened), await noted


def test_two_clicks_of_one_batch_see_each_other(client, database_url):
    configure(client, document())
    click(client, Wall(client, user="warm-up"))  # the app's definitions are in memory: no job is resubmitted
    wall = Wall(client, user="batched")
    listings = []
    for _ in range(2):
        query = parse_qs(urlsplit(wall.click_url("srv-auto")).query)
        listings.append((query["i"][0], query["s"][0]))
    runtime = client.app.state.runtime
    key = ("acme", "batched", "srv-auto")
    opened, noted = asyncio.run(_open_together(runtime.writer, runtime.config, listings, key))
    (first, _), (second, _) = opened
    assert rows(database_url, "SELECT user_id FROM survey_clicks WHERE id = :id", id=first) == [("batched",)]
    assert noted is not None and len(noted) == 2  # both clicks were judged in the probe's batch
    assert verdict(database_url, first) == ("ok", None, True)
    assert verdict(database_url, second) == ("duplicate", "repeat_within_window", False)


def test_metrics_count_clicks_unique_and_bot_clicks_as_the_rows(client, database_url):
    configure(client, document())
    for n in range(3):
        wall = Wall(client, user=f"m-{n}")
        click(client, wall)
        if n:
            click(client, wall)  # a duplicate: a click, not unique
        click(client, wall, "srv-all", agent=BOT if n == 2 else BROWSER)
    answer = client.get(
        "/admin/v1/apps/acme/metrics",
        params={"family": "surveys", "group_by": "survey"},
        headers=ADMIN,
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    raw = rows(
        database_url,
        "SELECT survey_id, count(*), sum(CASE WHEN is_unique THEN 1 ELSE 0 END), "
        "sum(CASE WHEN verdict = 'bot' THEN 1 ELSE 0 END) FROM survey_clicks WHERE app_id = 'acme' "
        "GROUP BY survey_id",
    )
    expected = {survey: (clicks, unique, bots) for survey, clicks, unique, bots in raw}
    shown = {r["key"]: (r["clicks"], r["unique_clicks"], r["bot_clicks"]) for r in found["rows"]}
    assert shown == expected == {"srv-auto": (5, 3, 0), "srv-all": (3, 2, 1)}
    totals = found["totals"]
    assert (totals["clicks"], totals["unique_clicks"], totals["bot_clicks"]) == (8, 5, 1)
