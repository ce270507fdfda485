"""Metrics, funnels, journeys and exports (docs/metrics.md), on both engines.

Events are written the ways the families write them: live requests through the real app, and, where a
test needs chosen times, ``record_event`` / ``append_event`` (the same calls the families make) with an
explicit ``at``. Expected numbers are counted by hand from the fixtures."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.journeys import rollups
from clicktrail.core.journeys.events import append_event, record_event

from ..helpers import ADMIN, ADMIN_TOKEN, LOOPBACK, configure
from ..partners.conftest import AUTH, LINK, LINK2, OTHER, SEED_PROFILE, create
from ..partners.conftest import document as partners_document

T0 = datetime(2026, 3, 10, tzinfo=UTC)  # a Tuesday; no DST change near it in New York or Kolkata
RANGE = {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}


def metrics(client, app="acme", **params) -> dict[str, Any]:
    answer = client.get(f"/admin/v1/apps/{app}/metrics", params={**RANGE, **params}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json()


def rows(answer: dict[str, Any], measure: str) -> dict[Any, Any]:
    return {row["key"]: row[measure] for row in answer["rows"] if row[measure]}


def click_payload(**fields: Any) -> dict[str, Any]:
    base = {
        "click_id": "c",
        "link_id": LINK,
        "banner_id": None,
        "country_code": "US",
        "verdict": "ok",
        "unique": True,
        "bot": False,
        "browser": "Chrome",
        "os": "Windows",
        "device": "desktop",
        "utm_source": "google",
        "utm_medium": "cpc",
        "utm_campaign": "c1",
        "referrer_host": "twitter.com",
    }
    return {**base, **fields}


# (hours after T0, payload): 7 clicks of acme, by hand
CLICKS = [
    (1, click_payload()),
    (2, click_payload(unique=False, verdict="duplicate")),
    (3, click_payload(country_code="GB", link_id=LINK2, utm_source="newsletter", referrer_host=None)),
    (
        4,
        click_payload(
            bot=True,
            unique=False,
            verdict="bot",
            browser="Googlebot",
            os=None,
            device="bot",
            country_code=None,
        ),
    ),
    (25, click_payload(banner_id="b1", utm_medium="banner", utm_campaign="c2", os="iOS", device="mobile")),
    (26, click_payload(country_code="GB", verdict="blocked", unique=False, referrer_host="www.google.com")),
    (50, click_payload(link_id=LINK2, browser="Firefox", os="Linux")),
]
REGISTERED = [(5, CLICKS[0][1]), (27, CLICKS[4][1])]  # registrations carry their click's dimensions


def record(client, family: str, journey: str, type: str, payload: dict[str, Any], at: datetime, app="acme"):
    engine = client.app.state.runtime.engine
    with Session(engine) as session, session.begin():
        record_event(
            session, app_id=app, family=family, journey_id=journey, type=type, payload=payload, at=at
        )


def write_partners_fixture(client, app="acme") -> None:
    writer = client.app.state.runtime.writer

    def job(tx):  # all the clicks in one writer batch: counted with one upsert
        for n, (hours, payload) in enumerate(CLICKS):
            append_event(
                tx,
                app_id=app,
                family="partners",
                journey_id=f"click-{n}",
                type="click.created",
                payload=payload,
                at=T0 + timedelta(hours=hours),
            )

    writer.run(job)
    for n, (hours, payload) in enumerate(REGISTERED):
        record(
            client, "partners", f"click-{n}", "click.registered", payload, T0 + timedelta(hours=hours), app
        )


@pytest.fixture
def ib(database_url, geoip_db):
    """The real app with the test city database (185.155.96.0/22 is in the US, 81.2.69.0/24 in GB)."""
    settings = Settings(
        database_url=database_url, admin_token=ADMIN_TOKEN, geoip_db=geoip_db, outbound_allow=LOOPBACK
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        configure(client, partners_document())
        yield client


def test_every_partners_measure_and_grouping(ib):
    write_partners_fixture(ib)
    by_day = metrics(ib, family="partners")
    assert by_day["totals"] == {
        "clicks": 7,
        "unique_clicks": 4,
        "bot_clicks": 1,
        "orphan_clicks": 0,
        "registrations": 2,
        "conversion_rate": 0.5,
    }
    assert len(by_day["rows"]) == 31  # every day of March, empty ones too
    days = {row["key"]: row for row in by_day["rows"] if row["clicks"] or row["registrations"]}
    assert {day: (r["clicks"], r["unique_clicks"], r["registrations"]) for day, r in days.items()} == {
        "2026-03-10": (4, 2, 1),
        "2026-03-11": (2, 1, 1),
        "2026-03-12": (1, 1, 0),
    }
    assert days["2026-03-10"]["conversion_rate"] == 0.5 and days["2026-03-12"]["conversion_rate"] == 0.0
    empty = next(row for row in by_day["rows"] if row["key"] == "2026-03-01")
    assert empty["clicks"] == 0 and empty["conversion_rate"] is None

    expected = {
        "country": ("country_code", {"US": 4, "GB": 2, None: 1}),
        "link": ("link_id", {LINK: 5, LINK2: 2}),
        "banner": ("banner_id", {"b1": 1, None: 6}),
        "utm_source": ("utm_source", {"google": 6, "newsletter": 1}),
        "utm_medium": ("utm_medium", {"cpc": 6, "banner": 1}),
        "utm_campaign": ("utm_campaign", {"c1": 6, "c2": 1}),
        "referrer_host": ("referrer_host", {"twitter.com": 5, "www.google.com": 1, None: 1}),
        "browser": ("browser", {"Chrome": 5, "Googlebot": 1, "Firefox": 1}),
        "os": ("os", {"Windows": 4, "iOS": 1, "Linux": 1, None: 1}),
        "device": ("device", {"desktop": 5, "mobile": 1, "bot": 1}),
        "verdict": ("verdict", {"ok": 4, "duplicate": 1, "bot": 1, "blocked": 1}),
    }
    for grouping, (field, clicks) in expected.items():
        answer = metrics(ib, family="partners", group_by=grouping)
        assert answer["group_by"] == grouping
        assert rows(answer, "clicks") == clicks, grouping
        assert answer["totals"]["clicks"] == 7
        assert sum(row["clicks"] for row in answer["rows"]) == 7
        uniques = Counter(p[field] for _, p in CLICKS if p["unique"])
        assert rows(answer, "unique_clicks") == dict(uniques), grouping
        registrations = Counter(p[field] for _, p in REGISTERED)
        assert rows(answer, "registrations") == dict(registrations), grouping
    by_link = metrics(ib, family="partners", group_by="link")
    assert by_link["rows"][0] == {
        "key": LINK,
        "clicks": 5,
        "unique_clicks": 2,
        "bot_clicks": 1,
        "orphan_clicks": 0,
        "registrations": 2,
        "conversion_rate": 1.0,
    }
    assert rows(metrics(ib, family="partners", group_by="verdict"), "bot_clicks") == {"bot": 1}


def test_measures_can_be_chosen(ib):
    write_partners_fixture(ib)
    answer = metrics(ib, family="partners", group_by="country", measures="clicks,conversion_rate")
    assert answer["measures"] == ["clicks", "conversion_rate"]
    assert answer["rows"][0] == {"key": "US", "clicks": 4, "conversion_rate": 0.6667}  # 2 of 3 unique
    assert answer["totals"] == {"clicks": 7, "conversion_rate": 0.5}


def test_days_follow_the_time_zone(ib):
    # New York is on EDT (UTC-4) since March 8: 03:00Z on the 10th is 23:00 on the 9th, 05:00Z is 01:00 on
    # the 10th. In Kolkata (UTC+5:30) 18:00Z and 19:00Z are 23:30 the 10th and 00:30 the 11th, but an
    # hour bucket is counted on the day of its start: 18:00Z → 23:30 on the 10th, 19:00Z → the 11th.
    for hours in (3, 5, 18, 19):
        record(ib, "partners", f"tz-{hours}", "click.created", click_payload(), T0 + timedelta(hours=hours))
    new_york = metrics(ib, family="partners", tz="America/New_York")
    assert rows(new_york, "clicks") == {"2026-03-09": 1, "2026-03-10": 3}
    assert new_york["tz"] == "America/New_York"
    assert new_york["rows"][0]["key"] == "2026-02-28"  # from 2026-03-01T00:00Z is still the 28th there
    utc = metrics(ib, family="partners")
    assert rows(utc, "clicks") == {"2026-03-10": 4}
    kolkata = metrics(ib, family="partners", tz="Asia/Kolkata")
    assert rows(kolkata, "clicks") == {"2026-03-10": 3, "2026-03-11": 1}
    # plain dates in from/to are midnights in tz
    one_day = metrics(
        ib, family="partners", tz="America/New_York", **{"from": "2026-03-10", "to": "2026-03-11"}
    )
    assert one_day["totals"]["clicks"] == 3
    assert one_day["from"] == "2026-03-10T04:00:00+00:00"
    assert [row["key"] for row in one_day["rows"]] == ["2026-03-10"]


def test_an_empty_range_has_zero_totals_and_empty_days(ib):
    write_partners_fixture(ib)
    answer = metrics(ib, family="partners", **{"from": "2025-01-01T00:00:00Z", "to": "2025-01-03T00:00:00Z"})
    assert [row["key"] for row in answer["rows"]] == ["2025-01-01", "2025-01-02"]
    assert answer["totals"] == {
        "clicks": 0,
        "unique_clicks": 0,
        "bot_clicks": 0,
        "orphan_clicks": 0,
        "registrations": 0,
        "conversion_rate": None,
    }
    by_country = metrics(
        ib, family="partners", group_by="country", **{"from": "2025-01-01", "to": "2025-01-02"}
    )
    assert by_country["rows"] == []


def test_the_default_range_is_the_last_30_days(ib):
    answer = ib.get("/admin/v1/apps/acme/metrics", params={"family": "partners"}, headers=ADMIN).json()
    assert len(answer["rows"]) == 30
    assert answer["rows"][-1]["key"] == datetime.now(UTC).date().isoformat()


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({}, "family: Field required"),  # required, as the description says
        ({"family": "shop"}, "surveys, partners, loyalty, signage"),
        ({"family": "partners", "group_by": "planet"}, "day, country, link, banner, utm_source"),
        (
            {"family": "surveys", "group_by": "planet"},
            "day, survey, country, utm_source, utm_medium, utm_campaign, utm_term, utm_content,"
            " sub1, sub2, sub3, sub4, sub5, ad_network, link, leave_reason, question",
        ),
        ({"family": "loyalty", "measures": "clicks"}, "sessions, trials, prompts_shown"),
        ({"family": "surveys", "group_by": "question", "measures": "clicks"}, "answered, skipped"),
        ({"family": "partners", "tz": "Mars/Olympus"}, "IANA"),
        ({"family": "partners", "from": "yesterday"}, "ISO 8601"),
        ({"family": "partners", "from": "2026-03-02", "to": "2026-03-01"}, "before"),
        ({"family": "partners", "from": "1900-01-01", "to": "2026-03-01"}, "longer than"),
        ({"family": "partners", "format": "xml"}, "csv"),
    ],
)
def test_bad_parameters_are_a_problem_naming_what_is_allowed(ib, params, named):
    answer = ib.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN)
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert named in answer.json()["detail"], answer.json()


def test_other_apps_events_are_never_counted(ib):
    write_partners_fixture(ib, app="other")
    record(ib, "partners", "mine", "click.created", click_payload(), T0)
    assert metrics(ib, family="partners")["totals"]["clicks"] == 1
    assert metrics(ib, app="other", family="partners")["totals"]["clicks"] == 7
    assert (
        ib.get("/admin/v1/apps/nobody/metrics", params={"family": "partners"}, headers=ADMIN).status_code
        == 404
    )
    assert ib.get("/admin/v1/apps/acme/metrics", params={"family": "partners"}).status_code == 401


def test_live_clicks_and_registrations_are_counted(ib):
    first = create(ib)["clickId"]
    create(ib)  # the same visitor again: a duplicate
    create(ib, ip="81.2.69.160", uri="https://my.stage.org/register?referral=2&utm_source=mail")
    create(ib, headers=OTHER, uri="https://other.example/register?referral=1")  # another app
    assert ib.put(f"/ib/v1/clicks/{first}", json=SEED_PROFILE, headers=AUTH).status_code == 200
    assert ib.put(f"/ib/v1/clicks/{first}", json=SEED_PROFILE, headers=AUTH).status_code == 200  # an update
    today = {"family": "partners", "from": (datetime.now(UTC) - timedelta(hours=2)).isoformat()}
    answer = metrics(ib, **today, to=(datetime.now(UTC) + timedelta(hours=2)).isoformat())
    assert answer["totals"] == {
        "clicks": 3,
        "unique_clicks": 2,
        "bot_clicks": 0,
        "orphan_clicks": 0,
        "registrations": 1,
        "conversion_rate": 0.5,
    }
    end = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    assert rows(metrics(ib, **today, to=end, group_by="country"), "clicks") == {"US": 2, "GB": 1}
    assert rows(metrics(ib, **today, to=end, group_by="utm_source"), "clicks") == {None: 2, "mail": 1}
    assert rows(metrics(ib, **today, to=end, group_by="referrer_host"), "registrations") == {"twitter.com": 1}
    assert rows(metrics(ib, **today, to=end, group_by="verdict"), "clicks") == {"ok": 2, "duplicate": 1}


def test_rebuild_recomputes_the_same_counts(ib):
    write_partners_fixture(ib)
    engine = ib.app.state.runtime.engine
    table = rollups.ROLLUPS
    with engine.connect() as conn:
        before = sorted(tuple(r) for r in conn.execute(select(table)))
    with engine.begin() as conn:
        assert rollups.rebuild(conn, app_id="acme") == 9
    with engine.connect() as conn:
        assert sorted(tuple(r) for r in conn.execute(select(table))) == before


# --- other families -------------------------------------------------------------------------------------


def test_surveys_measures_and_question_counts(ib):
    at = T0 + timedelta(hours=1)
    events = [
        ("k1", "click.created", {"survey_id": "s1", "country": "US", "unique": True, "bot": False}),
        ("k1", "question.answered", {"survey_id": "s1", "question_id": "q1"}),
        ("k1", "question.answered", {"survey_id": "s1", "question_id": "q2"}),
        ("k1", "click.qualified", {"survey_id": "s1", "country": "US"}),
        ("k1", "survey.completed", {"survey_id": "s1", "country": "US"}),
        ("k2", "click.created", {"survey_id": "s1", "country": "DE"}),
        ("k2", "question.skipped", {"survey_id": "s1", "question_id": "q1"}),
        ("k2", "click.left", {"survey_id": "s1", "country": "DE", "reason": "TOO_LONG"}),
        ("k5", "click.created", {"survey_id": "s2", "country": "DE", "utm_source": "mail"}),
        (
            "k5",
            "click.terminated",
            {"survey_id": "s2", "country": "DE", "utm_source": "mail", "reason": "quota_full"},
        ),
        ("k6", "click.terminated", {"survey_id": "s2", "country": "DE", "reason": "already_finished"}),
        ("k3", "click.created", {"survey_id": "s2", "country": "DE", "unique": False, "bot": True}),
        ("k3", "question.answered", {"survey_id": "s2", "question_id": "q1"}),
        ("k3", "click.screened_out", {"survey_id": "s2", "country": "DE"}),
        ("k4", "click.created", {"survey_id": "bonus", "country": "US"}),
        ("k4", "start_bonus.completed", {"survey_id": "bonus", "country": "US"}),
    ]
    for n, (journey, kind, payload) in enumerate(events):
        record(ib, "surveys", journey, kind, payload, at + timedelta(minutes=n))
    totals = metrics(ib, family="surveys")["totals"]
    assert totals == {
        "clicks": 5,
        "unique_clicks": 1,  # the clicks' verdicts, as their click.created events carry them
        "bot_clicks": 1,
        "qualified": 1,
        "screened_out": 1,
        "left": 1,
        "quota_exits": 1,  # a click ended by a full quota, not one ended otherwise
        "completed": 1,
        "start_bonus": 1,
        "answered": 3,
        "skipped": 1,
        "qualification_rate": 0.2,
    }
    by_survey = metrics(ib, family="surveys", group_by="survey")
    assert rows(by_survey, "clicks") == {"s1": 2, "s2": 2, "bonus": 1}
    assert rows(by_survey, "qualification_rate") == {"s1": 0.5}
    assert rows(by_survey, "quota_exits") == {"s2": 1}
    assert rows(metrics(ib, family="surveys", group_by="country"), "clicks") == {"US": 2, "DE": 3}
    by_source = metrics(ib, family="surveys", group_by="utm_source")
    assert rows(by_source, "clicks") == {None: 4, "mail": 1}
    assert rows(by_source, "quota_exits") == {"mail": 1}
    reasons = metrics(ib, family="surveys", group_by="leave_reason")
    assert reasons["rows"] == [{"key": "TOO_LONG", "left": 1}]
    questions = metrics(ib, family="surveys", group_by="question")
    assert questions["measures"] == ["answered", "skipped"]
    assert {r["key"]: (r["answered"], r["skipped"]) for r in questions["rows"]} == {
        "q1": (2, 1),
        "q2": (1, 0),
    }


def test_loyalty_measures_and_changed_answers(ib):
    at = T0 + timedelta(hours=1)
    events = [
        ("s1", "session.started", {"channel": "POS"}),
        ("s1", "trial.recorded", {"channel": "POS"}),
        ("s1", "prompt.shown", {"offerId": "o1", "channel": "POS"}),
        ("s1", "prompt.shown", {"offerId": "o2", "channel": "POS"}),
        (
            "s1",
            "prompt.answered",
            {"offerId": "o1", "channel": "POS", "response": "deferred", "previous": None},
        ),
        (
            "s1",
            "prompt.answered",
            {"offerId": "o1", "channel": "POS", "response": "accepted", "previous": "deferred"},
        ),
        (
            "s1",
            "prompt.answered",
            {"offerId": "o2", "channel": "POS", "response": "declined", "previous": None},
        ),
        ("s1", "transaction.finalized", {"channel": "POS", "bonusPoints": 150, "anonymous": False}),
        ("s2", "session.started", {"channel": "WEB"}),
        ("s2", "trial.recorded", {"channel": "WEB"}),
        ("s2", "prompt.shown", {"offerId": "o1", "channel": "WEB"}),
        ("s2", "transaction.finalized", {"channel": "WEB", "bonusPoints": 90, "anonymous": True}),
    ]
    for n, (journey, kind, payload) in enumerate(events):
        record(ib, "loyalty", journey, kind, payload, at + timedelta(minutes=n))
    assert metrics(ib, family="loyalty")["totals"] == {
        "sessions": 2,
        "trials": 2,
        "prompts_shown": 3,
        "accepted": 1,
        "declined": 1,
        "deferred": 0,
        "bonus_points": 150,
        "acceptance_rate": 0.3333,
    }
    by_offer = metrics(ib, family="loyalty", group_by="offer")
    assert {r["key"]: (r["prompts_shown"], r["accepted"], r["declined"]) for r in by_offer["rows"]} == {
        "o1": (2, 1, 0),
        "o2": (1, 0, 1),
    }
    assert rows(metrics(ib, family="loyalty", group_by="channel"), "sessions") == {"POS": 1, "WEB": 1}


def signage_fixture(client) -> None:
    at = T0 + timedelta(hours=1)
    submitted = {"campaign_id": "c1", "to": "FORM_SUBMITTED", "skipped": []}
    approved = {"campaign_id": "c1", "to": "FORM_APPROVED", "skipped": []}
    jumped = {"campaign_id": "c1", "to": "FORM_APPROVED", "skipped": ["FORM_SUBMITTED"]}
    two_days = 60 * 24 * 2
    journeys = {
        "a": [
            ("scan.recorded", {"campaign_id": "c1", "country": "US"}, 0),
            ("status.changed", submitted, 10),
            ("status.changed", approved, two_days),
            ("coupon.issued", {"campaign_id": "c1"}, two_days + 1),
        ],
        "b": [
            ("scan.recorded", {"campaign_id": "c1", "country": "GB"}, 5),
            ("status.changed", jumped, 20),
            ("coupon.issued", {"campaign_id": "c1"}, 60 * 24 * 9),  # 9 days later: outside P7D
        ],
        "c": [("scan.recorded", {"campaign_id": "c2", "country": "US"}, 30)],
        "d": [("session.created", {"campaign_id": "c2", "source": "api"}, 40)],
    }
    for journey, steps in journeys.items():
        for kind, payload, minutes in steps:
            record(client, "signage", journey, kind, payload, at + timedelta(minutes=minutes))


def test_signage_measures_and_the_status_funnel(ib):
    signage_fixture(ib)
    answer = metrics(ib, family="signage")
    assert answer["measures"] == [
        "scans",
        "unique_scans",
        "bot_scans",
        "orphan_scans",
        "sessions",
        "coupons_issued",
        "completion_rate",
        *answer["measures"][7:],
    ]
    # the fixture's scan events carry no verdict (as before verdicts were kept): scans, neither unique nor bot
    assert answer["totals"] == {
        "scans": 3,
        "unique_scans": 0,
        "bot_scans": 0,
        "orphan_scans": 0,
        "sessions": 4,
        "coupons_issued": 2,
        "completion_rate": 0.5,
        "FORM_SUBMITTED": 2,
        "FORM_APPROVED": 2,
    }
    by_status = metrics(ib, family="signage", group_by="status")
    assert {r["key"]: r["reached"] for r in by_status["rows"]} == {"FORM_SUBMITTED": 2, "FORM_APPROVED": 2}
    assert rows(metrics(ib, family="signage", group_by="campaign"), "sessions") == {"c1": 2, "c2": 2}
    assert rows(metrics(ib, family="signage", group_by="country"), "scans") == {"US": 2, "GB": 1}


# --- funnels --------------------------------------------------------------------------------------------


def funnel(client, **params) -> dict[str, Any]:
    answer = client.get("/admin/v1/apps/acme/funnels", params={**RANGE, **params}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_funnels_count_steps_in_order_within_the_window(ib):
    signage_fixture(ib)
    week = funnel(ib, family="signage", steps="scan,FORM_SUBMITTED,FORM_APPROVED,coupon", window="P7D")
    assert [(s["step"], s["count"]) for s in week["steps"]] == [
        ("scan", 3),
        ("FORM_SUBMITTED", 2),  # b skipped it: moving past a status reaches it
        ("FORM_APPROVED", 2),
        ("coupon", 1),  # b's coupon came 9 days after its scan
    ]
    assert [s["conversion"] for s in week["steps"]] == [1.0, 0.6667, 0.6667, 0.3333]
    assert week["steps"][3]["from_previous"] == 0.5
    month = funnel(ib, family="signage", steps="scan,FORM_SUBMITTED,FORM_APPROVED,coupon", window="P10D")
    assert month["steps"][3]["count"] == 2
    day = funnel(ib, family="signage", steps="scan,FORM_APPROVED,coupon", window="P1D")
    assert [s["count"] for s in day["steps"]] == [3, 1, 0]  # a approved after 2 days
    hours = funnel(ib, family="signage", steps="scan,FORM_APPROVED", window="PT1H")
    assert [s["count"] for s in hours["steps"]] == [3, 1]
    # a journey counts where its first step happened: none started in February
    february = funnel(ib, family="signage", steps="scan,coupon", **{"from": "2026-02-01", "to": "2026-03-01"})
    assert [s["count"] for s in february["steps"]] == [0, 0]
    assert february["steps"][1]["conversion"] is None
    # order matters: a coupon before a scan is no step
    assert [s["count"] for s in funnel(ib, family="signage", steps="coupon,scan")["steps"]] == [2, 0]


def test_per_step_windows_count_from_the_step_before(ib):
    signage_fixture(ib)
    steps = {"family": "signage", "steps": "scan,FORM_APPROVED,coupon", "window": "P10D"}
    assert [s["count"] for s in funnel(ib, **steps)["steps"]] == [3, 2, 2]
    quick_coupon = funnel(ib, **steps, step_windows=",PT5M")  # b's coupon came 9 days after approval
    assert [(s["count"], s["window"]) for s in quick_coupon["steps"]] == [(3, None), (2, None), (1, "PT5M")]
    quick_approval = funnel(ib, **steps, step_windows="PT1H,")  # a was approved after 2 days
    assert [s["count"] for s in quick_approval["steps"]] == [3, 1, 1]


def test_a_step_window_counts_from_the_latest_time_of_the_step_before(ib):
    submitted = {"campaign_id": "c1", "to": "FORM_SUBMITTED", "skipped": []}
    walk = [
        ("scan.recorded", {"campaign_id": "c1"}, 0),
        ("status.changed", submitted, 60),
        ("status.changed", submitted, 60 * 30),  # submitted again, a day later
        ("status.changed", {"campaign_id": "c1", "to": "FORM_APPROVED", "skipped": []}, 60 * 30 + 10),
    ]
    for kind, payload, minutes in walk:
        record(ib, "signage", "again", kind, payload, T0 + timedelta(minutes=minutes))
    steps = {"family": "signage", "steps": "scan,FORM_SUBMITTED,FORM_APPROVED"}
    assert [s["count"] for s in funnel(ib, **steps, step_windows=",PT1H")["steps"]] == [1, 1, 1]
    assert [s["count"] for s in funnel(ib, **steps, step_windows="PT30M,PT1H")["steps"]] == [1, 0, 0]


def test_exclusion_steps_drop_the_journey_from_every_step(ib):
    signage_fixture(ib)
    steps = {"family": "signage", "steps": "scan,FORM_APPROVED,coupon", "window": "P10D"}
    # a submitted the form between its scan and its approval; b's one status change was its approval
    anywhere = funnel(ib, **steps, exclude="FORM_SUBMITTED")
    assert [s["count"] for s in anywhere["steps"]] == [2, 1, 1] and anywhere["excluded"] == 1
    assert anywhere["exclude"] == [{"step": "FORM_SUBMITTED", "from_step": 1, "to_step": 3}]
    late = funnel(ib, **steps, exclude="FORM_SUBMITTED@2-3")  # a submitted before its approval
    assert [s["count"] for s in late["steps"]] == [3, 2, 2] and late["excluded"] == 0


def test_a_signage_funnel_is_one_campaigns(ib):
    signage_fixture(ib)
    steps = {"family": "signage", "steps": "scan,coupon", "window": "P10D"}
    assert [s["count"] for s in funnel(ib, **steps, campaign="c1")["steps"]] == [2, 2]
    assert [s["count"] for s in funnel(ib, **steps, campaign="c2")["steps"]] == [1, 0]
    assert [s["count"] for s in funnel(ib, **steps)["steps"]] == [3, 2]


def test_a_funnel_as_csv(ib):
    signage_fixture(ib)
    answer = ib.get(
        "/admin/v1/apps/acme/funnels",
        params={**RANGE, "family": "signage", "steps": "scan,coupon"},
        headers={**ADMIN, "Accept": "text/csv"},
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "content-length" not in answer.headers  # streamed, not built whole
    assert (
        answer.text == "step,count,conversion,from_previous\r\nscan,3,1.0,1.0\r\ncoupon,1,0.3333,0.3333\r\n"
    )


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"family": "signage"}, "steps: Field required"),
        ({"family": "signage", "steps": " "}, "scan, session, coupon, or a campaign status"),
        ({"family": "partners", "steps": "click,paid"}, "click, unique, registered"),
        ({"family": "partners", "steps": "click", "window": "7 days"}, "P7D"),
        ({"family": "partners", "steps": "click", "window": "P0D"}, "more than zero"),
        ({"family": "nope", "steps": "click"}, "surveys, partners, loyalty, signage"),
        ({"family": "partners", "steps": "click,registered", "step_windows": "P1D,P2D"}, "step_windows"),
        (
            {"family": "partners", "steps": "click,registered", "step_windows": "1 day"},
            "step_windows: '1 day'",
        ),
        ({"family": "partners", "steps": "click,registered", "exclude": "paid"}, "exclude: unknown step"),
        ({"family": "partners", "steps": "click,registered", "exclude": "click@2-1"}, "1 <= A < B <= 2"),
        ({"family": "partners", "steps": "click", "exclude": "registered"}, "1 <= A < B <= 1"),
        ({"family": "partners", "steps": "click", "campaign": "c1"}, "partners has no campaigns"),
        ({"family": "partners", "steps": "click", "window": "P99999999999999W"}, "at most 3700 days"),
        ({"family": "partners", "steps": "click,registered", "step_windows": "PT99999999999999999S"}, "3700"),
    ],
)
def test_bad_funnels_are_a_problem(ib, params, named):
    answer = ib.get("/admin/v1/apps/acme/funnels", params=params, headers=ADMIN)
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    assert named in answer.json()["detail"]


# --- journeys -------------------------------------------------------------------------------------------


def test_a_journey_is_its_events_in_order(ib):
    click = create(ib)["clickId"]
    assert ib.put(f"/ib/v1/clicks/{click}", json=SEED_PROFILE, headers=AUTH).status_code == 200
    answer = ib.get(f"/admin/v1/apps/acme/journeys/partners/{click}", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [e["type"] for e in body["events"]] == ["click.created", "click.registered"]
    assert body["journey_id"] == click and body["started_at"] == body["events"][0]["created_at"]
    assert ib.get(f"/admin/v1/apps/other/journeys/partners/{click}", headers=ADMIN).status_code == 404
    assert ib.get(f"/admin/v1/apps/acme/journeys/signage/{click}", headers=ADMIN).status_code == 404
    missing = ib.get("/admin/v1/apps/acme/journeys/shop/x", headers=ADMIN)
    assert missing.status_code == 400 and "partners" in missing.json()["detail"]


# --- CSV ------------------------------------------------------------------------------------------------


def test_metrics_as_csv(ib):
    write_partners_fixture(ib)
    answer = ib.get(
        "/admin/v1/apps/acme/metrics",
        params={**RANGE, "family": "partners", "group_by": "link", "format": "csv"},
        headers=ADMIN,
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "content-length" not in answer.headers  # streamed, not built whole
    assert list(csv.reader(io.StringIO(answer.text))) == [
        [
            "link",
            "clicks",
            "unique_clicks",
            "bot_clicks",
            "orphan_clicks",
            "registrations",
            "conversion_rate",
        ],
        [LINK, "5", "2", "1", "0", "2", "1.0"],
        [LINK2, "2", "2", "0", "0", "0", "0.0"],
        ["total", "7", "4", "1", "0", "2", "0.5"],
    ]


def test_export_streams_the_raw_rows(ib):
    made = [create(ib, ip=f"185.155.96.{n + 1}")["clickId"] for n in range(5)]
    create(ib, headers=OTHER, uri="https://other.example/register?referral=1")
    with ib.stream("GET", "/admin/v1/apps/acme/export/partners.csv", headers=ADMIN) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/csv")
        assert "acme-partners-clicks.csv" in answer.headers["content-disposition"]
        text = "".join(answer.iter_text())
    table = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in table] == made
    assert {row["app_id"] for row in table} == {"acme"}
    assert table[0]["ip"] == "185.155.96.1" and table[0]["is_unique"] == "true"
    assert table[0]["deleted_time"] == "" and table[0]["create_time"].endswith("+00:00")
    old = ib.get(
        "/admin/v1/apps/acme/export/partners.csv",
        params={"from": "2020-01-01", "to": "2020-02-01"},
        headers=ADMIN,
    )
    assert old.status_code == 200 and old.text.count("\r\n") == 1  # the header alone
    assert ib.get("/admin/v1/apps/acme/export/shop.csv", headers=ADMIN).status_code == 400
    assert ib.get("/admin/v1/apps/nobody/export/partners.csv", headers=ADMIN).status_code == 404


def test_export_reads_in_chunks(ib, monkeypatch):
    from clicktrail.admin import analytics

    monkeypatch.setattr(analytics, "EXPORT_CHUNK", 2)  # 5 rows: 3 chunks after the header
    for n in range(5):
        create(ib, ip=f"185.155.96.{n + 1}")
    with ib.stream("GET", "/admin/v1/apps/acme/export/partners.csv", headers=ADMIN) as answer:
        chunks = [chunk for chunk in answer.iter_raw() if chunk]
    assert b"".join(chunks).count(b"\r\n") == 6
    assert len(chunks) >= 2
