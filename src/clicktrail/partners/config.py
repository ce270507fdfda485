"""The ``partners`` section of the config document: referral links with their banners and postbacks,
the duplicate window, the blocklist and the fallback of links past their limits."""

from __future__ import annotations

import ipaddress
import string
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, AwareDatetime, Field

from ..core.config.document import SECRET, SECRET_QUERY, StrictModel, find_duplicates
from ..core.enrich import attribution
from ..core.enrich.redirect_rules import RuleList, Target, TimeZone
from ..core.journeys.outbound import outbound_url

# A postback's placeholders: the click's ids and every attribution field of its URI (an affiliate network
# passes its own click id as a sub-id and expects it back in the postback).
POSTBACK_FIELDS = ("click_id", "profile_id", "link_id", "banner_id", *attribution.FIELDS)

ObjectId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http(s) URL")
    return value


def _postback(value: str) -> str:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:
        raise ValueError(f"bad template: {exc}") from exc
    unknown = sorted({n for n in names if n not in POSTBACK_FIELDS})
    if unknown:
        known = ", ".join("{" + f + "}" for f in POSTBACK_FIELDS)
        raise ValueError(f"unknown placeholder {{{unknown[0]}}} (known: {known})")
    return outbound_url(_http_url(value))


def _network(value: str) -> str:
    try:
        return str(ipaddress.ip_network(value, strict=False))
    except ValueError as exc:
        raise ValueError(f"'{value}' is not an IP address or CIDR range") from exc


def _country(value: str) -> str:
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        raise ValueError(f"'{value}' is not an ISO 3166 alpha-2 country code")
    return value.upper()


HttpUrl = Annotated[str, Field(max_length=2048), AfterValidator(_http_url)]


class BannerSpec(StrictModel):
    id: ObjectId
    name: Annotated[str, Field(min_length=1, max_length=255)]
    cdn_file_url: HttpUrl | None = None


class LinkSpec(StrictModel):
    id: ObjectId
    uri: HttpUrl
    name: Annotated[str, Field(max_length=255)] | None = None
    banners: list[BannerSpec] = []
    # Called (GET) once when a click of this link first registers; placeholders are percent-encoded.
    postback_url: Annotated[str, Field(max_length=2048), AfterValidator(_postback)] | None = Field(
        default=None, json_schema_extra=SECRET_QUERY
    )
    # Limits: a click past expires_at (ISO 8601 with a zone), or once max_clicks clicks were let through,
    # is still recorded, with the verdict "expired" or "limit_reached"; its tracked redirect then sends the
    # visit to the app's fallback_url, else answers 410 (docs/partners.md).
    expires_at: AwareDatetime | None = None
    max_clicks: Annotated[int, Field(ge=1, le=2**62)] | None = None
    # Where the link's tracked redirect (GET /partners/go/{app}/{link}) sends a visit: the first rule whose
    # conditions all hold (core.enrich.redirect_rules), else the uri (docs/partners.md, "Link rules").
    rules: RuleList = []


class Blocklist(StrictModel):
    networks: list[Annotated[str, AfterValidator(_network)]] = []
    countries: list[Annotated[str, AfterValidator(_country)]] = []


class PartnersConfig(StrictModel):
    links: list[LinkSpec] = []
    # A click repeating the ip + user agent of an earlier click on the same link within this many
    # seconds is kept with the verdict "duplicate".
    duplicate_window_seconds: Annotated[int, Field(ge=0, le=30 * 86400)] = 1800
    # The zone of the link rules' windows (an IANA name).
    timezone: TimeZone = "UTC"
    blocklist: Blocklist = Blocklist()
    # Where the tracked redirect of a link past its expires_at or max_clicks sends a visit (302, as is);
    # without it, such a visit is answered 410 Gone. The click is recorded either way.
    fallback_url: Target | None = None
    # Signs every postback of the app (X-Clicktrail-Signature, as webhooks are: docs/signatures.md); kept
    # as given, never shown. Without it postbacks are sent unsigned.
    postback_secret: Annotated[str, Field(min_length=8, max_length=255)] | None = Field(
        default=None, json_schema_extra=SECRET
    )


def duplicate_ids(section: PartnersConfig) -> list[tuple[str, str]]:
    """Repeated link ids, and banner ids repeated anywhere in the section (paths relative to it)."""
    problems = find_duplicates([link.id for link in section.links], path="links", key="id", what="link id")
    seen: dict[str, str] = {}
    for i, link in enumerate(section.links):
        for j, banner in enumerate(link.banners):
            path = f"links[{i}].banners[{j}].id"
            if banner.id in seen:
                problems.append((path, f"duplicate banner id '{banner.id}' (also {seen[banner.id]})"))
            seen.setdefault(banner.id, path)
    return problems
