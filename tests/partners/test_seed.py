"""`clicktrail seed-clicks`: seeded clicks read back through the real API as live ones do (count,
X-Total-Count, filters, embeds, time order), with one click.created event each."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import create_engine, text

from clicktrail.core.storage.db import normalize_url

from ..helpers import ADMIN
from .conftest import AUTH, BANNER, LINK, LINK2

N = 2000


def seed(database_url: str, geoip_db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLICKTRAIL_DATABASE_URL": database_url, "CLICKTRAIL_GEOIP_DB": geoip_db}
    return subprocess.run(
        [sys.executable, "-m", "clicktrail", "seed-clicks", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def all_clicks(ib) -> list[dict]:
    clicks: list[dict] = []
    while len(clicks) < N:
        page = ib.get("/ib/v1/clicks", params={"limit": 1000, "offset": len(clicks)}, headers=AUTH)
        assert page.status_code == 200, page.text
        assert page.headers["X-Total-Count"] == str(N)
        clicks += page.json()
    return clicks


def test_seeded_clicks_read_back(ib, database_url, geoip_db):
    done = seed(database_url, geoip_db, "acme", "--count", str(N), "--days", "10", "--seed", "7")
    assert done.returncode == 0, done.stderr
    assert f"{N:,} clicks" in done.stdout and "rows/s" in done.stdout

    clicks = all_clicks(ib)
    assert len({c["clickId"] for c in clicks}) == N
    # newest first, and ObjectIds carry each click's own second, so they sort the same way
    times = [datetime.fromisoformat(c["createTime"]) for c in clicks]
    assert times == sorted(times, reverse=True)
    assert [c["clickId"] for c in clicks] == sorted((c["clickId"] for c in clicks), reverse=True)
    for click, at in zip(clicks, times, strict=True):
        assert int(click["clickId"][:8], 16) == int(at.timestamp())
        assert click["time"] == click["createTime"]
    assert times[0] - times[-1] > timedelta(days=9)
    assert {c["linkId"] for c in clicks} == {LINK, LINK2}
    assert {c["bannerId"] for c in clicks if c["linkId"] == LINK} == {None, BANNER}
    assert all(c["utmSource"] and c["utmMedium"] and c["utmCampaign"] for c in clicks)
    assert len({c["ip"] for c in clicks}) > 300

    # filters answer with the counts the full listing implies
    countries = Counter(c["countryCode"] for c in clicks)
    country = countries.most_common(1)[0][0]
    page = ib.get("/ib/v1/clicks", params={"filter[countryCode]": country, "limit": 5}, headers=AUTH)
    assert page.headers["X-Total-Count"] == str(countries[country])
    assert [c["clickId"] for c in page.json()] == [
        c["clickId"] for c in clicks if c["countryCode"] == country
    ][:5]
    start, end = times[1500], times[500]
    page = ib.get(
        "/ib/v1/clicks",
        params={"filter[clickStartTime]": start.isoformat(), "filter[clickEndTime]": end.isoformat()},
        headers=AUTH,
    )
    expected = [c["clickId"] for c, at in zip(clicks, times, strict=True) if start <= at <= end]
    assert page.headers["X-Total-Count"] == str(len(expected))
    assert [c["clickId"] for c in page.json()] == expected[:50]

    # verdicts: mostly ok, some bots and duplicates; the app blocks DE
    traffic = ib.get(
        "/ib/v1/clicks", params={"limit": 1000, "query[traffic]": 1, "query[link]": 1}, headers=AUTH
    ).json()
    verdicts = Counter(c["traffic"]["verdict"] for c in traffic)
    assert verdicts["ok"] > 0.8 * len(traffic) and verdicts["bot"] and verdicts["duplicate"]
    assert all(c["traffic"]["verdict"] == "blocked" for c in traffic if c["countryCode"] == "DE")
    assert all(c["link"]["linkId"] == c["linkId"] for c in traffic)
    duplicates = ib.get("/ib/v1/clicks", params={"filter[verdict]": "duplicate"}, headers=AUTH)
    assert int(duplicates.headers["X-Total-Count"]) >= verdicts["duplicate"]

    one = ib.get(f"/ib/v1/clicks/{clicks[42]['clickId']}", headers=AUTH)
    assert one.status_code == 200 and one.json() == clicks[42]

    engine = create_engine(normalize_url(database_url))
    with engine.connect() as conn:
        events = conn.execute(
            text("SELECT count(DISTINCT journey_id) FROM journey_events WHERE type = 'click.created'")
        ).scalar_one()
    engine.dispose()
    assert events == N


def test_a_live_click_like_a_seeded_one_reads_the_same(ib, database_url, geoip_db):
    """The same visitor, URI and time through POST /ib/v1/clicks: every field but the id matches."""
    assert seed(database_url, geoip_db, "acme", "--count", "50").returncode == 0
    seeded = ib.get("/ib/v1/clicks", params={"limit": 1, "sort_order": "asc"}, headers=AUTH).json()[0]
    body = {
        "ip": seeded["ip"],
        "uri": seeded["uri"],
        "referrer": seeded["referrer"],
        "userAgent": seeded["userAgent"],
        "time": seeded["time"],
    }
    live = ib.post("/ib/v1/clicks", json=body, headers=AUTH).json()
    ignored = {"clickId", "createTime", "updateTime"}
    assert {k: v for k, v in live.items() if k not in ignored} == {
        k: v for k, v in seeded.items() if k not in ignored
    }


def test_unknown_app(ib, database_url, geoip_db):
    done = seed(database_url, geoip_db, "nope", "--count", "5")
    assert done.returncode == 1 and "no app 'nope'" in done.stderr


def test_seeded_clicks_are_in_the_metrics_as_the_rebuild_counts_them(ib, database_url, geoip_db):
    done = seed(database_url, geoip_db, "acme", "--count", "500", "--days", "3", "--seed", "3")
    assert done.returncode == 0, done.stderr
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            seeded = sorted(conn.execute(text("SELECT * FROM rollup_counts")).all())
            unique = conn.execute(text("SELECT count(*) FROM partner_clicks WHERE is_unique")).scalar()
    finally:
        engine.dispose()
    since = (datetime.now().astimezone() - timedelta(days=4)).isoformat()
    metrics = ib.get(
        "/admin/v1/apps/acme/metrics", params={"family": "partners", "from": since}, headers=ADMIN
    )
    assert metrics.json()["totals"]["clicks"] == 500
    assert metrics.json()["totals"]["unique_clicks"] == unique
    env = {**os.environ, "CLICKTRAIL_DATABASE_URL": database_url}
    rebuilt = subprocess.run(
        [sys.executable, "-m", "clicktrail", "rollups-rebuild", "acme"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert rebuilt.returncode == 0 and "500 events counted" in rebuilt.stdout, rebuilt.stderr
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            assert sorted(conn.execute(text("SELECT * FROM rollup_counts")).all()) == seeded
    finally:
        engine.dispose()
