"""Geo-IP: country from the embedded database, city and point from a MaxMind-format .mmdb built here,
the country's representative point without one, and nothing for private or reserved addresses."""

from __future__ import annotations

import ipaddress
import random
import sys

import pytest

from clicktrail.core.enrich.geo import (
    NOWHERE,
    GeoResolver,
    _Addresses128,
    _embedded_country_table,
    _repack,
    country_point,
)


@pytest.fixture
def mmdb(geoip_db):
    return geoip_db


@pytest.fixture(scope="module")
def embedded():
    resolver = GeoResolver()
    resolver.load()
    return resolver


PRIVATE = [
    "10.1.2.3",
    "192.168.0.1",
    "127.0.0.1",
    "::1",
    "fc00::1",
    "fe80::1",
    "169.254.1.1",
    "0.0.0.0",
    "203.0.113.7",
    "2001:db8::1",
    "224.0.0.1",
    "not-an-ip",
    "::ffff:10.0.0.1",
]


def test_country_point_comes_from_the_package_data():
    lat, lon = country_point("US")
    assert 24 < lat < 50 and -125 < lon < -66
    assert country_point("nl") == country_point("NL")
    assert country_point("CW") is not None  # a territory without latlng falls back to its capital
    assert country_point("XX") is None


@pytest.mark.parametrize(
    ("ip", "code"),
    [
        ("8.8.8.8", "US"),
        ("2001:4860:4860::8888", "US"),
        ("2a00:1450:4001:82a::200e", "DE"),
        ("::ffff:8.8.8.8", "US"),
    ],
)
def test_embedded_country_with_representative_point(embedded, ip, code):
    found = embedded.lookup(ip)
    assert found.country_code == code
    assert found.country_name
    assert found.city is None
    assert (found.latitude, found.longitude) == country_point(code)


@pytest.mark.parametrize("ip", PRIVATE)
def test_private_and_reserved_resolve_to_nothing(embedded, mmdb, ip):
    assert embedded.lookup(ip) == NOWHERE
    assert GeoResolver(mmdb).lookup(ip) == NOWHERE


def test_city_database_gives_city_and_point(mmdb):
    resolver = GeoResolver(mmdb)
    v4 = resolver.lookup("185.155.96.184")
    assert (v4.country_code, v4.country_name, v4.city, v4.latitude, v4.longitude) == (
        "US",
        "United States",
        "Wichita",
        37.751,
        -97.822,
    )
    v6 = resolver.lookup("2a02:2e0:3fe:1001::1")
    assert (v6.country_code, v6.latitude, v6.longitude) == ("NL", 52.37, 4.89)


def test_city_database_without_location_uses_the_country_point(mmdb):
    found = GeoResolver(mmdb).lookup("81.2.69.160")
    assert found.country_code == "GB"
    assert (found.latitude, found.longitude) == country_point("GB")


def test_address_missing_from_city_database_falls_back_to_embedded(mmdb):
    found = GeoResolver(mmdb).lookup("8.8.8.8")
    assert found.country_code == "US"
    assert (found.latitude, found.longitude) == country_point("US")


def test_lookups_are_cached(embedded):
    embedded.lookup("1.1.1.1")
    hits = embedded.lookup.cache_info().hits
    embedded.lookup("1.1.1.1")
    assert embedded.lookup.cache_info().hits == hits + 1


def test_the_repacked_table_answers_as_geoip2fast_own():
    table = _embedded_country_table()
    rng = random.Random(7)
    ips = [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(3000)]
    ips += [str(ipaddress.IPv6Address(0x2 << 124 | rng.getrandbits(124))) for _ in range(3000)]
    ips += ["8.8.8.8", "2001:4860:4860::8888", "2a00:1450:4001:82a::200e", "0.0.0.0", "255.255.255.255"]
    # Networks whose first address has low 64 bits set (kept apart from the high halves when packed),
    # each met at its first address and just either side of it.
    module = sys.modules[type(table).__module__]
    narrow = [c[i] for c in module.mainListFirstIP if isinstance(c, _Addresses128) for i in c._low][::40]
    assert len(narrow) > 50
    ips += [str(ipaddress.IPv6Address(a + d)) for a in narrow for d in (-1, 0, 1)]

    def answers():
        return [(h.country_code, h.country_name, h.is_private, h.cidr) for h in map(table.lookup, ips)]

    packed = answers()
    table.reload_data()  # geoip2fast's own lists again
    try:
        assert answers() == packed
        assert sum(code not in ("--", "") for code, *_ in packed) > 1000
    finally:
        _repack(sys.modules[type(table).__module__])


def test_a_network_tagged_with_a_continent_has_no_country():
    # geoip2fast's table tags a few networks "ASIA"; a country column holds two letters or nothing.
    resolver = GeoResolver(None)
    for ip in ("138.32.254.231", "168.168.135.11"):
        found = resolver.lookup(ip)
        assert found.country_code is None and found.country_name is None
