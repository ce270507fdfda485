"""The partners config section: applied idempotently, validated with paths, and seen by the click path
at once (the per-process catalog follows the settings version)."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from ..helpers import ADMIN, configure, snapshot
from .conftest import BANNER, LINK, LINK2, create, document


def test_applying_twice_changes_nothing(ib, database_url):
    before = snapshot(database_url)
    report = configure(ib, document())
    assert report["changes"] == []
    assert snapshot(database_url) == before


def test_changes_reach_new_clicks(ib):
    assert create(ib, uri="https://my.stage.org/register?referral=2")["linkId"] == LINK2
    doc = document()
    links = doc["apps"][0]["partners"]["links"]
    links.pop()  # link 2 removed
    links[0]["banners"][0]["name"] = "Wide Spreads"
    report = configure(ib, doc)
    assert f"acme: partners link {LINK2} removed" in report["changes"]
    assert f"acme: partners banner {BANNER} updated" in report["changes"]
    assert create(ib, uri="https://my.stage.org/register?referral=2")["linkId"] is None
    click = create(ib, uri=f"https://my.stage.org/register?referral=1&banner={BANNER}")
    assert (click["linkId"], click["bannerName"]) == (LINK, "Wide Spreads")


BAD_SECTIONS = [
    (
        lambda p: p["links"][0].update(postback_url="http://x.example/?c={clickid}"),
        "links[0].postback_url",
    ),
    (lambda p: p["links"][0].update(postback_url="ftp://x.example/{click_id}"), "links[0].postback_url"),
    (lambda p: p["links"][1].update(id=LINK), "links[1].id"),
    (lambda p: p["links"][1].update(uri="https://my.stage.org/register/?referral=1"), "links[1].uri"),
    (lambda p: p["links"][1].update(banners=[{"id": BANNER, "name": "Again"}]), "links[1].banners[0].id"),
    (lambda p: p["links"][0].update(uri="not a url"), "links[0].uri"),
    (lambda p: p["blocklist"].update(networks=["300.0.0.0/8"]), "blocklist.networks[0]"),
    (lambda p: p["blocklist"].update(countries=["Germany"]), "blocklist.countries[0]"),
    (lambda p: p.update(duplicate_window_seconds=-1), "duplicate_window_seconds"),
    (lambda p: p.update(unknown=1), "unknown"),
    (lambda p: p.update(postback_secret="short"), "postback_secret"),
]


def test_bad_sections_are_refused_with_a_path(ib, database_url):
    before = snapshot(database_url)
    for change, path in BAD_SECTIONS:
        doc = copy.deepcopy(document())
        change(doc["apps"][0]["partners"])
        response = ib.put("/admin/v1/config", json=doc, headers=ADMIN)
        assert response.status_code == 400, response.text
        paths = [e["path"] for e in response.json()["errors"]]
        assert f"apps[0].partners.{path}" in paths, (path, paths)
    assert snapshot(database_url) == before


def test_demo_document_applies(client):
    demo = yaml.safe_load((Path(__file__).parents[2] / "examples" / "demo.yaml").read_text())
    configure(client, demo)
    response = client.post(
        "/ib/v1/clicks",
        json={"ip": "185.155.96.184", "uri": "https://my.stage.org/register?referral=1&utm_source=news"},
        headers={"Authorization": "Bearer ib-secret"},
    )
    assert response.status_code == 201
    assert response.json()["linkId"] == "6006dda272f002519c3eb505"
