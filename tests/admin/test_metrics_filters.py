"""``filter[DIMENSION]=VALUE`` on the metrics API (docs/metrics.md), on both engines: one filter from the
rollups, filters combined (with each other, a grouping, compare=previous and CSV) from the family's raw
rows, each checked against a count over the raw event rows; a clear 400 for what neither answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.journeys.log import EVENTS

from ..helpers import ADMIN, ADMIN_TOKEN, LOOPBACK, configure
from ..partners.conftest import AUTH, SEED_PROFILE, create
from ..partners.conftest import document as partners_document
from .test_metrics import RANGE, metrics, write_partners_fixture


@pytest.fixture
def ib(database_url, geoip_db):
    """As test_metrics' app, without the outbox worker: registrations here queue postbacks to a closed
    port, and no test of metrics waits for their retries."""
    settings = Settings(
        database_url=database_url, admin_token=ADMIN_TOKEN, geoip_db=geoip_db, outbound_allow=LOOPBACK,
        outbox_poll_seconds=0,
    )  # fmt: skip
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        configure(client, partners_document())
        yield client


def test_a_filter_limits_days_and_totals_to_one_value(ib):
    write_partners_fixture(ib)
    gb = metrics(ib, family="partners", **{"filter[country]": "GB"})
    assert gb["filters"] == {"country": "GB"}
    assert gb["totals"]["clicks"] == 2 and gb["totals"]["unique_clicks"] == 1
    by_day = {row["key"]: row["clicks"] for row in gb["rows"] if row["clicks"]}
    assert by_day == {"2026-03-10": 1, "2026-03-11": 1}
    everyone = metrics(ib, family="partners")
    assert everyone["totals"]["clicks"] == 7 and everyone["filters"] == {}
    same = metrics(ib, family="partners", group_by="country", **{"filter[country]": "GB"})
    assert [row["key"] for row in same["rows"]] == ["GB"] and same["totals"]["clicks"] == 2


def test_a_filter_as_csv_has_the_filtered_total(ib):
    write_partners_fixture(ib)
    params = {**RANGE, "family": "partners", "filter[utm_source]": "newsletter", "format": "csv"}
    answer = ib.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN)
    assert answer.status_code == 200 and answer.text.strip().splitlines()[-1].startswith("total,1,1,0,0")


def test_what_no_path_answers_is_refused_naming_what_combines(ib):
    cases = {
        "family=partners&filter[shop]=x": "unknown dimension",
        "family=partners&filter[country]=GB&filter[country]=US": "more than once",
        "family=signage&filter[campaign]=x&group_by=status": "group_by day, campaign, country",
        "family=surveys&filter[leave_reason]=x": "for surveys (expected one of survey, country, utm_source,",
    }
    for query, words in cases.items():
        answer = ib.get(f"/admin/v1/apps/acme/metrics?{query}", headers=ADMIN)
        assert answer.status_code == 400, query
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert words in answer.json()["detail"], answer.text


# --- filters combined: the family's raw rows ----------------------------------------------------------

GB, US = "81.2.69.142", "185.155.96.184"  # the test city database's
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
REAL_CLICKS = [  # (ip, link's uri with UTM fields, referrer, agent or None for the default, registers)
    (GB, "https://my.stage.org/register?referral=1&utm_source=google", "https://twitter.com", None, True),
    (
        GB,
        "https://my.stage.org/register?referral=1&utm_source=google",
        "https://www.google.com/",
        IPHONE,
        False,
    ),
    (GB, "https://my.stage.org/register?referral=2&utm_source=news", "https://twitter.com/x", IPHONE, True),
    (
        US,
        "https://my.stage.org/register?referral=1&utm_source=google",
        "HTTPS://Me@WWW.Example.com:8/",
        None,
        False,
    ),
    (US, "https://my.stage.org/register?referral=1&utm_source=google", None, IPHONE, False),
    (US, "https://my.stage.org/register?referral=2", "https://twitter.com", None, True),
]


def real_clicks(client) -> None:
    """Clicks through the partners API (rows and events, now), some registered."""
    for ip, uri, referrer, agent, registers in REAL_CLICKS:
        body = {"ip": ip, "uri": uri, "referrer": referrer, **({"userAgent": agent} if agent else {})}
        created = create(client, **body)
        if registers:
            put = client.put(f"/ib/v1/clicks/{created['clickId']}", json=SEED_PROFILE, headers=AUTH)
            assert put.status_code == 200, put.text


def today() -> dict[str, str]:
    now = datetime.now(UTC)
    return {
        "from": (now - timedelta(days=1)).date().isoformat(),
        "to": (now + timedelta(days=2)).date().isoformat(),
    }


def counted(client, **filters: str) -> dict[str, int]:
    """Clicks and registrations counted over the raw event rows (plain Python): those with every value."""
    fields = {"country": "country_code", "utm_source": "utm_source", "device": "device",
              "referrer_host": "referrer_host", "link": "link_id", "verdict": "verdict"}  # fmt: skip
    with Session(client.app.state.runtime.engine) as session:
        events = session.execute(
            select(EVENTS.c.type, EVENTS.c.payload).where(
                EVENTS.c.app_id == "acme", EVENTS.c.family == "partners"
            )
        ).all()
    kept = [
        (kind, payload)
        for kind, payload in events
        if all(str(payload.get(fields[name]) or "") == value for name, value in filters.items())
    ]
    return {
        "clicks": sum(kind == "click.created" for kind, _ in kept),
        "unique_clicks": sum(kind == "click.created" and bool(p.get("unique")) for kind, p in kept),
        "registrations": sum(kind == "click.registered" for kind, _ in kept),
    }


def test_two_filters_combine(ib):
    real_clicks(ib)
    both = metrics(
        ib, family="partners", **today(), **{"filter[country]": "GB", "filter[utm_source]": "google"}
    )
    assert both["filters"] == {"country": "GB", "utm_source": "google"}
    assert both["totals"]["clicks"] == 2 and both["totals"]["registrations"] == 1
    expected = counted(ib, country="GB", utm_source="google")
    assert {m: both["totals"][m] for m in expected} == expected
    assert sum(row["clicks"] for row in both["rows"]) == 2  # the days add up to the totals
    three = {"filter[country]": "GB", "filter[device]": "iPhone", "filter[referrer_host]": "twitter.com"}
    answer = metrics(ib, family="partners", **today(), **three)
    assert (
        answer["totals"]["clicks"]
        == 1
        == counted(ib, country="GB", device="iPhone", referrer_host="twitter.com")["clicks"]
    )


def test_a_filter_combines_with_a_grouping_by_another_dimension(ib):
    real_clicks(ib)
    answer = metrics(ib, family="partners", group_by="referrer_host", **today(), **{"filter[country]": "US"})
    by_host = {row["key"]: (row["clicks"], row["registrations"]) for row in answer["rows"]}
    assert by_host == {"www.example.com": (1, 0), None: (1, 0), "twitter.com": (1, 1)}
    for host, (clicks, registrations) in by_host.items():
        raw = counted(ib, country="US", referrer_host=host or "")
        assert (raw["clicks"], raw["registrations"]) == (clicks, registrations)
    assert answer["totals"]["clicks"] == 3 == counted(ib, country="US")["clicks"]
    by_device = metrics(ib, family="partners", group_by="device", **today(),
                        **{"filter[country]": "GB", "filter[utm_source]": "google"})  # fmt: skip
    assert {row["key"]: row["clicks"] for row in by_device["rows"]} == {"Mac": 1, "iPhone": 1}


def test_compare_previous_and_csv_under_combined_filters(ib):
    real_clicks(ib)
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    params = {
        "family": "partners", "from": tomorrow.isoformat(), "to": (tomorrow + timedelta(days=2)).isoformat(),
        "compare": "previous", "filter[country]": "GB", "filter[device]": "iPhone",
    }  # fmt: skip
    answer = ib.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN).json()
    assert answer["totals"]["clicks"] == 0 and answer["previous"]["totals"]["clicks"] == 2
    before = {k: v for k, v in params.items() if k != "compare"}
    before |= {"from": answer["previous"]["from"], "to": answer["previous"]["to"]}
    alone = ib.get("/admin/v1/apps/acme/metrics", params=before, headers=ADMIN).json()
    assert alone["totals"] == answer["previous"]["totals"] and alone["rows"] == answer["previous"]["rows"]
    grouped = {**params, "group_by": "utm_source", "format": "csv"}
    text = ib.get("/admin/v1/apps/acme/metrics", params={**grouped, **today()}, headers=ADMIN).text
    lines = text.strip().splitlines()
    assert lines[0].startswith("utm_source,clicks,unique_clicks")
    assert lines[1:] == ["google,1,1,0,0,0,0.0", "news,1,1,0,0,1,1.0", "total,2,2,0,0,1,0.5"]


def test_compare_previous_is_the_same_call_over_the_period_before(ib):
    write_partners_fixture(ib)  # clicks on 2026-03-10, -11 and -12
    params = {"family": "partners", "from": "2026-03-12", "to": "2026-03-14", "compare": "previous"}
    answer = ib.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN).json()
    previous = answer["previous"]
    assert (previous["from"], previous["to"]) == ("2026-03-10T00:00:00+00:00", "2026-03-12T00:00:00+00:00")
    alone = ib.get(
        "/admin/v1/apps/acme/metrics",
        params={"family": "partners", "from": "2026-03-10", "to": "2026-03-12"},
        headers=ADMIN,
    ).json()
    assert previous["totals"] == alone["totals"] and previous["totals"]["clicks"] == 6
    assert answer["totals"]["clicks"] == 1
    gb = ib.get(
        "/admin/v1/apps/acme/metrics", params={**params, "filter[country]": "GB"}, headers=ADMIN
    ).json()
    assert gb["previous"]["totals"]["clicks"] == 2 and gb["totals"]["clicks"] == 0
    wrong = ib.get("/admin/v1/apps/acme/metrics", params={**params, "compare": "last"}, headers=ADMIN)
    assert wrong.status_code == 400


def test_a_funnel_keeps_the_journeys_whose_first_step_has_the_filters_values(ib):
    real_clicks(ib)
    params = {"family": "partners", "steps": "click,registered", **today()}
    everyone = ib.get("/admin/v1/apps/acme/funnels", params=params, headers=ADMIN).json()
    assert [s["count"] for s in everyone["steps"]] == [6, 3] and everyone["filters"] == {}
    gb = {**params, "filter[country]": "GB", "filter[utm_source]": "google"}
    answer = ib.get("/admin/v1/apps/acme/funnels", params=gb, headers=ADMIN).json()
    assert answer["filters"] == {"country": "GB", "utm_source": "google"}
    assert [s["count"] for s in answer["steps"]] == [2, 1]  # = the metrics' clicks and registrations
    assert counted(ib, country="GB", utm_source="google") == {
        "clicks": 2,
        "unique_clicks": 2,
        "registrations": 1,
    }
    none = ib.get("/admin/v1/apps/acme/funnels", params={**params, "filter[country]": ""}, headers=ADMIN)
    assert [s["count"] for s in none.json()["steps"]] == [0, 0]  # every click has a country here
    bad = ib.get("/admin/v1/apps/acme/funnels", params={**params, "filter[shop]": "x"}, headers=ADMIN)
    assert bad.status_code == 400 and "unknown dimension for partners" in bad.json()["detail"]
