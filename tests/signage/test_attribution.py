"""A scan keeps where it came from: its URL's UTM fields, sub-ids and ad click ids, on the session (and in
the export), on its ``scan.recorded`` event (the journey and the dashboard show them) with the ad network
the click id names, on an orphan scan; the metrics group scans by them. Both engines."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from clicktrail.core.enrich.attribution import FIELDS

from ..dashboard.test_dashboard import sign_in
from ..helpers import ADMIN, configure
from ..retention_support import sql
from .support import IPHONE, document, scan, session_of

FULL = {
    "utm_source": "mall", "utm_medium": "poster", "utm_campaign": "spring", "utm_term": "coupon",
    "utm_content": "screen a", "sub1": "s1", "sub2": "screen-42", "sub3": "s3", "sub4": "s4", "sub5": "s5",
    "gclid": "EAIaIQobChMI", "fbclid": "IwAR0x", "msclkid": "ms-1",
}  # fmt: skip
PHONE = {"User-Agent": IPHONE}


def scanned(client, campaign: str = "spring-form", **query: str) -> str:
    return scan(client, campaign_id=campaign, params=query, headers=PHONE)


def scan_event(client, session_id: str) -> dict[str, Any]:
    journey = client.get(f"/admin/v1/apps/demo/journeys/signage/{session_id}", headers=ADMIN)
    assert journey.status_code == 200, journey.text
    [event] = [e for e in journey.json()["events"] if e["type"] == "scan.recorded"]
    return dict(event["payload"])


def metrics(client, **params: str) -> dict[str, Any]:
    answer = client.get("/admin/v1/apps/demo/metrics", params={"family": "signage", **params}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_every_field_is_kept_on_the_session_and_its_event(shop, database_url):
    session_id = scanned(shop, **FULL)
    columns = ", ".join(FIELDS)
    [row] = sql(database_url, f"SELECT {columns} FROM signage_sessions WHERE id = '{session_id}'")
    assert dict(zip(FIELDS, row, strict=True)) == FULL
    payload = scan_event(shop, session_id)
    assert {name: payload.get(name) for name in FIELDS} == FULL
    assert payload["ad_network"] == "google_ads"  # gclid comes first


def test_a_scan_without_a_query_keeps_none_and_its_event_names_none(shop, database_url):
    session_id = scanned(shop)
    columns = ", ".join(FIELDS)
    assert sql(database_url, f"SELECT {columns} FROM signage_sessions") == [(None,) * len(FIELDS)]
    payload = scan_event(shop, session_id)
    assert not set(payload) & {*FIELDS, "ad_network"}


def test_the_first_value_counts_an_alias_is_sub1_and_long_values_are_cut(shop, database_url):
    answer = shop.get(
        "/smart-engage/scan/demo/spring-form?utm_source=&utm_source=late&subid=wall&fbclid=" + "x" * 300,
        headers=PHONE,
        follow_redirects=False,
    )
    session_id = session_of(answer.headers["location"])
    [(source, sub1, fbclid)] = sql(database_url, "SELECT utm_source, sub1, fbclid FROM signage_sessions")
    assert (source, sub1, fbclid) == (None, "wall", "x" * 255)  # an empty first value is none
    assert scan_event(shop, session_id)["ad_network"] == "meta_ads"


def test_the_form_never_sees_the_fields(shop):
    answer = shop.get(
        "/smart-engage/scan/demo/spring-form?utm_source=mall", headers=PHONE, follow_redirects=False
    )
    assert "utm_source" not in answer.headers["location"]  # the form's own query, and the session id


@pytest.mark.parametrize("name", ["utm_campaign", "sub2", "gclid", "subid"])
def test_a_nul_in_a_field_is_a_400_naming_it(shop, database_url, name):
    answer = shop.get(f"/smart-engage/scan/demo/spring-form?{name}=a%00b", follow_redirects=False)
    assert answer.status_code == 400
    assert answer.json() == {"error_msg": f"{name}: must not contain a NUL character"}
    assert sql(database_url, "SELECT count(*) FROM signage_sessions") == [(0,)]


def test_an_orphan_scan_keeps_them_too(shop, database_url):
    doc = document()
    doc["apps"][0]["signage"]["fallback_url"] = "https://brand.example/gone"
    configure(shop, doc)
    answer = shop.get(
        "/smart-engage/scan/demo/autumn-form?utm_source=mall&msclkid=m1",
        headers=PHONE,
        follow_redirects=False,
    )
    assert answer.headers["location"] == "https://brand.example/gone"
    assert sql(database_url, "SELECT utm_source, msclkid FROM signage_orphan_scans") == [("mall", "m1")]
    [event] = shop.get("/admin/v1/apps/demo/events", headers=ADMIN).json()["items"]
    assert event["payload"]["utm_source"] == "mall" and event["payload"]["ad_network"] == "microsoft_ads"
    by_source = metrics(shop, group_by="utm_source", measures="orphan_scans")
    assert {r["key"]: r["orphan_scans"] for r in by_source["rows"]} == {"mall": 1}


def test_the_export_has_them(shop):
    session_id = scanned(shop, **FULL)
    scanned(shop, utm_source="bus")
    answer = shop.get("/admin/v1/apps/demo/export/signage.csv", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    table = {row["id"]: row for row in csv.DictReader(io.StringIO(answer.text))}
    assert {name: table[session_id][name] for name in FIELDS} == FULL
    assert table[session_id]["verdict"] == "ok"
    assert {row["utm_source"] for row in table.values()} == {"mall", "bus"}


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        ("utm_campaign", {"spring": 2, None: 1}),
        ("sub2", {"screen-42": 2, None: 1}),
        ("ad_network", {"google_ads": 2, "microsoft_ads": 1}),
        ("utm_source", {"mall": 2, "bus": 1}),
    ],
)
def test_metrics_group_scans_by_them(shop, group_by, expected):
    scanned(shop, **FULL)
    scanned(shop, "spring-form", utm_campaign="spring", utm_source="mall", sub2="screen-42", gclid="g")
    scanned(shop, utm_source="bus", msclkid="m")
    rows = metrics(shop, group_by=group_by, measures="scans")["rows"]
    assert {r["key"]: r["scans"] for r in rows if r["scans"]} == expected


def test_the_journey_and_the_dashboard_show_them(shop):
    session_id = scanned(shop, **FULL)
    sign_in(shop)
    page = shop.get("/dashboard/apps/demo/journeys", params={"id": session_id, "family": "signage"})
    assert page.status_code == 200
    for value in ("screen-42", "spring", "google_ads", "EAIaIQobChMI"):
        assert value in page.text
