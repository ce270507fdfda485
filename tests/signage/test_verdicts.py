"""A scan's verdict, by the rules every family judges by: ``bot`` when a bot's or link previewer's agent
scanned (it still opens its session), ``duplicate`` when the same visitor (address + user agent) scanned
the same campaign within the app's ``duplicate_window_seconds`` (scans of one writer batch included),
else ``ok``; ``is_unique`` the visitor's first human scan of the campaign that UTC day. Where the scan is
sent never changes; the metrics count scans (human), unique and bot scans as the raw rows do, on the
rollups path and on the raw facts path alike. Both engines."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, update

from clicktrail.core.storage.db import normalize_url
from clicktrail.core.storage.writer import Tx
from clicktrail.signage import service
from clicktrail.signage.verdicts import SESSIONS, ua_hash

from ..helpers import ADMIN, configure
from ..retention_support import sql
from .conftest import UK_ADDRESS
from .support import HEADERS, IPHONE, campaign, document, scan, session_of

BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
PREVIEW = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)


def scanned(client, agent: str = IPHONE, campaign: str = "spring-form", **query: str) -> str:
    return scan(client, campaign_id=campaign, headers={"User-Agent": agent}, params=query)


def verdict(database_url: str, session_id: str) -> tuple[str | None, str | None, bool | None]:
    [(kind, reason, unique)] = sql(
        database_url,
        f"SELECT verdict, verdict_reason, is_unique FROM signage_sessions WHERE id = '{session_id}'",
    )
    return kind, reason, None if unique is None else bool(unique)


def backdate(database_url: str, session_id: str, by: timedelta) -> datetime:
    """Move the session's scan ``by`` into the past; returns its new time."""
    engine = create_engine(normalize_url(database_url))
    at = datetime.now(UTC) - by
    try:
        with engine.begin() as conn:
            conn.execute(update(SESSIONS).where(SESSIONS.c.id == session_id).values(created_at=at))
        return at
    finally:
        engine.dispose()


def with_window(seconds: Any) -> dict[str, Any]:
    doc = document()
    doc["apps"][0]["signage"]["duplicate_window_seconds"] = seconds
    return doc


def test_a_bot_or_link_preview_scan_is_a_bot_scan_that_still_opens_a_session(uk_shopper, database_url):
    human = scanned(uk_shopper)
    bot = uk_shopper.get(
        "/smart-engage/scan/demo/spring-form", headers={"User-Agent": BOT}, follow_redirects=False
    )
    assert bot.status_code == 302 and "session_id=" in bot.headers["location"]  # sent on as any scan
    assert verdict(database_url, human) == ("ok", None, True)
    bot_session = session_of(bot.headers["location"])
    assert verdict(database_url, bot_session) == ("bot", "bot_user_agent", False)
    assert verdict(database_url, scanned(uk_shopper, PREVIEW)) == ("bot", "link_preview", False)
    [payload] = [
        e["payload"]
        for e in uk_shopper.get("/admin/v1/apps/demo/events", headers=ADMIN).json()["items"]
        if e["journey_id"] == bot_session
    ]
    assert (payload["verdict"], payload["bot"], payload["unique"], payload["is_bot"]) == (
        "bot",
        True,
        False,
        True,
    )


def test_the_same_visitor_on_the_same_campaign_within_the_window_is_a_duplicate(uk_shopper, database_url):
    first, second = scanned(uk_shopper), scanned(uk_shopper)
    assert verdict(database_url, first) == ("ok", None, True)
    assert verdict(database_url, second) == ("duplicate", "repeat_within_window", False)
    # another user agent (another visitor), another campaign: their own first scans
    assert verdict(database_url, scanned(uk_shopper, ANDROID)) == ("ok", None, True)
    configure(uk_shopper, _two_campaigns())
    assert verdict(database_url, scanned(uk_shopper, campaign="summer-quiz")) == ("ok", None, True)
    # a session the form's backend opened is no scan: no verdict
    opened = uk_shopper.post(
        "/smart-engage/post/create-session", json={"campaign_id": "spring-form"}, headers=HEADERS
    ).json()["session_id"]
    assert verdict(database_url, opened) == (None, None, None)


def _two_campaigns() -> dict[str, Any]:
    return document(campaign(), campaign("summer-quiz", coupons={"codes": ["SUMMER-1"]}))


def test_after_the_window_the_scan_is_ok_again(uk_shopper, database_url):
    first = scanned(uk_shopper)
    earlier = backdate(database_url, first, timedelta(seconds=1801))
    kind, reason, unique = verdict(database_url, scanned(uk_shopper))
    assert (kind, reason) == ("ok", None)
    # unique: the visitor's first scan of the campaign that UTC day
    assert unique == (earlier.date() != datetime.now(UTC).date())


def test_a_scan_on_a_later_day_is_ok_and_unique(uk_shopper, database_url):
    backdate(database_url, scanned(uk_shopper), timedelta(days=2))
    assert verdict(database_url, scanned(uk_shopper)) == ("ok", None, True)


def test_the_window_comes_from_the_app_config(uk_shopper, database_url):
    assert configure(uk_shopper, with_window(60))["changes"] == [
        "demo: signage settings created"
    ]  # fmt: skip
    first = scanned(uk_shopper)
    backdate(database_url, first, timedelta(seconds=120))
    assert verdict(database_url, scanned(uk_shopper))[0] == "ok"  # past 60 seconds
    changes = configure(uk_shopper, with_window(0))["changes"]  # 0: never a duplicate
    assert changes == ["demo: signage settings updated (duplicate_window_seconds)"]
    assert verdict(database_url, scanned(uk_shopper))[0] == "ok"
    assert sql(database_url, "SELECT duplicate_window_seconds FROM signage_settings") == [(0,)]


@pytest.mark.parametrize("window", [-1, 30 * 86400 + 1, "soon", None])
def test_the_window_is_validated(client, window):
    answer = client.put("/admin/v1/config", json=with_window(window), headers=ADMIN)
    assert answer.status_code == 400, answer.text
    assert "apps[0].signage.duplicate_window_seconds" in answer.text


async def _scan_together(writer, campaigns, key: tuple[str, ...]) -> Any:
    """Hold the writer in one job until two scans of one visitor (and a probe after them) are queued, so
    they meet in one batch; returns the redirects and what the probe found noted of the visitor."""
    release = threading.Event()

    def blocker(tx: Tx) -> None:
        release.wait(10)

    def probe(tx: Tx) -> Any:
        return tx.noted(("signage.visitor_scans", key))

    first = asyncio.ensure_future(writer.submit(blocker))
    await asyncio.sleep(0.05)
    scans = [
        asyncio.ensure_future(
            service.record_scan(
                writer,
                campaigns,
                app_id="demo",
                campaign_id="spring-form",
                ip=UK_ADDRESS,
                country="GB",
                user_agent=IPHONE,
            )
        )
        for _ in range(2)
    ]
    noted = asyncio.ensure_future(writer.submit(probe))
    await asyncio.sleep(0.05)
    release.set()
    await first
    return await asyncio.gather(*scans), await noted


def test_two_scans_of_one_batch_see_each_other(shop, database_url):
    scan(shop)  # the campaigns are in memory
    runtime = shop.app.state.runtime
    campaigns = runtime.config.get("demo", service.load_rules)
    key = ("demo", "spring-form", UK_ADDRESS, ua_hash(IPHONE))
    locations, noted = asyncio.run(_scan_together(runtime.writer, campaigns, key))
    assert noted is not None and len(noted) == 2  # both scans were judged in the probe's batch
    first, second = (session_of(location) for location in locations)
    assert verdict(database_url, first) == ("ok", None, True)
    assert verdict(database_url, second) == ("duplicate", "repeat_within_window", False)


# --- metrics: as the raw rows count ------------------------------------------------------------------------

RAW = (
    "SELECT campaign_id, sum(CASE WHEN verdict = 'bot' THEN 0 ELSE 1 END), "
    "sum(CASE WHEN is_unique THEN 1 ELSE 0 END), sum(CASE WHEN verdict = 'bot' THEN 1 ELSE 0 END), count(*) "
    "FROM signage_sessions WHERE app_id = 'demo' AND source = 'scan' {where} GROUP BY campaign_id"
)
MEASURES = ("scans", "unique_scans", "bot_scans", "sessions")


def scans_of_every_kind(client) -> None:
    configure(client, _two_campaigns())
    for campaign_id, agent, query in [
        ("spring-form", IPHONE, {"utm_source": "mall"}),
        ("spring-form", IPHONE, {"utm_source": "mall"}),  # duplicate
        ("spring-form", ANDROID, {}),
        ("spring-form", BOT, {"utm_source": "mall"}),
        ("summer-quiz", IPHONE, {"utm_source": "mall"}),
        ("summer-quiz", PREVIEW, {}),
        ("summer-quiz", ANDROID, {"utm_source": "bus"}),
        ("summer-quiz", ANDROID, {"utm_source": "bus"}),  # duplicate
    ]:
        scanned(client, agent, campaign_id, **query)


def metrics(client, **params: Any) -> dict[str, Any]:
    answer = client.get(
        "/admin/v1/apps/demo/metrics",
        params={"family": "signage", "measures": ",".join(MEASURES), **params},
        headers=ADMIN,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def by_key(answer: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    return {r["key"]: tuple(r[m] for m in MEASURES) for r in answer["rows"] if any(r[m] for m in MEASURES)}


def raw(database_url: str, where: str = "") -> dict[str, tuple[int, ...]]:
    return {campaign: tuple(counts) for campaign, *counts in sql(database_url, RAW.format(where=where))}


def test_metrics_count_scans_unique_and_bot_scans_as_the_rows(uk_shopper, database_url):
    scans_of_every_kind(uk_shopper)
    expected = {"spring-form": (3, 2, 1, 4), "summer-quiz": (3, 2, 1, 4)}
    assert raw(database_url) == expected
    assert by_key(metrics(uk_shopper, group_by="campaign")) == expected  # the rollups
    totals = metrics(uk_shopper)["totals"]
    assert tuple(totals[m] for m in MEASURES) == (6, 4, 2, 8)


def test_with_filters_the_raw_facts_count_the_same(uk_shopper, database_url):
    scans_of_every_kind(uk_shopper)
    mall = raw(database_url, "AND utm_source = 'mall'")
    assert mall == {"spring-form": (2, 1, 1, 3), "summer-quiz": (1, 1, 0, 1)}
    # a filter with a grouping by another dimension, and two filters: the family's raw facts answer
    assert by_key(metrics(uk_shopper, group_by="campaign", **{"filter[utm_source]": "mall"})) == mall
    both = metrics(uk_shopper, **{"filter[utm_source]": "mall", "filter[country]": "GB"})
    assert tuple(both["totals"][m] for m in MEASURES) == (3, 2, 1, 4)
    # one filter: the rollups answer, the same
    one = metrics(uk_shopper, **{"filter[utm_source]": "bus"})
    assert tuple(one["totals"][m] for m in MEASURES) == (2, 1, 0, 2)


def test_a_funnel_starts_from_the_scans_metrics_count(uk_shopper):
    """The funnel's scan step is the `scans` figure beside it: a bot's scan opens a session but no journey."""
    scans_of_every_kind(uk_shopper)
    answer = uk_shopper.get(
        "/admin/v1/apps/demo/funnels", params={"family": "signage", "steps": "scan,session"}, headers=ADMIN
    )
    assert answer.status_code == 200, answer.text
    first = answer.json()["steps"][0]
    assert first["count"] == metrics(uk_shopper)["totals"]["scans"] == 6
