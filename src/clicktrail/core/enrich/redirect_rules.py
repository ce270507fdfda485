"""Redirect rules: where a visit (a signage scan, a partner link's tracked redirect) is sent, by its
country, device, language, query and time. The families keep their own glue: where rules are declared,
which time zone applies, and what a visit records. Rules are compiled once per config load; a thing
without rules costs a visit nothing, and a visit's user agent and ``Accept-Language`` are only looked at
when a rule asks.

The conditions (docs/signage.md, "Redirect rules"; docs/partners.md, "Link rules"):

- ``country``: the geo-IP country of the visit's address (ISO 3166-1 alpha-2); no country matches none.
- ``device``: ``ios`` (the user agent's operating system is iOS: iPhone, iPad, iPod), ``android``
  (Android), ``desktop`` (a recognised operating system that is neither, and an agent with no ``Mobi`` or
  ``Tablet`` in it). A bot or link previewer is no device at all.
- ``language``: the primary subtag of the ``Accept-Language`` entry with the highest q-value (q > 0; on a
  tie the first listed; ``*`` skipped); no header matches none.
- ``query``: each parameter has the value (one of its values, percent-decoded), or ``*``: is present.
- ``window``: the visit's time is in [from, until), local times of the zone the family names
  (``signage.timezone``, ``partners.timezone``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from ..config.document import StrictModel
from .useragent import parse_user_agent

DEVICES = ("ios", "android", "desktop")
ANY_VALUE = "*"  # a query condition's value: the parameter is present, whatever its value
# ISO 3166-1 alpha-2, officially assigned, and XK (Kosovo), which geo-IP databases use.
_ASSIGNED = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
    BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH
    ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT
    HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS
    LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI
    NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG
    SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
    UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"""
COUNTRIES = frozenset(_ASSIGNED.split())
LANGUAGE = re.compile(r"[a-z]{2,3}")
_MOBILE = re.compile(r"Mobi|Tablet", re.IGNORECASE)
_NO_OS = (None, "Other")


# --- config values ---------------------------------------------------------------------------------------


def country_code(value: str) -> str:
    code = value.upper()
    if code not in COUNTRIES:
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (e.g. DE, GB, US)")
    return code


def language_subtag(value: str) -> str:
    tag = value.lower()
    if not LANGUAGE.fullmatch(tag):
        raise ValueError(
            f"'{value}' is not a primary language subtag (two or three letters, e.g. de, en;"
            " a region such as en-US is not matched)"
        )
    return tag


def zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found (a KeyError), or no zone's name at all
        raise ValueError(f"unknown time zone '{name}' (an IANA name, e.g. Europe/Berlin or UTC)") from None
    return name


def midnight(value: Any) -> Any:
    """A date (YAML reads ``2026-05-01`` as one) is its midnight; anything else is left to the parser."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def no_zone(value: datetime) -> datetime:
    if value.tzinfo is not None:
        raise ValueError("a local date-time without a zone (the rules' timezone applies)")
    return value


def unique_names(rules: list[RedirectRule]) -> list[RedirectRule]:
    seen: dict[str, int] = {}
    problems = []
    for index, rule in enumerate(rules):
        if rule.name in seen:
            problems.append(f"duplicate rule name '{rule.name}' (at [{seen[rule.name]}] and [{index}])")
        seen.setdefault(rule.name, index)
    if problems:
        raise ValueError("; ".join(problems))
    return rules


RuleName = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
Target = Annotated[str, Field(pattern=r"^https?://[^\s/?#]+[^\s]*$", max_length=2048)]
Country = Annotated[str, AfterValidator(country_code)]
Language = Annotated[str, AfterValidator(language_subtag)]
LocalTime = Annotated[datetime, BeforeValidator(midnight), AfterValidator(no_zone)]
QueryKey = Annotated[str, Field(min_length=1, max_length=128)]
QueryValue = Annotated[
    str,
    BeforeValidator(lambda v: str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v),
    Field(max_length=512),
]
TimeZone = Annotated[str, Field(max_length=64), AfterValidator(zone)]


class Window(StrictModel):
    """When a rule applies: local date-times of the rules' time zone; ``from`` inclusive, ``until``
    exclusive, either left out for no bound."""

    model_config = ConfigDict(serialize_by_alias=True)  # stored as written: "from"

    start: Annotated[LocalTime | None, Field(alias="from")] = None
    until: LocalTime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start is None and self.until is None:
            raise ValueError("give from, until or both")
        if self.start is not None and self.until is not None and self.until <= self.start:
            raise ValueError("until must be after from")
        return self


class RedirectRule(StrictModel):
    """Where a visit goes when every condition the rule has holds."""

    name: RuleName
    target: Target
    country: Annotated[list[Country], Field(min_length=1, max_length=300)] | None = None
    device: Annotated[list[Literal["ios", "android", "desktop"]], Field(min_length=1)] | None = None
    language: Annotated[list[Language], Field(min_length=1, max_length=100)] | None = None
    query: Annotated[dict[QueryKey, QueryValue], Field(min_length=1, max_length=20)] | None = None
    window: Window | None = None

    @model_validator(mode="after")
    def _has_a_condition(self) -> RedirectRule:
        if all(getattr(self, name) is None for name in ("country", "device", "language", "query", "window")):
            raise ValueError("a rule needs at least one condition (country, device, language, query, window)")
        return self


# A thing's rules, in order (the first that matches wins), their names unique.
RuleList = Annotated[list[RedirectRule], Field(max_length=100), AfterValidator(unique_names)]


# --- what a visit shows the rules -------------------------------------------------------------------------


class Visit:
    """One visit as the rules see it; the user agent, language and query are parsed on first use only."""

    def __init__(
        self,
        *,
        now: datetime,
        country: str | None = None,
        user_agent: str | None = None,
        accept_language: str | None = None,
        query: str = "",
    ):
        self.now, self.country, self.user_agent = now, country, user_agent
        self.accept_language, self.query = accept_language, query

    @cached_property
    def device(self) -> str | None:
        return device_of(self.user_agent)

    @cached_property
    def language(self) -> str | None:
        return preferred_language(self.accept_language)

    @cached_property
    def params(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key, value in parse_qsl(self.query, keep_blank_values=True):
            found.setdefault(key, []).append(value)
        return found


def device_of(user_agent: str | None) -> str | None:
    """``ios``, ``android``, ``desktop``, or None (a bot, a link previewer, or nothing recognised)."""
    agent = parse_user_agent(user_agent)
    if agent.is_bot:
        return None
    if agent.os == "iOS":
        return "ios"
    if agent.os == "Android":
        return "android"
    if agent.os in _NO_OS or _MOBILE.search(user_agent or ""):
        return None
    return "desktop"


def preferred_language(header: str | None) -> str | None:
    """The primary subtag (lower case) of the header's entry with the highest q-value above 0; on a tie
    the first listed. ``*`` and malformed entries are skipped."""
    best, best_q = None, 0.0
    for entry in (header or "")[:1024].split(","):
        tag, _, params = entry.partition(";")
        primary = tag.strip().split("-", 1)[0].lower()
        if not LANGUAGE.fullmatch(primary):
            continue
        q = _quality(params)
        if q > best_q:
            best, best_q = primary, q
    return best


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


# --- compiled rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    target: str
    countries: frozenset[str] | None = None
    devices: frozenset[str] | None = None
    languages: frozenset[str] | None = None
    query: tuple[tuple[str, str], ...] | None = None
    start: datetime | None = None  # UTC, inclusive
    end: datetime | None = None  # UTC, exclusive

    def matches(self, visit: Visit) -> bool:
        """Every condition the rule has holds (the cheap ones first)."""
        return (
            (self.start is None or visit.now >= self.start)
            and (self.end is None or visit.now < self.end)
            and (self.countries is None or visit.country in self.countries)
            and (self.query is None or all(_has(visit.params, k, v) for k, v in self.query))
            and (self.devices is None or visit.device in self.devices)
            and (self.languages is None or visit.language in self.languages)
        )


def _has(params: dict[str, list[str]], key: str, value: str) -> bool:
    values = params.get(key)
    return values is not None and (value == ANY_VALUE or value in values)


def first_match(rules: tuple[Rule, ...], visit: Visit) -> Rule | None:
    """The first rule the visit matches, in the order given."""
    for rule in rules:
        if rule.matches(visit):
            return rule
    return None


def compile_rules(specs: Sequence[RedirectRule], timezone: str) -> tuple[Rule, ...]:
    """A thing's rules, ready to match. Window bounds become instants: a local
    time that happens twice (autumn) is its first occurrence, one that never happens (spring) is read with
    the offset before the change, so 02:30 is 03:30 summer time (PEP 495, fold=0)."""
    tz = ZoneInfo(timezone)
    return tuple(_compiled(spec, tz) for spec in specs)


def _compiled(spec: RedirectRule, tz: ZoneInfo) -> Rule:
    window = spec.window
    return Rule(
        name=spec.name,
        target=spec.target,
        countries=frozenset(spec.country) if spec.country else None,
        devices=frozenset(spec.device) if spec.device else None,
        languages=frozenset(spec.language) if spec.language else None,
        query=tuple(spec.query.items()) if spec.query else None,
        start=_instant(window.start, tz) if window is not None else None,
        end=_instant(window.until, tz) if window is not None else None,
    )


def _instant(local: datetime | None, tz: ZoneInfo) -> datetime | None:
    return local.replace(tzinfo=tz).astimezone(UTC) if local is not None else None


_STORED = TypeAdapter(list[RedirectRule])


def compile_stored(raw: Any, timezone: str) -> tuple[Rule, ...]:
    """Rules as a family stored them (dumped from ``RedirectRule``), compiled. Raises ``ValidationError`` or
    ``ValueError`` when they no longer load (stored by an older release's model): see ``where``."""
    return compile_rules(_STORED.validate_python(raw), timezone)


def where(exc: Exception) -> str:
    """What a log line says of rules that did not load: the fields, never their values (a rule's query
    values and targets are the app's, not the log's)."""
    if isinstance(exc, ValidationError):
        fields = {".".join(str(part) for part in error["loc"]) for error in exc.errors(include_input=False)}
        return f"invalid {', '.join(sorted(fields))}"
    return type(exc).__name__
