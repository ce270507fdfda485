"""Qualification by attribution: a click keeps its click URL's UTM fields, link and sub-ids; its outcome
events carry them, so the metrics grouped by them (and by country) equal a count over the raw rows (the
events joined to their click row's columns here, not to what the events carry); ``quota_exits`` equals the
clicks ended by a full quota. Both engines, through the real app."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from clicktrail.core.journeys import rollups

from ..admin.test_metrics_paths import assert_both_paths_agree
from ..dashboard.test_dashboard import sign_in
from ..helpers import ADMIN, configure
from .support import SURVEYS, TOKEN, Wall, document, rows
from .test_outcomes import report

ATTRIBUTED = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "link")
SUB_IDS = ("sub1", "sub2", "sub3", "sub4", "sub5")
CLICK_IDS = ("gclid", "fbclid", "msclkid")
# The ad network a click's row names, as docs/metrics.md says (gclid first, then fbclid, then msclkid).
AD_NETWORK = (
    "CASE WHEN gclid IS NOT NULL THEN 'google_ads' WHEN fbclid IS NOT NULL THEN 'meta_ads'"
    " WHEN msclkid IS NOT NULL THEN 'microsoft_ads' END"
)
MEASURES = {  # event type → measure, as docs/metrics.md says
    "click.created": "clicks",
    "click.qualified": "qualified",
    "click.screened_out": "screened_out",
    "click.left": "left",
    "survey.completed": "completed",
    "start_bonus.completed": "start_bonus",
}


def quota_document() -> dict[str, Any]:
    """srv-quota: srv-auto's questions, one complete only."""
    surveys = copy.deepcopy(SURVEYS)
    surveys.append({**copy.deepcopy(SURVEYS[0]), "id": "srv-quota", "quota": {"completes": 1}})
    return document(list=surveys)


def open_url(client, click_url: str, method: str = "POST", **extra: str) -> Any:
    url = urlsplit(click_url)
    query = f"{url.query}&{urlencode(extra)}" if extra else url.query
    return client.request(method, f"{url.path}?{query}", follow_redirects=False)


def click(client, wall: Wall, survey: str, listing: dict[str, str] | None = None, **extra: str) -> str:
    answer = open_url(client, wall.click_url(survey, **(listing or {})), **extra)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["data"]["id"])


def qualify(wall: Wall, click_id: str) -> None:
    wall.answer(click_id, "1980-01-01")
    wall.answer(click_id, "1")
    assert wall.answer(click_id, "12345")["redirect"]["type"] == "survey"


def seed(client) -> dict[str, str]:
    """Clicks with and without attribution, through every way a click ends; returns user → click id."""
    configure(client, quota_document())
    made: dict[str, str] = {}
    w = {name: Wall(client, user=name) for name in ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8")}
    made["u1"] = click(
        client,
        w["u1"],
        "srv-auto",
        utm_source="news",
        utm_medium="email",
        utm_campaign="dec",
        utm_term="cars",
        utm_content="top",
        link="home-banner",
        subid="abc",
        sub2="s2",
        sub3="s3",
        sub4="s4",
        sub5="s5",
        gclid="Cj0KCQ",
        fbclid="IwAR1",
        msclkid="9f1c",
    )
    qualify(w["u1"], made["u1"])
    assert report(client, made["u1"], "complete").json()["data"]["status"] == "completed"
    # a browser follows the click URL (GET, 302), the app added its placement
    opened = open_url(
        client,
        w["u2"].click_url("srv-auto"),
        "GET",
        utm_source="news",
        link="home-banner",
        sub3="s3",
        fbclid="IwAR2",
    )
    assert opened.status_code == 302, opened.text
    made["u2"] = opened.headers["location"].split("/v2/client/clicks/")[1].split("/")[0]
    w["u2"].answer(made["u2"], "1980-01-01")
    assert w["u2"].answer(made["u2"], "2")["redirect"]["type"] == "termination"  # screened out
    # the listing's parameters are carried on its click_urls
    made["u3"] = w["u3"].click("srv-auto", utm_source="ads", utm_campaign="black-friday")
    assert w["u3"].post(made["u3"], {"leave_survey": {"reason": "TOO_LONG"}}).status_code == 200
    made["u4"] = w["u4"].click("srv-auto")  # no attribution at all
    assert w["u4"].post(made["u4"], {"leave_survey": {"reason": "OTHER"}}).status_code == 200
    # srv-quota: u5 completes it; u6's open click is ended by the full quota (the outcome's transaction),
    # u7's click on a click_url listed before is created ended (the writer job)
    made["u5"] = click(client, w["u5"], "srv-quota", utm_source="ads")
    qualify(w["u5"], made["u5"])
    made["u6"] = click(
        client,
        w["u6"],
        "srv-quota",
        utm_source="news",
        utm_campaign="dec",
        link="tab",
        utm_term="bikes",
        msclkid="m6",
    )
    w["u6"].answer(made["u6"], "1980-01-01")
    stale = w["u7"].click_url("srv-quota")
    assert report(client, made["u5"], "complete").json()["data"]["status"] == "completed"
    late = open_url(client, stale, utm_source="late", link="tab")
    made["u7"] = late.json()["data"]["id"]
    assert w["u7"].state(made["u7"])["redirect"]["type"] == "termination"
    made["u8"] = click(client, w["u8"], "start-bonus", {"client_country": "DE"}, link="onboarding")
    w["u8"].answer(made["u8"], "1980-01-01")
    w["u8"].answer(made["u8"], "12345")
    assert w["u8"].answer(made["u8"], "2")["redirect"]["type"] == "start_bonus"
    return made


def metrics(client, **params: str) -> dict[str, Any]:
    answer = client.get("/admin/v1/apps/acme/metrics", params={"family": "surveys", **params}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json()


def payload_of(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value or {}


def raw_counts(database_url: str, column: str, only: set[str] | None = None) -> dict[Any, dict[str, int]]:
    """measure per value of the click row's ``column`` (an expression over the row): the app's events
    joined to their click row (a click's unique and bot clicks from its row's verdict); ``only``: of
    these clicks."""
    found = rows(
        database_url, f"SELECT id, {column}, is_unique, verdict FROM survey_clicks WHERE app_id = 'acme'"
    )
    clicks = {click: value for click, value, _, _ in found}
    verdicts = {
        "unique_clicks": {c for c, _, u, _ in found if u},
        "bot_clicks": {c for c, _, _, v in found if v == "bot"},
    }
    events = rows(
        database_url,
        "SELECT journey_id, type, payload FROM journey_events WHERE app_id = 'acme' AND family = 'surveys'",
    )
    counted: dict[Any, Counter[str]] = {}
    for journey, kind, payload in events:
        if only is not None and journey not in only:
            continue
        reason = payload_of(payload).get("reason")
        name = MEASURES.get(kind) or (
            "quota_exits" if (kind, reason) == ("click.terminated", "quota_full") else None
        )
        if name is not None:
            counted.setdefault(clicks[journey], Counter())[name] += 1
        if kind == "click.created":
            counted[clicks[journey]].update(m for m, ids in verdicts.items() if journey in ids)
    return {key: dict(counts) for key, counts in counted.items()}


def api_counts(answer: dict[str, Any]) -> dict[Any, dict[str, int]]:
    out: dict[Any, dict[str, int]] = {}
    for row in answer["rows"]:
        values = {m: row[m] for m in answer["measures"] if m != "qualification_rate" and row[m]}
        if values:
            out[row["key"]] = values
    return out


@pytest.fixture
def seeded(client, database_url):
    return client, database_url, seed(client)


def test_a_click_keeps_its_click_urls_attribution(seeded):
    client, database_url, made = seeded
    names = (*ATTRIBUTED, *SUB_IDS, *CLICK_IDS)
    [stored] = rows(
        database_url, f"SELECT {', '.join(names)} FROM survey_clicks WHERE id = :id", id=made["u1"]
    )
    assert stored == (
        "news", "email", "dec", "cars", "top", "home-banner", "abc", "s2", "s3", "s4", "s5",
        "Cj0KCQ", "IwAR1", "9f1c",
    )  # fmt: skip
    [bare] = rows(database_url, f"SELECT {', '.join(names)} FROM survey_clicks WHERE id = :id", id=made["u4"])
    assert bare == (None,) * 14
    by_user = dict(rows(database_url, "SELECT user_id, utm_source FROM survey_clicks WHERE app_id = 'acme'"))
    assert by_user == {
        "u1": "news", "u2": "news", "u3": "ads", "u4": None, "u5": "ads", "u6": "news", "u7": "late",
        "u8": None,
    }  # fmt: skip
    # the export has them, as every column of the row
    exported = client.get("/admin/v1/apps/acme/export/surveys.csv", headers=ADMIN)
    assert exported.status_code == 200, exported.text
    table = {row["id"]: row for row in csv.DictReader(io.StringIO(exported.text))}
    assert [table[made["u1"]][f] for f in names] == list(stored)
    assert table[made["u4"]]["utm_source"] == "" and table[made["u2"]]["link"] == "home-banner"
    assert (table[made["u2"]]["fbclid"], table[made["u2"]]["gclid"]) == ("IwAR2", "")
    # the journey shows them on click.created (so a journey search finds them), its outcomes the ad network
    journey = client.get(f"/admin/v1/apps/acme/journeys/surveys/{made['u1']}", headers=ADMIN).json()
    created = journey["events"][0]
    assert created["type"] == "click.created"
    assert {name: created["payload"][name] for name in names} == dict(zip(names, stored, strict=True))
    assert {
        e["payload"].get("ad_network") for e in journey["events"][1:] if e["type"] != "question.answered"
    } == {"google_ads"}
    bare_journey = client.get(f"/admin/v1/apps/acme/journeys/surveys/{made['u4']}", headers=ADMIN).json()
    assert not set(bare_journey["events"][0]["payload"]) & {*names, "ad_network"}
    found = client.get("/admin/v1/apps/acme/journeys", params={"q": "home-banner"}, headers=ADMIN).json()
    listed = {item["journey_id"]: item["utm_source"] for item in found["items"]}
    assert listed == {made["u1"]: "news", made["u2"]: "news"}
    by_click_id = client.get("/admin/v1/apps/acme/journeys", params={"q": "IwAR2"}, headers=ADMIN).json()
    assert [item["journey_id"] for item in by_click_id["items"]] == [made["u2"]]


def test_the_person_timeline_shows_a_clicks_attribution(seeded):
    client, _, _ = seeded
    sign_in(client)
    page = client.get("/dashboard/apps/acme/people/u1")
    assert page.status_code == 200, page.text
    timeline = page.text.split('id="timeline"')[1]
    for shown in ('"gclid": "Cj0KCQ"', '"sub5": "s5"', '"utm_term": "cars"', '"ad_network": "google_ads"'):
        assert shown in timeline, shown


GROUPINGS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "link", "country"]


@pytest.mark.parametrize("dimension", [*GROUPINGS, "sub1", "sub3", "ad_network"])
def test_each_grouping_is_a_count_over_the_raw_rows(seeded, dimension):
    client, database_url, _ = seeded
    answer = metrics(client, group_by=dimension)
    expected = raw_counts(database_url, AD_NETWORK if dimension == "ad_network" else dimension)
    assert api_counts(answer) == expected
    assert len(expected) >= 2  # not one value under another name
    # answers and skips count per survey and question only (their rows here are 0, their totals not)
    ignored = ("qualification_rate", "answered", "skipped")
    totals = {m: n for m, n in answer["totals"].items() if m not in ignored and n}
    assert totals == dict(sum((Counter(c) for c in expected.values()), Counter()))


@pytest.mark.parametrize(
    ("dimension", "filtered", "value"),
    [
        ("ad_network", "utm_source", "news"),
        ("sub3", "link", "home-banner"),
        ("utm_term", "ad_network", "microsoft_ads"),
    ],
)
def test_a_grouping_under_a_filter_is_a_count_over_the_raw_rows(seeded, dimension, filtered, value):
    """A filter with a grouping by another dimension is answered from the raw rows (core.facts)."""
    client, database_url, _ = seeded
    answer = metrics(client, group_by=dimension, **{f"filter[{filtered}]": value})
    column = {"ad_network": AD_NETWORK}
    where = f"{column.get(filtered, filtered)} = '{value}'"
    found = rows(database_url, f"SELECT id FROM survey_clicks WHERE app_id = 'acme' AND {where}")
    expected = raw_counts(database_url, column.get(dimension, dimension), only={c for (c,) in found})
    assert api_counts(answer) == expected and expected


def test_rollups_and_raw_rows_agree_on_every_dimension(seeded):
    client, _, _ = seeded
    assert assert_both_paths_agree(client.app.state.runtime.engine, "acme", ("surveys",)) >= 40


def test_quota_exits_are_the_clicks_ended_by_a_full_quota(seeded):
    client, database_url, made = seeded
    ended = rows(
        database_url,
        "SELECT id, utm_source FROM survey_clicks WHERE app_id = 'acme' AND end_reason = 'quota_full'",
    )
    assert sorted(ended) == sorted([(made["u6"], "news"), (made["u7"], "late")])
    assert metrics(client)["totals"]["quota_exits"] == len(ended) == 2
    by_source = {r["key"]: r["quota_exits"] for r in metrics(client, group_by="utm_source")["rows"]}
    assert {k: n for k, n in by_source.items() if n} == {"news": 1, "late": 1}
    by_survey = {r["key"]: r["quota_exits"] for r in metrics(client, group_by="survey")["rows"]}
    assert by_survey["srv-quota"] == 2 and by_survey["srv-auto"] == 0
    funnel = client.get(
        "/admin/v1/apps/acme/funnels",
        params={"family": "surveys", "steps": "click,quota_exit"},
        headers=ADMIN,
    ).json()
    assert [s["count"] for s in funnel["steps"]] == [8, 2]


def test_a_click_without_attribution_counts_under_none(seeded):
    client, database_url, _ = seeded
    [(bare,)] = rows(
        database_url, "SELECT count(*) FROM survey_clicks WHERE app_id = 'acme' AND utm_source IS NULL"
    )
    answer = metrics(client, group_by="utm_source")
    none = [row for row in answer["rows"] if row["key"] is None]
    assert bare == 2 and [row["clicks"] for row in none] == [bare]
    assert "" not in [row["key"] for row in answer["rows"]]
    only = metrics(client, group_by="day", **{"filter[utm_source]": "news"})
    assert only["totals"]["clicks"] == 3 and only["totals"]["screened_out"] == 1


def test_rebuild_counts_the_same(seeded):
    client, _, _ = seeded
    engine = client.app.state.runtime.engine
    with engine.connect() as conn:
        before = sorted(tuple(r) for r in conn.execute(select(rollups.ROLLUPS)))
    with engine.begin() as conn:
        rollups.rebuild(conn, app_id="acme", families=["surveys"])
    with engine.connect() as conn:
        after = sorted(tuple(r) for r in conn.execute(select(rollups.ROLLUPS)))
    assert after == before
    assert any(r[2] == "link" and r[5] == "home-banner" for r in after)


# --- the edge -------------------------------------------------------------------------------------------


def test_long_values_are_cut_and_other_parameters_ignored(client, database_url):
    configure(client, document())
    wall = Wall(client)
    answer = open_url(
        client,
        wall.click_url("srv-auto"),
        utm_source="x" * 300,
        link="y" * 100,
        sub5="z" * 256,
        utm_medium="",  # empty: none
        tags="k%3Dv",
        demo="1",
        sc_token="t",
        planet="mars",
    )
    assert answer.status_code == 200, answer.text
    [stored] = rows(
        database_url,
        "SELECT utm_source, link, sub5, utm_medium FROM survey_clicks WHERE id = :id",
        id=answer.json()["data"]["id"],
    )
    assert stored == ("x" * 255, "y" * 64, "z" * 255, None)
    # the first of a repeated parameter, as partners read theirs; sub1 wins over its aliases
    url = urlsplit(Wall(client, user="user-2").click_url("srv-auto"))
    query = f"{url.query}&utm_source=first&utm_source=second&sub_id=alias&sub1=own"
    again = client.post(f"{url.path}?{query}")
    [stored] = rows(
        database_url,
        "SELECT utm_source, sub1 FROM survey_clicks WHERE id = :id",
        id=again.json()["data"]["id"],
    )
    assert stored == ("first", "own")


@pytest.mark.parametrize(("method", "name"), [("POST", "utm_campaign"), ("GET", "link"), ("POST", "gclid")])
def test_a_nul_is_refused_naming_the_parameter(client, database_url, method, name):
    configure(client, document())
    wall = Wall(client)
    answer = open_url(client, wall.click_url("srv-auto"), method, sub2="ok", **{name: "a\x00b"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["status"] == "error" and name in answer.text and "sub2" not in answer.text
    assert rows(database_url, "SELECT count(*) FROM survey_clicks") == [(0,)]


def test_the_listing_and_the_offerwall_carry_attribution_on_click_urls(client, database_url):
    configure(client, document())
    wall = Wall(client)
    listed = wall.surveys(utm_source="app", link="sdk-tab", sub_id="42", planet="mars")
    for survey in listed:
        query = parse_qs(urlsplit(survey["click_url"]).query)
        assert (query["utm_source"], query["link"], query["sub1"]) == (["app"], ["sdk-tab"], ["42"])
        assert "planet" not in query
    plain = wall.surveys()
    assert all(set(parse_qs(urlsplit(s["click_url"]).query)) == {"i", "s"} for s in plain)
    page = client.get(
        "/offerwall", params={"token": TOKEN, "uid": "user-9", "utm_campaign": "a b&c", "link": "wall"}
    )
    assert page.status_code == 200, page.text
    assert "&amp;utm_campaign=a+b%26c&amp;link=wall" in page.text
    url = urlsplit(wall.click_url("srv-auto", utm_campaign="a b&c"))
    made = client.post(f"{url.path}?{url.query}").json()["data"]["id"]
    assert rows(database_url, "SELECT utm_campaign FROM survey_clicks WHERE id = :id", id=made) == [
        ("a b&c",)
    ]
    refused = client.get("/offerwall", params={"token": TOKEN, "uid": "user-9", "utm_source": "\x00"})
    assert refused.status_code == 400 and refused.headers["content-type"].startswith("text/html")
