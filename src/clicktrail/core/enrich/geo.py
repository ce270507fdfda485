"""IP → country (embedded database from the geoip2fast package, offline, IPv4 and IPv6), and city,
latitude, longitude from a MaxMind-format ``.mmdb`` when ``CLICKTRAIL_GEOIP_DB`` is set. Without one (or when
the ``.mmdb`` has no location for an address) latitude and longitude are the country's representative point,
as MaxMind itself reports for country-only hits; the points come from the ``countryinfo`` package's data.

Private, loopback and reserved addresses resolve to nothing, never to a guess."""

from __future__ import annotations

import sys
import threading
from array import array
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from .addresses import public_address


@dataclass(frozen=True, slots=True)
class GeoResult:
    country_code: str | None = None
    country_name: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None


NOWHERE = GeoResult()


def is_public(ip: str) -> bool:
    return public_address(ip) is not None


_country_table: Any = None
_country_table_lock = threading.Lock()


def _embedded_country_table() -> Any:
    """The embedded table is the same for every resolver: load it once per process (it takes ~0.5 s)."""
    global _country_table
    with _country_table_lock:
        if _country_table is None:
            from geoip2fast import GeoIP2Fast

            _country_table = GeoIP2Fast(geoip2fast_data_file="geoip2fast-ipv6.dat.gz")
            _repack(sys.modules[GeoIP2Fast.__module__])
        return _country_table


def _repack(module: Any) -> None:
    """geoip2fast keeps its table in module globals as lists (one per chunk of the address space) of
    Python ints: ~790,000 networks, IPv4 and IPv6, cost ~48 MB that way. Repacked in place into typed
    arrays (first address, country index, prefix length) they cost ~10 MB, and geoip2fast's own lookup
    indexes and bisects them as before. A layout this does not know is left as it is."""
    firsts = getattr(module, "mainListFirstIP", None)
    countries = getattr(module, "mainListIDCountryCodes", None)
    lengths = getattr(module, "mainListNetlength", None)
    if not all(isinstance(table, list) for table in (firsts, countries, lengths)):
        return
    assert firsts is not None and countries is not None and lengths is not None
    # Every array is made before any list is dropped: made in the lists' freed slots, a few hundred
    # small array objects would keep most of the lists' memory arenas alive.
    packed = (
        [_addresses(chunk) for chunk in firsts],
        [array("H", chunk) for chunk in countries],
        [array("B", chunk) for chunk in lengths],
    )
    for table, arrays in zip((firsts, countries, lengths), packed, strict=True):
        table[:] = arrays
    give_back_freed_heap()


def give_back_freed_heap() -> None:
    """The lists' buffers were freed below the arrays on the C heap, where glibc keeps them resident
    (~18 MB) until asked to return them. Elsewhere (no glibc) this does nothing."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _addresses(values: list[int]) -> Any:
    if not values or max(values) < 1 << 32:
        return array("I" if array("I").itemsize >= 4 else "L", values)
    if max(values) < 1 << 64:
        return array("Q", values)
    return _Addresses128(values)


class _Addresses128:
    """A read-only sequence of 128-bit ints: what ``bisect`` and indexing need. The high 64 bits in an
    array; the low ones only where they are not zero (IPv6 networks are allocated as /64 or larger: ~4,800
    of ~300,000 first addresses have any low bit set), which saves ~2 MB against a second array."""

    __slots__ = ("_high", "_low")

    def __init__(self, values: list[int]):
        self._high = array("Q", (v >> 64 for v in values))
        self._low = {i: low for i, v in enumerate(values) if (low := v & 0xFFFF_FFFF_FFFF_FFFF)}

    def __len__(self) -> int:
        return len(self._high)

    def __getitem__(self, index: int) -> int:
        if index < 0:
            index += len(self._high)
        return self._high[index] << 64 | self._low.get(index, 0)


class GeoResolver:
    """Thread-safe; the country table is shared by the process, the ``.mmdb`` opened per resolver."""

    def __init__(self, mmdb_path: str | None = None):
        self.mmdb_path = mmdb_path
        self._country: Any = None
        self._city: Any = None
        self._lock = threading.Lock()
        # A miss costs ~5 µs; 8,192 addresses hold ~0.5 MB (the answers are shared per country; one per
        # address held ~3 MB).
        self.lookup = lru_cache(maxsize=8_192)(self._lookup)

    def load(self) -> None:
        with self._lock:
            if self._country is None:
                self._country = _embedded_country_table()
                _country_points()
            if self.mmdb_path and self._city is None:
                import maxminddb

                self._city = maxminddb.open_database(self.mmdb_path)

    def _lookup(self, ip: str) -> GeoResult:
        public = public_address(ip)  # ::ffff:a.b.c.d is the IPv4 address a.b.c.d
        if public is None:
            return NOWHERE
        ip = public
        if self._country is None:
            self.load()
        if self._city is not None:
            record = self._city.get(ip)
            if record:
                return _from_mmdb(record)
        hit = self._country.lookup(ip)  # a GeoIPDetail (attributes, not a mapping)
        code = getattr(hit, "country_code", None)
        # geoip2fast tags a few networks with a continent ("ASIA", "EU"): not a country to record.
        if code is None or not _iso_country(code) or getattr(hit, "is_private", False):
            return NOWHERE
        return _country_result(code, getattr(hit, "country_name", None) or None)


@cache
def _country_result(code: str, name: str | None) -> GeoResult:
    """One answer per country, shared by every address in it (a few hundred at most), not one per
    cached address."""
    latitude, longitude = country_point(code) or (None, None)
    return GeoResult(country_code=code, country_name=name, latitude=latitude, longitude=longitude)


def _iso_country(code: Any) -> bool:
    """An ISO 3166-1 alpha-2 code (what every country column holds), not a continent or "--"."""
    return isinstance(code, str) and len(code) == 2 and code.isalpha()


def _from_mmdb(record: dict[str, Any]) -> GeoResult:
    country = record.get("country") or record.get("registered_country") or {}
    city = record.get("city") or {}
    location = record.get("location") or {}
    code = country.get("iso_code") if _iso_country(country.get("iso_code")) else None
    latitude, longitude = location.get("latitude"), location.get("longitude")
    if (latitude is None or longitude is None) and code:
        latitude, longitude = country_point(code) or (None, None)
    return GeoResult(
        country_code=code,
        country_name=(country.get("names") or {}).get("en"),
        city=(city.get("names") or {}).get("en"),
        latitude=latitude,
        longitude=longitude,
    )


def country_point(country_code: str) -> tuple[float, float] | None:
    """The representative point (latitude, longitude) of a country by ISO 3166 alpha-2 code, or None."""
    return _country_points().get(country_code.upper())


@lru_cache(maxsize=1)
def _country_points() -> dict[str, tuple[float, float]]:
    """alpha-2 → point, built once per process from countryinfo's per-country ``latlng`` (its capital's
    coordinates where a territory has no ``latlng``)."""
    from countryinfo import CountryInfo

    points: dict[str, tuple[float, float]] = {}
    for info in CountryInfo.all().values():
        code = ((info.get("ISO") or {}).get("alpha2") or "").upper()
        point = _pair(info.get("latlng")) or _pair(info.get("capital_latlng"))
        if len(code) == 2 and point is not None:
            points.setdefault(code, point)
    _forget_countryinfo()
    return points


def _forget_countryinfo() -> None:
    """countryinfo keeps every country's whole record (~4 MB resident) for the life of the process once
    read; only the points above are needed. Another caller of countryinfo reads its files again."""
    try:
        from countryinfo._cache import load_countries
    except ImportError:
        return
    clear = getattr(load_countries, "cache_clear", None)
    if clear is not None:
        clear()
        give_back_freed_heap()


def _pair(value: Any) -> tuple[float, float] | None:
    if (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    ):
        return float(value[0]), float(value[1])
    return None
