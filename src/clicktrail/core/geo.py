"""IP → country (embedded database from the geoip2fast package, offline, IPv4 and IPv6), and city,
latitude, longitude from a MaxMind-format ``.mmdb`` when ``CLICKTRAIL_GEOIP_DB`` is set.

Private, loopback and reserved addresses resolve to nothing, never to a guess."""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class GeoResult:
    country_code: str | None = None
    country_name: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None


NOWHERE = GeoResult()


def is_public(ip: str) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_global and not addr.is_multicast


class GeoResolver:
    """Thread-safe, loaded once per process (the country table takes a fraction of a second)."""

    def __init__(self, mmdb_path: str | None = None):
        self.mmdb_path = mmdb_path
        self._country: Any = None
        self._city: Any = None
        self._lock = threading.Lock()
        self.lookup = lru_cache(maxsize=65_536)(self._lookup)

    def load(self) -> None:
        with self._lock:
            if self._country is None:
                from geoip2fast import GeoIP2Fast

                self._country = GeoIP2Fast(geoip2fast_data_file="geoip2fast-ipv6.dat.gz")
            if self.mmdb_path and self._city is None:
                import maxminddb

                self._city = maxminddb.open_database(self.mmdb_path)

    def _lookup(self, ip: str) -> GeoResult:
        if not is_public(ip):
            return NOWHERE
        if self._country is None:
            self.load()
        if self._city is not None:
            record = self._city.get(ip)
            if record:
                return _from_mmdb(record)
        hit = self._country.lookup(ip).to_dict()  # GeoIPDetail → its fields
        code = hit.get("country_code")
        if not code or code == "--" or hit.get("is_private"):
            return NOWHERE
        return GeoResult(country_code=code, country_name=hit.get("country_name"))


def _from_mmdb(record: dict[str, Any]) -> GeoResult:
    country = record.get("country") or record.get("registered_country") or {}
    city = record.get("city") or {}
    location = record.get("location") or {}
    return GeoResult(
        country_code=country.get("iso_code"),
        country_name=(country.get("names") or {}).get("en"),
        city=(city.get("names") or {}).get("en"),
        latitude=location.get("latitude"),
        longitude=location.get("longitude"),
    )
