"""The list's query language: ``filter[...]``, ``sort_by``/``sort_order``, ``limit``/``offset`` and
``query[...]`` embeds, whitelisted and parsed into plain values; then the SQL they mean.

How each filter matches (a text filter given more than once matches any of its values):

- ``uri`` and ``referrer``: the value is a prefix of the click's, case-sensitive, with no wildcards (``%``,
  ``_``, ``*`` are plain characters), so ``filter[uri]=https://my.stage.org/register?referral=1`` finds the
  link's clicks whatever UTM parameters follow it.
- ``countryCode``, ``countryName``, ``profileCountryName``: whole value, any case (on SQLite, case is
  folded for ASCII letters only).
- ``profileName``, ``profileContacts``: case-insensitive substring.
- the other text filters: the whole value, exactly.
- ``latitude``/``longitude``: the same decimal to 6 places; ``registration``, ``bot``, ``unique``: 1 or 0.
- time filters take ISO 8601 and are inclusive (an end without fractions of a second includes that whole
  second)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, tuple_

from ..core.tenancy.apps import tenant
from ..core.web.errors import InvalidInput, clip
from ..core.web.instants import in_utc
from .models import PartnerClick, PartnerContact, PartnerProfile

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_OFFSET = 999_999_999  # nine digits: what the parser reads
EMBEDS = ("contacts", "link", "metrics", "profile", "traffic")

# filter name → click column (how each matches: PREFIX, CASELESS, else the whole value exactly)
TEXT = {
    "bannerId": PartnerClick.banner_id,
    "bannerIdFilter": PartnerClick.banner_id,
    "countryCode": PartnerClick.country_code,
    "countryName": PartnerClick.country_name,
    "ip": PartnerClick.ip,
    "linkId": PartnerClick.link_id,
    "referrer": PartnerClick.referrer,
    "uri": PartnerClick.uri,
    "userAgent": PartnerClick.user_agent,
    "utmCampaign": PartnerClick.utm_campaign,
    "utmContent": PartnerClick.utm_content,
    "utmMedium": PartnerClick.utm_medium,
    "utmSource": PartnerClick.utm_source,
    "utmTerm": PartnerClick.utm_term,
    "uuid": PartnerClick.uuid,
    "verdict": PartnerClick.verdict,
    "verdictReason": PartnerClick.verdict_reason,
}
PROFILE_TEXT = {"profileCountryName": PartnerProfile.country_name, "tag": PartnerProfile.tag}
PREFIX = {"referrer", "uri"}
CASELESS = {"countryCode", "countryName", "profileCountryName"}
COORDINATES = {"latitude": PartnerClick.latitude, "longitude": PartnerClick.longitude}
FLAGS = {"registration", "bot", "unique"}
TIMES = {"clickStartTime", "clickEndTime"}
SUBSTRING = {"profileName", "profileContacts"}
VERDICTS = ("ok", "bot", "orphan", "duplicate", "blocked", "expired", "limit_reached")
FILTERS = set(TEXT) | set(PROFILE_TEXT) | set(COORDINATES) | FLAGS | TIMES | SUBSTRING

SORTS: dict[str, Any] = {
    "clickId": PartnerClick.id,
    "createTime": PartnerClick.create_time,
    "ip": PartnerClick.ip,
    "latitude": PartnerClick.latitude,
    "longitude": PartnerClick.longitude,
    "referrer": PartnerClick.referrer,
    "tag": PartnerProfile.tag,
    "time": PartnerClick.time,
    "uri": PartnerClick.uri,
    "userAgent": PartnerClick.user_agent,
    "utmCampaign": PartnerClick.utm_campaign,
    "utmContent": PartnerClick.utm_content,
    "utmMedium": PartnerClick.utm_medium,
    "utmSource": PartnerClick.utm_source,
    "utmTerm": PartnerClick.utm_term,
    "updateTime": PartnerClick.update_time,
}

NOT_NULL = {"clickId", "createTime", "time", "uri", "updateTime"}

# A page under a time filter, ordered by anything but ``time``: no index serves that filter and that order
# together, and walking the order's index (createTime, newest first) passes every click newer than the
# range before its first match, a heap row each (a day three days back: 66,000 rows, 45-90 ms over 1M
# clicks). With at most this many matches (counted first) and no other filter, the page ranks the matches'
# keys from the time index instead (index-only), then reads its rows; above it, the matches are dense and
# the walk finds them soon.
FEW_MATCHES = 100_000

BRACKETED = re.compile(r"^(filter|query)\[([A-Za-z]+)\]$")
ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$")
MAX_VALUE = 2048


@dataclass
class ListQuery:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    sort_by: str = "createTime"
    descending: bool = True
    text: dict[str, list[str]] = field(default_factory=dict)
    coordinates: dict[str, list[float]] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    start: datetime | None = None
    end: datetime | None = None  # exclusive
    substrings: dict[str, str] = field(default_factory=dict)
    embeds: frozenset[str] = frozenset()


def _bad(name: str, message: str) -> InvalidInput:
    name = clip(name)
    return InvalidInput(f"{name}: {message}", details={"fields": {name: [message]}})


def flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true"):
        return True
    if lowered in ("0", "false"):
        return False
    raise _bad(name, "must be 1 or 0")


def parse_time(name: str, value: str) -> tuple[datetime, bool]:
    """(instant in UTC, whether the value had fractions of a second)."""
    text = value.strip().replace(" ", "+") if "T" in value else value.strip()
    # A '+' in a query string arrives as a space when the client did not encode it.
    if not ISO_8601.match(text):
        raise _bad(name, "must be an ISO 8601 date-time, e.g. 2021-01-01T00:00:00+00:00")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _bad(name, "must be an ISO 8601 date-time") from exc
    try:
        parsed = in_utc(parsed)
    except ValueError as exc:
        raise _bad(name, str(exc)) from None
    return parsed, "." in text


def parse_embeds(items: list[tuple[str, str]]) -> frozenset[str]:
    """``query[...]`` only (the single-click route takes nothing else)."""
    embeds: set[str] = set()
    for key, value in items:
        match = BRACKETED.match(key)
        if match is None or match.group(1) != "query":
            raise _bad(key, "unknown parameter")
        name = match.group(2)
        if name not in EMBEDS:
            raise _bad(key, f"unknown query name (expected one of {', '.join(EMBEDS)})")
        if flag(key, value):
            embeds.add(name)
    return frozenset(embeds)


def parse_list_query(items: list[tuple[str, str]]) -> ListQuery:
    """Every parameter of ``GET /clicks``; anything unknown or malformed is a 400."""
    query = ListQuery()
    embed_items: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, value in items:
        if len(value) > MAX_VALUE:
            raise _bad(key, f"longer than {MAX_VALUE} characters")
        if "\x00" in value:  # PostgreSQL would refuse the query where SQLite finds nothing: refused on both
            raise _bad(key, "must not contain a NUL character")
        if key in ("limit", "offset", "sort_by", "sort_order"):
            if key in seen:
                raise _bad(key, "given more than once")
            seen.add(key)
            _plain(query, key, value)
            continue
        match = BRACKETED.match(key)
        if match is None:
            raise _bad(key, "unknown parameter")
        if match.group(1) == "query":
            embed_items.append((key, value))
            continue
        _filter(query, key, match.group(2), value)
    query.embeds = parse_embeds(embed_items)
    return query


def _plain(query: ListQuery, key: str, value: str) -> None:
    if key in ("limit", "offset"):
        if not re.fullmatch(r"\d{1,9}", value.strip()):
            raise _bad(key, f"must be an integer from 0 to {MAX_OFFSET}")
        number = int(value)
        if key == "limit":
            if not 1 <= number <= MAX_LIMIT:
                raise _bad(key, f"must be between 1 and {MAX_LIMIT}")
            query.limit = number
        else:
            query.offset = number
    elif key == "sort_by":
        if value not in SORTS:
            raise _bad(key, f"unknown sort field (expected one of {', '.join(SORTS)})")
        query.sort_by = value
    else:
        order = value.strip().lower()
        if order not in ("asc", "desc"):
            raise _bad(key, "must be asc or desc")
        query.descending = order == "desc"


def _filter(query: ListQuery, key: str, name: str, value: str) -> None:
    if name not in FILTERS:
        raise _bad(key, "unknown filter")
    if name in TEXT or name in PROFILE_TEXT:
        canonical = "bannerId" if name == "bannerIdFilter" else name
        if canonical == "verdict" and value not in VERDICTS:
            raise _bad(key, f"must be one of {', '.join(VERDICTS)}")
        if canonical in PREFIX and not value:
            raise _bad(key, "must not be empty")
        query.text.setdefault(canonical, []).append(value)
        return
    if name in COORDINATES:
        try:
            number = float(value)
        except ValueError as exc:
            raise _bad(key, "must be a decimal number") from exc
        if not re.fullmatch(r"-?\d{1,3}(\.\d+)?", value.strip()):
            raise _bad(key, "must be a decimal number")
        query.coordinates.setdefault(name, []).append(number)
        return
    if name in FLAGS:
        if name in query.flags:
            raise _bad(key, "given more than once")
        query.flags[name] = flag(key, value)
        return
    if name in TIMES:
        instant, fractional = parse_time(key, value)
        if name == "clickStartTime":
            if query.start is not None:
                raise _bad(key, "given more than once")
            query.start = instant
        else:
            if query.end is not None:
                raise _bad(key, "given more than once")
            query.end = instant + (timedelta(microseconds=1) if fractional else timedelta(seconds=1))
        return
    if name in query.substrings:
        raise _bad(key, "given more than once")
    if not value.strip():
        raise _bad(key, "must not be empty")
    query.substrings[name] = value.strip().lower()


def _escape_like(value: str) -> str:
    """``value`` with LIKE's wildcards and its escape character (``\\``) taken literally."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(value: str) -> str:
    return f"%{_escape_like(value)}%"


def starts_with(column: Any, prefix: str, dialect: str) -> ColumnElement[bool]:
    """``column`` begins with ``prefix``, case-sensitive on both engines, as a pattern whose literal start
    an index can serve: on SQLite ``GLOB 'prefix*'`` (its LIKE ignores case; ``*?[`` bracketed), elsewhere
    ``LIKE 'prefix%'`` with ``% _ \\`` escaped (PostgreSQL: with a ``text_pattern_ops`` index)."""
    if dialect == "sqlite":
        return column.op("GLOB", is_comparison=True)(re.sub(r"([*?\[])", r"[\1]", prefix) + "*")
    return column.like(_escape_like(prefix) + "%", escape="\\")


def _text_condition(name: str, column: Any, values: list[str], dialect: str) -> ColumnElement[bool]:
    if name in PREFIX:
        return or_(*(starts_with(column, value, dialect) for value in values))
    if name == "countryCode":  # stored upper-case (ISO 3166 alpha-2): the index still serves
        values = [value.upper() for value in values]
    elif name in CASELESS:  # the database folds both sides, so the same value always finds itself
        return or_(*(func.lower(column) == func.lower(value) for value in values))
    return column == values[0] if len(values) == 1 else column.in_(values)


def build_select(
    app_id: str, query: ListQuery, dialect: str, matches: int | None = None
) -> tuple[Select[Any], Select[Any]]:
    """The page's SELECT (clicks, ordered, with the profile joined when a filter or the sort needs it)
    and the COUNT of all matches under the same conditions, for the ``dialect`` named (its name, e.g.
    ``sqlite``: prefix matches take another form there). ``matches``: that COUNT when already known,
    which picks the page's shape under a time filter (see ``FEW_MATCHES``)."""
    conditions = _conditions(app_id, query, dialect)
    join = and_(PartnerProfile.id == PartnerClick.profile_id, tenant(PartnerProfile, app_id))
    page = select(PartnerClick)
    count = select(func.count()).select_from(PartnerClick)
    if _needs_profile(query):
        page = page.outerjoin(PartnerProfile, join)
        count = count.outerjoin(PartnerProfile, join)
    column = SORTS[query.sort_by]
    order = _order(query, column)
    page, count = page.where(*conditions), count.where(*conditions)
    if _time_only(query) and matches is not None and matches <= FEW_MATCHES:
        top = _ranked(page, column, order, query, dialect).offset(query.offset).limit(query.limit)
        # the ids come from the app's matches (an app_id test here would lead SQLite to the app's index);
        # on PostgreSQL with their createTime, so each row is looked up in its month's partition only
        found = (
            PartnerClick.id if dialect != "postgresql" else tuple_(PartnerClick.id, PartnerClick.create_time)
        )
        return select(PartnerClick).where(found.in_(top)).order_by(*order), count
    return page.order_by(*order).offset(query.offset).limit(query.limit), count


def _conditions(app_id: str, query: ListQuery, dialect: str) -> list[ColumnElement[bool]]:
    """The query's filters as WHERE conditions, the app's scope first."""
    conditions: list[ColumnElement[bool]] = [tenant(PartnerClick, app_id)]
    for name, values in query.text.items():
        column = TEXT.get(name)
        if column is None:
            column = PROFILE_TEXT[name]
        conditions.append(_text_condition(name, column, values, dialect))
    for name, numbers in query.coordinates.items():
        coordinate = COORDINATES[name]
        conditions.append(or_(*(coordinate.between(n - 5e-7, n + 5e-7) for n in numbers)))
    if query.start is not None:
        conditions.append(PartnerClick.time >= query.start)
    if query.end is not None:
        conditions.append(PartnerClick.time < query.end)
    conditions.extend(_flag_conditions(query.flags))
    if "profileName" in query.substrings:
        conditions.append(
            PartnerProfile.full_name_lc.like(_like(query.substrings["profileName"]), escape="\\")
        )
    if "profileContacts" in query.substrings:
        conditions.append(
            exists().where(
                PartnerContact.profile_id == PartnerClick.profile_id,
                tenant(PartnerContact, app_id),
                PartnerContact.value_lc.like(_like(query.substrings["profileContacts"]), escape="\\"),
            )
        )
    return conditions


def _flag_conditions(flags: dict[str, bool]) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if "registration" in flags:
        registered = PartnerClick.profile_id.is_not(None)
        conditions.append(registered if flags["registration"] else PartnerClick.profile_id.is_(None))
    if "bot" in flags:
        conditions.append(PartnerClick.is_bot.is_(flags["bot"]))
    if "unique" in flags:
        conditions.append(PartnerClick.is_unique.is_(flags["unique"]))
    return conditions


def _needs_profile(query: ListQuery) -> bool:
    """Whether a filter or the sort reads the click's profile (joined then)."""
    return (
        any(name in PROFILE_TEXT for name in query.text)
        or "profileName" in query.substrings
        or query.sort_by == "tag"
    )


def _order(query: ListQuery, column: Any) -> list[Any]:
    direction = column.desc() if query.descending else column.asc()
    if query.sort_by not in NOT_NULL:
        direction = direction.nulls_last()
    order = [direction]
    if query.sort_by != "clickId":  # the id breaks ties, so paging is stable (and keyset-friendly)
        order.append(PartnerClick.id.desc() if query.descending else PartnerClick.id.asc())
    return order


def _time_only(query: ListQuery) -> bool:
    """Filtered on time alone and ordered by another click column: the shape ``FEW_MATCHES`` is about.
    (With another filter too, its own index, e.g. (app, country, createTime), serves it and the order.)"""
    others = query.text or query.coordinates or query.flags or query.substrings
    ranged = query.start is not None or query.end is not None
    return ranged and not others and query.sort_by not in ("time", "tag")


def _ranked(page: Select[Any], column: Any, order: list[Any], query: ListQuery, dialect: str) -> Select[Any]:
    """The ids (PostgreSQL: and createTimes) of the page's matches in the page's order, ranked from the
    matches' keys alone: a time range's matches read from the (app, time, id, createTime) index, then
    sorted, where walking the order's index would pass every newer click first (see ``FEW_MATCHES``)."""
    if dialect != "postgresql":  # SQLite takes the time index for the ranged subquery by itself
        return page.with_only_columns(PartnerClick.id).order_by(*order)
    # PostgreSQL, left to itself, walks the order's index backwards and filters on time row by row:
    # OFFSET 0 makes the matches a subquery it plans on its own (an index-only range scan), then sorts.
    keys = (PartnerClick.id, PartnerClick.create_time, column.label("sort_key"))
    matched = page.with_only_columns(*keys).offset(0).subquery("matched")
    first = matched.c.sort_key.desc() if query.descending else matched.c.sort_key.asc()
    if query.sort_by not in NOT_NULL:
        first = first.nulls_last()
    top = select(matched.c.id, matched.c.create_time)
    if query.sort_by == "clickId":
        return top.order_by(first)
    return top.order_by(first, matched.c.id.desc() if query.descending else matched.c.id.asc())
