"""Geo enrichment (with and without the .mmdb, IPv4, IPv6, private) and the traffic verdicts: bots,
link previews, duplicates within the window, blocklisted ranges and countries, unique clicks; all kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clicktrail.core.enrich.geo import country_point

from ..helpers import ADMIN, configure
from .conftest import AUTH, LINK, LINK2, create, document


def _point(code):
    lat, lon = country_point(code)
    from clicktrail.partners.schemas import coordinate

    return coordinate(lat), coordinate(lon)


def _geo(click):
    return click["countryCode"], click["countryName"], click["latitude"], click["longitude"]


def test_geo_with_the_city_database(ib):
    assert _geo(create(ib, ip="185.155.96.184")) == ("US", "United States", "37.751", "-97.822")
    assert _geo(create(ib, ip="2a02:2e0:3fe:1001::1")) == ("NL", "Netherlands", "52.37", "4.89")
    # a network without a location: the country's representative point
    assert _geo(create(ib, ip="81.2.69.160")) == ("GB", "United Kingdom", *_point("GB"))
    # an address the city database lacks: the embedded country database
    assert _geo(create(ib, ip="8.8.8.8")) == ("US", "United States", *_point("US"))
    for private in ("10.0.0.1", "192.168.1.20", "127.0.0.1", "::1", "fd00::1", "100.64.0.1"):
        assert _geo(create(ib, ip=private)) == (None, None, None, None), private


def test_geo_without_the_city_database(client):
    configure(client, document())
    assert _geo(create(client, ip="185.155.96.184")) == ("EE", "Estonia", *_point("EE"))
    assert _geo(create(client, ip="2001:4860:4860::8888")) == ("US", "United States", *_point("US"))
    assert _geo(create(client, ip="fe80::1")) == (None, None, None, None)
    assert _geo(create(client, ip="10.1.1.1")) == (None, None, None, None)


def _traffic(ib, click_id):
    return ib.get(f"/ib/v1/clicks/{click_id}?query[traffic]=1", headers=AUTH).json()["traffic"]


def test_verdicts_are_kept_with_their_reasons(ib):
    t0 = "2021-03-01T10:00:00+00:00"
    first = create(ib, time=t0)["clickId"]
    repeat = create(ib, time="2021-03-01T10:05:00+00:00")["clickId"]
    later = create(ib, time="2021-03-01T10:20:00+00:00")["clickId"]  # 15 min after the repeat: window is 10
    next_day = create(ib, time="2021-03-02T09:00:00+00:00")["clickId"]
    other_link = create(ib, time=t0, uri="https://my.stage.org/register?referral=2")["clickId"]
    other_agent = create(ib, time=t0, userAgent="Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0")["clickId"]
    crawler = create(ib, time=t0, userAgent="Mozilla/5.0 (compatible; bingbot/2.0)")["clickId"]
    preview = create(ib, time=t0, userAgent="Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")
    blocked_ip = create(ib, time=t0, ip="198.51.100.7")["clickId"]
    blocked_country = create(ib, time=t0, ip="5.9.10.11")["clickId"]  # DE in the test database

    expected = {
        first: ("ok", None, True),
        repeat: ("duplicate", "repeat_within_window", False),
        later: ("ok", None, False),
        next_day: ("ok", None, True),
        other_link: ("ok", None, True),
        other_agent: ("ok", None, True),
        crawler: ("bot", "bot_user_agent", False),
        preview["clickId"]: ("bot", "link_preview", False),
        blocked_ip: ("blocked", "blocked_ip", False),
        blocked_country: ("blocked", "blocked_country", False),
    }
    for click_id, (verdict, reason, unique) in expected.items():
        traffic = _traffic(ib, click_id)
        assert (traffic["verdict"], traffic["reason"], traffic["unique"]) == (verdict, reason, unique), (
            click_id
        )
    assert _traffic(ib, preview["clickId"])["linkPreview"] is True
    assert _traffic(ib, crawler)["bot"] is True

    total = ib.get("/ib/v1/clicks", headers=AUTH).headers["X-Total-Count"]
    assert total == str(len(expected))  # nothing dropped
    metrics = ib.get(f"/ib/v1/clicks/{first}?query[metrics]=1", headers=AUTH).json()["metrics"]
    assert metrics == {
        "clicks": 9,
        "uniqueClicks": 3,
        "botClicks": 2,
        "duplicateClicks": 1,
        "blockedClicks": 2,
        "registrations": 0,
        "conversionRate": "0.0000",
    }
    for name, value, count in [
        ("bot", "1", 2),
        ("unique", "1", 4),
        ("verdict", "blocked", 2),
        ("bot", "0", 8),
    ]:
        response = ib.get(f"/ib/v1/clicks?filter[{name}]={value}", headers=AUTH)
        assert response.headers["X-Total-Count"] == str(count), name
    by_link = ib.get(f"/ib/v1/clicks?filter[linkId]={LINK2}&query[metrics]=1", headers=AUTH).json()
    assert by_link[0]["metrics"]["clicks"] == 1 and by_link[0]["linkId"] == LINK2
    assert all(
        c["linkId"] == LINK for c in ib.get(f"/ib/v1/clicks?filter[linkId]={LINK}", headers=AUTH).json()
    )


def test_a_click_no_link_matches_is_an_orphan(ib):
    """Kept with a null linkId and the verdict orphan (a human repeat too); a bot or a blocked visitor keeps
    its own verdict. Orphans are counted apart in the metrics and listed by filter[verdict]=orphan."""
    t0 = "2021-03-01T10:00:00+00:00"
    orphan = create(ib, time=t0, uri="https://my.stage.org/register?referral=99")
    repeat = create(ib, time="2021-03-01T10:01:00+00:00", uri="https://my.stage.org/register?referral=99")
    elsewhere = create(ib, time=t0, uri="https://unknown.example/landing?referral=1")
    crawler = create(
        ib, time=t0, uri="https://unknown.example/x", userAgent="Mozilla/5.0 (compatible; bingbot/2.0)"
    )
    blocked = create(ib, time=t0, uri="https://unknown.example/x", ip="198.51.100.7")
    linked = create(ib, time=t0)
    assert orphan["linkId"] is None and linked["linkId"] == LINK
    for click, verdict, reason in [
        (orphan, "orphan", "no_matching_link"),
        (repeat, "orphan", "no_matching_link"),
        (elsewhere, "orphan", "no_matching_link"),
        (crawler, "bot", "bot_user_agent"),
        (blocked, "blocked", "blocked_ip"),
        (linked, "ok", None),
    ]:
        traffic = _traffic(ib, click["clickId"])
        assert (traffic["verdict"], traffic["reason"], traffic["unique"]) == (verdict, reason, False) or (
            verdict == "ok" and traffic["unique"]
        ), click
    listed = ib.get("/ib/v1/clicks?filter[verdict]=orphan", headers=AUTH)
    assert listed.headers["X-Total-Count"] == "3"
    assert {c["clickId"] for c in listed.json()} == {c["clickId"] for c in (orphan, repeat, elsewhere)}
    now = datetime.now(UTC)  # events count when they are recorded
    query = {
        "family": "partners",
        "from": (now - timedelta(hours=2)).isoformat(),
        "to": (now + timedelta(hours=2)).isoformat(),
    }
    metrics = ib.get("/admin/v1/apps/acme/metrics", params=query, headers=ADMIN).json()
    assert (metrics["totals"]["clicks"], metrics["totals"]["orphan_clicks"]) == (6, 3)
    by_verdict = ib.get(
        "/admin/v1/apps/acme/metrics", params={**query, "group_by": "verdict"}, headers=ADMIN
    ).json()
    assert {row["key"]: row["orphan_clicks"] for row in by_verdict["rows"]}["orphan"] == 3
