"""What a page's controls ask for, read from its URL: the span (ranges), the time zone (the query, else
the remembered cookie), and the filter (``filter[country]=EE``); and the links that change one of them
while keeping the others, so any view can be shared by its URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from . import ranges

# Groupings with measures of their own: the metrics API has no filter by them (docs/metrics.md), so their
# rows are not links.
UNFILTERED = frozenset({"leave_reason", "question", "status"})


@dataclass(frozen=True)
class Controls:
    span: ranges.Span
    filters: dict[str, str] = field(default_factory=dict)
    tz_chosen: bool = False  # the zone came in the query: remember it
    page: dict[str, str] = field(default_factory=dict)  # the page's own choices every link keeps (``by``)

    def with_range(self, key: str) -> str:
        params = {"range": key, "tz": self.span.tz}
        params.update({f"filter[{k}]": v for k, v in self.filters.items()})
        return "?" + urlencode({**params, **self.page})

    def hidden(self, *keep: str) -> list[tuple[str, str]]:
        """(name, value) of the view's parameters a form keeps: "span", "tz", "filters"."""
        fields = list(self.span.query().items()) if "span" in keep else []
        fields += [("tz", self.span.tz)] if "tz" in keep else []
        fields += [(f"filter[{k}]", v) for k, v in self.filters.items()] if "filters" in keep else []
        return fields + list(self.page.items())

    def with_filter(self, dimension: str, value: Any) -> str:
        """Filter the page by one row too: the filters combine (one of the same dimension is replaced)."""
        return self._link({**self.filters, dimension: "" if value is None else str(value)})

    def here(self) -> str:
        """This view's own query (for its CSV links)."""
        return self._link(self.filters)

    def without_filter(self, dimension: str) -> str:
        return self._link({k: v for k, v in self.filters.items() if k != dimension})

    def _link(self, filters: dict[str, str]) -> str:
        params = {**self.span.query(), "tz": self.span.tz}
        params.update({f"filter[{k}]": v for k, v in filters.items()})
        return "?" + urlencode({**params, **self.page})

    def api_params(self) -> dict[str, str]:
        return {**self.span.params(), **{f"filter[{k}]": v for k, v in self.filters.items()}}

    def remember(self, response: Response, path: str) -> Response:
        """A zone chosen in the page is kept for a year, for every dashboard page."""
        if self.tz_chosen:
            response.set_cookie(
                ranges.TZ_COOKIE, self.span.tz, max_age=365 * 86400, path=path, samesite="strict"
            )
        return response


def read(request: Request) -> Controls:
    """The page's controls from its URL (raises ranges.RangeError for what it cannot use)."""
    query = request.query_params
    chosen = query.get("tz")
    if chosen is not None and len(chosen) > 64:
        raise ranges.RangeError("A time zone name is at most 64 characters.")
    tz = chosen or _remembered(request)
    first, last = query.get("from"), query.get("to")
    legacy = f"{query.get('days')}d"  # links of earlier versions: ?days=7
    key = query.get("range") or (legacy if legacy in ranges.NAMED else None)
    span = ranges.span(key, first, last, tz)
    filters = {
        key[len("filter[") : -1]: value[:256]
        for key, value in query.multi_items()
        if key.startswith("filter[") and key.endswith("]")
    }
    return Controls(span, filters, tz_chosen=bool(chosen))


def _remembered(request: Request) -> str:
    """The cookie's zone; one no longer known (or tampered with) is forgotten, not an error page."""
    name = request.cookies.get(ranges.TZ_COOKIE) or "UTC"
    try:
        ranges.zone(name[:64])
    except ranges.RangeError:
        return "UTC"
    return name[:64]
