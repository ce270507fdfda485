"""Where a survey click came from: the fields every family reads off a click URL (``core.enrich.attribution``:
UTM fields, sub-ids, ad click ids) and surveys' own placement (``link``), read at the edge, kept on the
click row, and carried on the click's outcome events so the metrics count them under the click's
dimensions (as partners' ``attribution``).

BitLabs' click URL takes ``i`` and ``s`` (and ``tags``, ``demo``, ``sc_token``, accepted and ignored);
these parameters are our additions, all optional, and any other parameter is ignored as before."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi.exceptions import RequestValidationError
from starlette.datastructures import QueryParams

from ..core.enrich import attribution as core
from ..core.enrich.attribution import CLICK_IDS, SUB_ID_ALIASES, SUB_IDS, UTM, Attribution, NulInValue

__all__ = [
    "CARRIED",
    "CLICK_IDS",
    "COUNTED",
    "FIELDS",
    "LINK",
    "SUB_IDS",
    "SUB_ID_ALIASES",
    "UTM",
    "Attribution",
]

LINK = "link"  # the placement the click came through, named by the publisher (e.g. "home-banner")
LINK_LENGTH = 64  # as link ids are
FIELDS = (*UTM, LINK, *SUB_IDS, *CLICK_IDS)  # the click row's columns, in this order
COUNTED = (*core.COUNTED, LINK)  # the metrics' dimensions among them (and the ad network of a click id)
CARRIED = (*UTM, *SUB_IDS, core.AD_NETWORK, LINK)  # the row's columns its outcome events carry (``counted``)
_READ = (*FIELDS, *SUB_ID_ALIASES)


def from_query(params: QueryParams) -> Attribution:
    """The fields a click URL's query gives: the first value of each, cut to its length; an empty value is
    none. A value with a NUL is refused (400 naming it) on both engines, before PostgreSQL sees it."""
    if not any(name in params for name in _READ):  # the usual click: nothing to read
        return {}
    try:
        found = core.from_params({name: params.getlist(name) for name in _READ})
    except NulInValue as refused:
        raise _nul(refused.name) from None
    link = next(iter(params.getlist(LINK)), None)  # the first value, as the others
    if link and "\x00" in link:
        raise _nul(LINK)
    return {**found, LINK: link[:LINK_LENGTH]} if link else found


def _nul(name: str) -> RequestValidationError:
    problem = {"type": "value_error", "msg": "must not contain a NUL character"}
    return RequestValidationError([{**problem, "loc": ("query", name)}])


def query_of(attribution: Attribution) -> str:
    """``&name=value`` for each field given, to carry them on a click URL (empty when none)."""
    return "".join(f"&{urlencode({name: attribution[name]})}" for name in FIELDS if name in attribution)


def columns(attribution: Attribution) -> dict[str, str | None]:
    """The click row's values: every field, None when not given, and the ad network its click id names
    (kept when retention nulls the click ids, so its outcomes count under it: ``counted``)."""
    return {**{name: attribution.get(name) for name in FIELDS}, core.AD_NETWORK: core.ad_network(attribution)}


def created_payload(click: Mapping[str, Any]) -> dict[str, Any]:
    """What ``click.created`` carries: every field the click has (so a journey search finds them)."""
    return {**core.given(click), **({LINK: click[LINK]} if click.get(LINK) else {})}


def counted(click: Mapping[str, Any]) -> dict[str, Any]:
    """What the click's outcome events carry so they count under its dimensions: the counted fields it
    has, and its row's ``ad_network`` (named when it was made, so a click purged while open still has it;
    an event without one counts under none, as a click without UTM does)."""
    dims = {name: click.get(name) for name in CARRIED}
    return {name: value for name, value in dims.items() if value}
