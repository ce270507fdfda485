"""A partner click keeps every attribution field of its URI (UTM fields, sub-ids, ad click ids, read as
every family reads them): the row keeps them, click.created carries them, the export and the person
timeline show them, and the metrics grouped by a sub-id, utm_term or the ad network equal a count over the
raw rows, alone and under a filter. The vendor's Click object keeps its shape. Both engines."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from typing import Any

import pytest

from ..admin.test_metrics_paths import assert_both_paths_agree
from ..dashboard.test_dashboard import sign_in
from ..helpers import ADMIN
from ..surveys.support import rows
from .conftest import AUTH, SEED_PROFILE, create
from .test_clicks import CLICK_FIELDS

BASE = "https://my.stage.org/register?referral=1&"
EVERY = (
    "utm_source=news&utm_medium=email&utm_campaign=dec&utm_term=cars%20and%20bikes&utm_content=top"
    "&subid=abc&sub2=s2&sub3=s3&sub4=s4&sub5=s5&gclid=Cj0KCQ&fbclid=IwAR1&msclkid=9f1c"
)
URIS = {  # name → (query, registers)
    "every": (EVERY, True),
    "meta": ("utm_term=bikes&sub3=s3&fbclid=IwAR2", False),
    "microsoft": ("utm_source=news&msclkid=m3&sub_id=x", True),
    "bare": ("", False),
}
FIELDS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
    "sub1", "sub2", "sub3", "sub4", "sub5", "gclid", "fbclid", "msclkid",
)  # fmt: skip
AD_NETWORK = (
    "CASE WHEN gclid IS NOT NULL THEN 'google_ads' WHEN fbclid IS NOT NULL THEN 'meta_ads'"
    " WHEN msclkid IS NOT NULL THEN 'microsoft_ads' END"
)


@pytest.fixture
def made(ib) -> dict[str, dict[str, Any]]:
    clicks = {}
    for name, (query, registers) in URIS.items():
        clicks[name] = create(ib, uri=BASE + query)
        if registers:
            put = ib.put(f"/ib/v1/clicks/{clicks[name]['clickId']}", json=SEED_PROFILE, headers=AUTH)
            assert put.status_code == 200, put.text
            clicks[name] = put.json()
    return clicks


def stored(database_url: str, click_id: str) -> tuple[Any, ...]:
    [row] = rows(database_url, f"SELECT {', '.join(FIELDS)} FROM partner_clicks WHERE id = :id", id=click_id)
    return row


def test_the_row_and_click_created_keep_every_field_and_the_vendors_click_is_unchanged(
    ib, database_url, made
):
    every = stored(database_url, made["every"]["clickId"])
    assert every == (
        "news", "email", "dec", "cars and bikes", "top", "abc", "s2", "s3", "s4", "s5",
        "Cj0KCQ", "IwAR1", "9f1c",
    )  # fmt: skip
    assert stored(database_url, made["bare"]["clickId"]) == (None,) * len(FIELDS)
    assert stored(database_url, made["microsoft"]["clickId"])[5] == "x"  # sub_id is sub1
    for click in made.values():
        assert list(click) == CLICK_FIELDS  # the IB Clicks API answers as the vendor's does
    listed = ib.get("/ib/v1/clicks", headers=AUTH).json()
    assert len(listed) == len(made) and all(list(item) == CLICK_FIELDS for item in listed)
    journey = ib.get(
        f"/admin/v1/apps/acme/journeys/partners/{made['every']['clickId']}", headers=ADMIN
    ).json()
    created = journey["events"][0]["payload"]
    assert {name: created[name] for name in FIELDS} == dict(zip(FIELDS, every, strict=True))
    assert created["ad_network"] == "google_ads"
    registered = journey["events"][1]
    assert registered["type"] == "click.registered" and registered["payload"]["sub5"] == "s5"
    bare = ib.get(f"/admin/v1/apps/acme/journeys/partners/{made['bare']['clickId']}", headers=ADMIN).json()
    assert not set(bare["events"][0]["payload"]) & set(FIELDS[3:])
    found = ib.get("/admin/v1/apps/acme/journeys", params={"q": "IwAR2"}, headers=ADMIN).json()
    assert [item["journey_id"] for item in found["items"]] == [made["meta"]["clickId"]]


def test_the_export_shows_every_field(ib, made):
    exported = ib.get("/admin/v1/apps/acme/export/partners.csv", headers=ADMIN)
    assert exported.status_code == 200, exported.text
    table = {row["id"]: row for row in csv.DictReader(io.StringIO(exported.text))}
    every = table[made["every"]["clickId"]]
    assert (every["utm_term"], every["sub3"], every["gclid"], every["msclkid"]) == (
        "cars and bikes", "s3", "Cj0KCQ", "9f1c",
    )  # fmt: skip
    assert table[made["bare"]["clickId"]]["fbclid"] == ""


def test_the_person_timeline_shows_where_the_click_came_from(ib, made):
    sign_in(ib)
    page = ib.get(f"/dashboard/apps/acme/people/{made['every']['profileId']}")
    assert page.status_code == 200, page.text
    timeline = page.text.split('id="timeline"')[1]
    for shown in (
        '"gclid": "Cj0KCQ"',
        '"sub4": "s4"',
        '"utm_term": "cars and bikes"',
        '"ad_network": "google_ads"',
    ):
        assert shown in timeline, shown


def raw_counts(database_url: str, expression: str, where: str = "1 = 1") -> dict[Any, dict[str, int]]:
    """Clicks and registrations per value of ``expression`` over the click rows (those ``where`` holds)."""
    registered = "registered_time IS NOT NULL"
    found = rows(
        database_url,
        f"SELECT {expression}, {registered} FROM partner_clicks WHERE app_id = 'acme' AND {where}",
    )
    counted: dict[Any, Counter[str]] = {}
    for value, registered in found:
        counted.setdefault(value, Counter())["clicks"] += 1
        counted[value]["registrations"] += int(bool(registered))
    return {key: {m: n for m, n in counts.items() if n} for key, counts in counted.items()}


def api_counts(ib, dimension: str, **filters: str) -> dict[Any, dict[str, int]]:
    params = {"family": "partners", "group_by": dimension, **{f"filter[{k}]": v for k, v in filters.items()}}
    answer = ib.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    out = {}
    for row in answer.json()["rows"]:
        values = {m: row[m] for m in ("clicks", "registrations") if row[m]}
        if values:
            out[row["key"]] = values
    return out


@pytest.mark.parametrize("dimension", ["utm_term", "utm_content", "sub1", "sub3", "ad_network"])
def test_each_grouping_is_a_count_over_the_raw_rows(ib, database_url, made, dimension):
    expression = AD_NETWORK if dimension == "ad_network" else dimension
    expected = raw_counts(database_url, expression)
    assert api_counts(ib, dimension) == expected and len(expected) >= 2


@pytest.mark.parametrize(
    ("dimension", "filtered", "value", "where"),
    [
        ("ad_network", "utm_source", "news", "utm_source = 'news'"),
        ("utm_term", "sub3", "s3", "sub3 = 's3'"),
        ("sub3", "ad_network", "meta_ads", f"{AD_NETWORK} = 'meta_ads'"),
    ],
)
def test_a_grouping_under_a_filter_is_a_count_over_the_raw_rows(
    ib, database_url, made, dimension, filtered, value, where
):
    expression = AD_NETWORK if dimension == "ad_network" else dimension
    expected = raw_counts(database_url, expression, where)
    assert api_counts(ib, dimension, **{filtered: value}) == expected and expected


def test_rollups_and_raw_rows_agree_on_every_dimension(ib, made):
    assert assert_both_paths_agree(ib.app.state.runtime.engine, "acme", ("partners",)) >= 40


def test_the_dashboard_offers_every_grouping_and_shows_the_one_picked(ib, database_url, made):
    """The page's own tables stay as they were; the family's other groupings are one select away, and the
    picked one's table shows the API's figures, which are a count over the raw rows."""
    sign_in(ib)
    plain = ib.get("/dashboard/apps/acme/families/partners")
    assert plain.status_code == 200, plain.text
    offered = re.findall(
        r'<option value="([a-z0-9_]+)"', plain.text.split('name="by"')[1].split("</select>")[0]
    )
    assert {"utm_term", "utm_content", "sub1", "sub3", "sub5", "ad_network"} <= set(offered)
    assert 'data-grouping="ad_network"' not in plain.text
    page = ib.get("/dashboard/apps/acme/families/partners", params={"by": "ad_network"})
    assert page.status_code == 200, page.text
    table = page.text.split('data-grouping="ad_network"')[1].split("</table>")[0]
    shown = dict(re.findall(r'data-key="([^"]*)".*?data-measure="clicks" data-value="(\d+)"', table, re.S))
    expected = raw_counts(database_url, AD_NETWORK)
    assert shown == {(key or ""): str(counts["clicks"]) for key, counts in expected.items()}
    ignored = ib.get("/dashboard/apps/acme/families/partners", params={"by": "nope"})
    assert ignored.status_code == 200 and 'data-grouping="nope"' not in ignored.text
    # a row of the picked table filters the page and keeps the table; so does a change of range
    link = re.search(r'href="(\?[^"]*filter%5Bad_network%5D=google_ads[^"]*)"', table)
    assert link is not None and "by=ad_network" in link.group(1)
    assert "by=ad_network" in page.text.split('href="?range=7d')[1].split('"')[0]
