"""``privacy.anonymize_ip``: clicks store the address cut to its network, after geo and the blocklist."""

from __future__ import annotations

from sqlalchemy import create_engine, select

from clicktrail.core.storage.db import normalize_url
from clicktrail.partners.models import PartnerClick

from ..helpers import configure
from .conftest import AUTH, OTHER, create, document

TRAFFIC = {"query[traffic]": "1"}


def anonymizing(blocked_networks: list[str] | None = None) -> dict:
    doc = document()
    acme = doc["apps"][0]
    acme["privacy"] = {"anonymize_ip": True}
    if blocked_networks is not None:
        acme["partners"]["blocklist"]["networks"] = blocked_networks
    return doc


def stored_ips(database_url: str) -> dict[str, str]:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return dict(conn.execute(select(PartnerClick.id, PartnerClick.ip)).all())
    finally:
        engine.dispose()


def test_the_stored_and_answered_address_is_anonymized_and_geo_still_right(ib, database_url):
    configure(ib, anonymizing())
    v4 = create(ib, ip="185.155.96.184")
    v6 = create(ib, ip="2a02:2e0:3fe:1001:7777:772e:2:85")
    assert (v4["ip"], v4["countryCode"], v4["latitude"]) == ("185.155.96.0", "US", "37.751")
    assert (v6["ip"], v6["countryCode"]) == ("2a02:2e0:3fe::", "NL")
    assert ib.get(f"/ib/v1/clicks/{v6['clickId']}", headers=AUTH).json()["ip"] == "2a02:2e0:3fe::"
    assert stored_ips(database_url) == {v4["clickId"]: "185.155.96.0", v6["clickId"]: "2a02:2e0:3fe::"}
    listed = ib.get("/ib/v1/clicks", params={"filter[ip]": "185.155.96.0"}, headers=AUTH).json()
    assert [c["clickId"] for c in listed] == [v4["clickId"]]


def test_another_app_keeps_full_addresses(ib):
    configure(ib, anonymizing())
    assert create(ib, headers=OTHER, ip="185.155.96.184")["ip"] == "185.155.96.184"


def test_off_by_default_and_switched_off_again(ib):
    assert create(ib, ip="185.155.96.184")["ip"] == "185.155.96.184"
    configure(ib, anonymizing())
    assert create(ib, ip="185.155.96.184")["ip"] == "185.155.96.0"
    doc = document()
    doc["apps"][0]["privacy"] = {"anonymize_ip": False}
    configure(ib, doc)
    assert create(ib, ip="185.155.96.184")["ip"] == "185.155.96.184"


def test_verdicts_compare_anonymized_visitors(ib):
    """Two addresses of one /24 with one user agent are one visitor: the second click is a duplicate."""
    configure(ib, anonymizing())
    first = create(ib, ip="185.155.96.184", time=None)
    second = create(ib, ip="185.155.96.7", time=None)
    verdicts = {
        c["clickId"]: c["traffic"]["verdict"]
        for c in ib.get("/ib/v1/clicks", params=TRAFFIC, headers=AUTH).json()
    }
    assert verdicts == {first["clickId"]: "ok", second["clickId"]: "duplicate"}


def test_the_blocklist_sees_the_full_address(ib):
    configure(ib, anonymizing(blocked_networks=["185.155.96.184/32"]))
    blocked = create(ib, ip="185.155.96.184")
    allowed = create(ib, ip="185.155.96.185", userAgent="curl/8.0")
    verdicts = {
        c["clickId"]: c["traffic"]["verdict"]
        for c in ib.get("/ib/v1/clicks", params=TRAFFIC, headers=AUTH).json()
    }
    assert verdicts[blocked["clickId"]] == "blocked"
    assert verdicts[allowed["clickId"]] != "blocked"
    assert blocked["ip"] == allowed["ip"] == "185.155.96.0"
