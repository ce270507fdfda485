"""Where a click or scan came from, read off its URL the same way in every family: the UTM fields, the
affiliate sub-ids (``sub1`` to ``sub5``) and the ad networks' click ids (``gclid``, ``fbclid``, ``msclkid``).

A family keeps the fields on its click (or scan) row, puts the ones given on the row's journey event and
counts it under :data:`COUNTED` in its metrics. The click ids are unique per click, so they are kept and
searched but never a metrics dimension; what is counted is :data:`AD_NETWORK`, the network the click id
names (as Plausible counts a ``gclid`` click under Google Ads)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
SUB_IDS = ("sub1", "sub2", "sub3", "sub4", "sub5")
SUB_ID_ALIASES = ("subid", "sub_id")  # the single sub-id of many offer walls: kept as sub1
CLICK_IDS = ("gclid", "fbclid", "msclkid")
FIELDS = (*UTM, *SUB_IDS, *CLICK_IDS)  # the row's columns, in this order
VALUE_LENGTH = 255  # a longer value is cut to this (the columns' length)

AD_NETWORK = "ad_network"  # the metrics dimension the click ids are counted under
NETWORKS = {"gclid": "google_ads", "fbclid": "meta_ads", "msclkid": "microsoft_ads"}
COUNTED = (*UTM, *SUB_IDS, AD_NETWORK)  # the metrics dimensions among them (and derived from them)

Attribution = dict[str, str]  # field → value, the fields given only


class NulInValue(ValueError):
    """A value with a NUL character: refused at the edge on both engines (PostgreSQL cannot keep it)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} must not contain a NUL character")
        self.name = name


def from_params(params: Mapping[str, Sequence[str]]) -> Attribution:
    """The fields a query gives (name → its values, as ``parse_qs`` or Starlette's ``multi_items``
    grouping): the first non-empty value of each, cut to :data:`VALUE_LENGTH`. ``subid``/``sub_id`` are
    ``sub1`` when ``sub1`` is not given. Raises :class:`NulInValue` naming a field whose value has a NUL."""
    found: Attribution = {}
    for name in (*FIELDS, *SUB_ID_ALIASES):
        values = params.get(name)
        if not values or not values[0]:
            continue
        if "\x00" in values[0]:
            raise NulInValue(name)
        found.setdefault("sub1" if name in SUB_ID_ALIASES else name, values[0][:VALUE_LENGTH])
    return found


def from_uri(uri: str) -> Attribution:
    """The fields of a URI's query, percent-decoded; a query that cannot be read gives none. A NUL in a
    value is dropped with the value (the URI was already stored as given)."""
    return dict(_from_uri(uri))


@lru_cache(maxsize=4096)
def _from_uri(uri: str) -> tuple[tuple[str, str], ...]:
    try:
        params = parse_qs(urlsplit(uri).query)
    except ValueError:
        return ()
    clean = {name: [v for v in values if "\x00" not in v] for name, values in params.items()}
    return tuple(from_params(clean).items())


def columns(attribution: Attribution) -> dict[str, str | None]:
    """The row's values: every field, None when not given."""
    return {name: attribution.get(name) for name in FIELDS}


def given(row: Mapping[str, Any]) -> Attribution:
    """The fields a row (or a mapping of its columns) has, for its journey event's payload."""
    return {name: row[name] for name in FIELDS if row.get(name)}


def ad_network(fields: Mapping[str, Any]) -> str | None:
    """The ad network whose click id the fields carry (the first of gclid, fbclid, msclkid), or None."""
    return next((NETWORKS[name] for name in CLICK_IDS if fields.get(name)), None)


def dimensions(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The metrics dimensions of a click or scan: its UTM fields and sub-ids (None when not given) and the
    ad network of its click id."""
    return {**{name: fields.get(name) or None for name in (*UTM, *SUB_IDS)}, AD_NETWORK: ad_network(fields)}
