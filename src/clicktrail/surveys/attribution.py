"""Where a survey click came from: the UTM fields, the placement (``link``) and the sub-ids of its click
URL, read at the edge, kept on the click row, and carried on the click's outcome events so the metrics
count them under the click's dimensions (as partners' ``attribution``).

BitLabs' click URL takes ``i`` and ``s`` (and ``tags``, ``demo``, ``sc_token``, accepted and ignored);
these parameters are our additions, all optional, and any other parameter is ignored as before."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi.exceptions import RequestValidationError
from starlette.datastructures import QueryParams

UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
SUB_IDS = ("sub1", "sub2", "sub3", "sub4", "sub5")
SUB_ID_ALIASES = ("subid", "sub_id")  # the single sub-id of many offer walls: stored as sub1
LINK = "link"  # the placement the click came through, named by the publisher (e.g. "home-banner")
FIELDS = (*UTM, LINK, *SUB_IDS)  # the click row's columns, in this order
COUNTED = ("utm_source", "utm_medium", "utm_campaign", LINK)  # the metrics' dimensions among them
# Longer values are cut to these, as partners cut their UTM fields (and link ids are 64 characters).
VALUE_LENGTH = 255
LINK_LENGTH = 64
Attribution = dict[str, str]  # field → value, the fields given only


def from_query(params: QueryParams) -> Attribution:
    """The fields a click URL's query gives: the first value of each, cut to its length; an empty value is
    none. A value with a NUL is refused (400 naming it) on both engines, before PostgreSQL sees it."""
    if not any(name in params for name in (*FIELDS, *SUB_ID_ALIASES)):  # the usual click: nothing to read
        return {}
    found: Attribution = {}
    for name in (*FIELDS, *SUB_ID_ALIASES):
        values = params.getlist(name)
        if not values or not values[0]:
            continue
        value = values[0]
        if "\x00" in value:
            problem = {"type": "value_error", "msg": "must not contain a NUL character"}
            raise RequestValidationError([{**problem, "loc": ("query", name)}])
        field = "sub1" if name in SUB_ID_ALIASES else name
        found.setdefault(field, value[: LINK_LENGTH if name == LINK else VALUE_LENGTH])
    return found


def query_of(attribution: Attribution) -> str:
    """``&name=value`` for each field given, to carry them on a click URL (empty when none)."""
    return "".join(f"&{urlencode({name: attribution[name]})}" for name in FIELDS if name in attribution)


def columns(attribution: Attribution) -> dict[str, str | None]:
    """The click row's values: every field, None when not given."""
    return {name: attribution.get(name) for name in FIELDS}


def created_payload(click: Mapping[str, Any]) -> dict[str, Any]:
    """What ``click.created`` carries: every field the click has (so a journey search finds them)."""
    return {name: click[name] for name in FIELDS if click.get(name)}


def counted(click: Mapping[str, Any]) -> dict[str, Any]:
    """What the click's later outcome events carry so they count under its dimensions (the fields it
    has; an event without one counts under none, as a click without UTM does)."""
    return {name: click[name] for name in COUNTED if click.get(name)}
