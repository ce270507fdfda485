"""The instants a client may send: between 1970 and the end of 9998 once in UTC. Earlier has no meaning
for a click or a purchase (and the loyalty history counts from the epoch); the year left before 9999 keeps
every later step (an offset, an exclusive end one unit later, a window) inside what ``datetime`` holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
OUT_OF_RANGE = "must lie between 1970-01-01T00:00:00Z and 9998-12-31T23:59:59Z"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NOT_ISO = "must be an ISO 8601 date-time string, e.g. 2024-03-12T09:30:00+00:00"


def iso_only(value: object) -> object:
    """Before a body's date-time is parsed: the vendors' contracts send ISO 8601 strings, so a number (whose
    unit, seconds or milliseconds, the parser would guess) or a word is refused, not read as an instant."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.match(value):
        return value
    raise ValueError(NOT_ISO)


def in_utc(value: datetime) -> datetime:
    """``value`` in UTC (a naive value is read as UTC); ValueError outside the accepted range."""
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):  # the offset moves it past year 1 or 9999
        raise ValueError(OUT_OF_RANGE) from None
    if not EARLIEST <= utc <= LATEST:
        raise ValueError(OUT_OF_RANGE)
    return utc
