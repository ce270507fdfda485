"""The instants a client may send: between 1970 and the end of 9998 once in UTC. Earlier has no meaning
for a click or a purchase (and the loyalty history counts from the epoch); the year left before 9999 keeps
every later step (an offset, an exclusive end one unit later, a window) inside what ``datetime`` holds."""

from __future__ import annotations

from datetime import UTC, datetime

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
OUT_OF_RANGE = "must lie between 1970-01-01T00:00:00Z and 9998-12-31T23:59:59Z"


def in_utc(value: datetime) -> datetime:
    """``value`` in UTC (a naive value is read as UTC); ValueError outside the accepted range."""
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (OverflowError, ValueError):  # the offset moves it past year 1 or 9999
        raise ValueError(OUT_OF_RANGE) from None
    if not EARLIEST <= utc <= LATEST:
        raise ValueError(OUT_OF_RANGE)
    return utc
