"""The dashboard's date controls, as Plausible has them: named ranges (today, yesterday, 24 h, 7/30/90
days, month to date, last month, all time) or a custom one (``from``/``to`` dates), in a time zone chosen
in the page and remembered in a cookie, and the previous period of the same length to compare with.

A span is only the ``from``/``to``/``tz`` the metrics API is called with: the figures stay the API's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

TZ_COOKIE = "clicktrail_tz"
ALL_TIME_DAYS = 3650  # "all time" asks the API for ten years (its longest range is a little more)
NAMED = {
    "today": "Today",
    "yesterday": "Yesterday",
    "24h": "Last 24 hours",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "month": "Month to date",
    "last-month": "Last month",
    "all": "All time",
}
DEFAULT = "30d"


class RangeError(ValueError):
    """A range, date or time zone the page cannot use (shown as a 400 page with this text)."""


@dataclass(frozen=True)
class Span:
    key: str  # a NAMED key or "custom"
    begin: datetime  # UTC, inclusive
    stop: datetime  # UTC, exclusive
    tz: str
    first: str = ""  # the custom range's dates, as typed (for the date inputs)
    last: str = ""

    def params(self) -> dict[str, str]:
        """The metrics API's ``from``/``to``/``tz`` for this span."""
        return {"from": self.begin.isoformat(), "to": self.stop.isoformat(), "tz": self.tz}

    def previous(self) -> Span | None:
        """The period of the same length just before (none for all time: there is nothing before it)."""
        if self.key == "all":
            return None
        length = self.stop - self.begin
        return Span("previous", self.begin - length, self.begin, self.tz)

    @property
    def partial(self) -> bool:
        """Its last day is still running: it ends now, not at a midnight of its zone."""
        local = self.stop.astimezone(ZoneInfo(self.tz))
        return (local.hour, local.minute, local.second) != (0, 0, 0)

    @property
    def label(self) -> str:
        return NAMED.get(self.key) or f"{self.first} to {self.last}"

    def query(self) -> dict[str, str]:
        """The page's own query for this span (kept in every link that changes something else)."""
        if self.key == "custom":
            return {"from": self.first, "to": self.last}
        return {"range": self.key}


@lru_cache(maxsize=1)
def zones() -> list[str]:
    return sorted(available_timezones() | {"UTC"})


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RangeError(f"Unknown time zone '{name}' (an IANA name, e.g. Europe/Berlin or UTC).") from None


def span(
    key: str | None, first: str | None, last: str | None, tz: str, *, now: datetime | None = None
) -> Span:
    """The span the page shows: a custom range when ``from`` or ``to`` is given, else a named one."""
    where = zone(tz)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    if first or last:
        return _custom(first or "", last or "", where, tz, now)
    key = key or DEFAULT
    if key not in NAMED:
        raise RangeError(f"Unknown range '{key}' (expected one of {', '.join(NAMED)}, or from/to dates).")
    today = now.astimezone(where).date()
    begin, stop = _named(key, today, where, now)
    return Span(key, begin, stop, tz)


def _named(key: str, today: date, where: ZoneInfo, now: datetime) -> tuple[datetime, datetime]:
    midnight = _midnight(today, where)
    if key == "today":
        return midnight, now
    if key == "yesterday":
        return _midnight(today - timedelta(days=1), where), midnight
    if key == "24h":
        return now - timedelta(hours=24), now
    if key == "month":
        return _midnight(today.replace(day=1), where), now
    if key == "last-month":
        this_month = today.replace(day=1)
        return _midnight((this_month - timedelta(days=1)).replace(day=1), where), _midnight(this_month, where)
    days = ALL_TIME_DAYS if key == "all" else int(key.removesuffix("d"))
    return _midnight(today - timedelta(days=days - 1), where), now


def _custom(first: str, last: str, where: ZoneInfo, tz: str, now: datetime) -> Span:
    today = now.astimezone(where).date()
    start = _date("from", first) if first else today - timedelta(days=29)
    end = _date("to", last) if last else today
    if start > end:
        raise RangeError(f"The range starts ({start}) after it ends ({end}).")
    if (end - start).days >= ALL_TIME_DAYS:
        raise RangeError(f"A range is at most {ALL_TIME_DAYS} days.")
    stop = min(_midnight(end + timedelta(days=1), where), max(now, _midnight(start, where) + timedelta(1)))
    return Span("custom", _midnight(start, where), stop, tz, start.isoformat(), end.isoformat())


def _date(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RangeError(f"{name}: '{value}' is not a date (YYYY-MM-DD).") from None


def _midnight(day: date, where: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=where).astimezone(UTC)


def change(current: float | None, before: float | None, measure: str) -> tuple[str, str]:
    """(text, direction) of a figure's change against the previous period: percent for counts, points
    for rates; direction is "up", "down" or "flat" (for the colour)."""
    if current is None or before is None:
        return "", "flat"
    if measure.endswith("_rate"):
        points = (float(current) - float(before)) * 100
        return f"{points:+.1f} pt", _direction(points)
    if not before:
        return ("new", "up") if current else ("0 %", "flat")
    percent = (float(current) - float(before)) / float(before) * 100
    return f"{percent:+.0f} %", _direction(percent)


def _direction(delta: float) -> str:
    return "up" if delta > 0 else "down" if delta < 0 else "flat"
