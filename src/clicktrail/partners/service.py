"""The rules of partner clicks: record (with enrichment and verdicts), read, list, register a profile,
delete. Every public function owns its transaction and appends its journey event inside it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_plus, urlsplit, urlunsplit

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.enrich import attribution
from ..core.enrich.geo import NOWHERE, GeoResolver, GeoResult
from ..core.enrich.redirect_rules import Rule, Visit, first_match
from ..core.enrich.useragent import UserAgent, parse_user_agent
from ..core.enrich.verdicts import LIMITS
from ..core.journeys.events import append_event, record_event
from ..core.journeys.log import JourneyEvent
from ..core.journeys.outbox import enqueue
from ..core.journeys.privacy import anonymize_ip as anonymized
from ..core.storage.db import table_of
from ..core.storage.ids import new_object_id, utcnow
from ..core.storage.writer import LockedRows, Read, Tx, Writer
from ..core.tenancy.apps import tenant
from ..core.web.errors import Gone, InvalidInput, NotFound, Unprocessable
from . import postbacks, profiles
from .link_metrics import link_metrics
from .links import BannerRow, Catalog, LinkRow
from .listing import ListQuery, build_select
from .models import PartnerClick, PartnerContact, PartnerLink, PartnerProfile
from .privacy import FAMILY, redact_click_ids
from .rollup_measures import carried, stored
from .schemas import (
    REGISTRATION_FIELDS,
    click_view,
    contact_view,
    created_payload,
    link_view,
    profile_view,
    traffic_view,
)
from .verdicts import RecentVisitors, judge, lookup_floor

CLICKS = table_of(PartnerClick)


def uri_attribution(uri: str) -> dict[str, str | None]:
    """A click row's attribution columns, read off its URI as every family reads a URL (None: not given)."""
    return attribution.columns(attribution.from_uri(uri))


def _ms(value: datetime) -> datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def _ua_hash(user_agent: str | None) -> str:
    return hashlib.sha256((user_agent or "").encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Recorded:
    view: dict[str, Any]
    created: bool  # False: a retry with the uuid of a click already recorded
    rule: str | None = None  # the link rule a tracked redirect followed
    limited: str | None = None  # past its link's limit: "expired" or "limit_reached"


@dataclass(frozen=True, slots=True)
class ClickInput:
    ip: str | None  # None: a tracked redirect's caller with no address (a Unix socket)
    uri: str
    locale: str | None = None
    referrer: str | None = None
    at: datetime | None = None
    user_agent: str | None = None
    uuid: str | None = None


async def record_click(
    writer: Writer,
    cat: Catalog,
    geo: GeoResolver,
    *,
    app_id: str,
    click: ClickInput,
    anonymize_ip: bool = False,
    redirect: Redirect | None = None,
) -> Recorded:
    """Record a page view: enrich it (UTM, geo, link and banner, agent), then hand it to the writer, which
    gives it a verdict (kept with the click, never used to drop it) and commits it with its event. A click
    ``uuid`` recorded before raises ``IntegrityError``: the caller answers with that click instead.
    ``anonymize_ip`` stores the address cut to its network; geo and the blocklist see the full address,
    the visitor key of the verdicts the stored one (see ``core.privacy``). ``redirect``: the click is a
    visit of that link's tracked redirect, which follows the first of its rules the visit matches (none
    when the link is past its limits); the rule is kept with the click and its event."""
    agent = parse_user_agent(click.user_agent)
    row = _click_row(app_id, cat, geo, click, agent, redirect.link if redirect is not None else None)
    matched = _matched_rule(redirect, row, click.user_agent) if redirect is not None else None
    blocked = cat.blocked(click.ip, row["country_code"])
    if anonymize_ip and click.ip:
        row["ip"] = anonymized(click.ip)
    visitors = _visitors(writer)
    link = cat.links_by_id.get(row["link_id"]) if row["link_id"] else None
    counter = Read(_LINKS, app_id, link.id) if link is not None and link.max_clicks else None
    key = (app_id, row["link_id"], row["ip"], row["ua_hash"])
    window = cat.duplicate_window_seconds
    floor = lookup_floor(row["time"], window)
    visitors.expect(key, floor)

    def job(tx: Tx) -> dict[str, Any]:
        at = row["time"]
        limited = _limited(tx, link, counter, now=row["create_time"])
        last_seen = visitors.last_seen(tx, key, floor=floor, at=at)
        verdict = judge(
            at=at,
            last_seen=last_seen,
            window_seconds=window,
            blocked=blocked,
            agent=agent,
            orphan=row["link_id"] is None,
            limited=limited,
        )
        row.update(verdict=verdict.verdict, verdict_reason=verdict.reason, is_unique=verdict.unique)
        row["rule"] = matched.name if matched is not None and limited is None else None
        tx.insert(CLICKS, row)
        append_event(
            tx,
            app_id=app_id,
            family=FAMILY,
            journey_id=row["id"],
            type="click.created",
            payload=created_payload(row),
            at=row["create_time"],
        )
        return row

    saved = await writer.submit(job, reads=(counter,) if counter is not None else ())
    limited = saved["verdict"] if saved["verdict"] in LIMITS else None  # a limit's verdict comes first
    return Recorded(click_view(SimpleNamespace(**saved)), created=True, rule=saved["rule"], limited=limited)


# --- the tracked redirect -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Redirect:
    """A visit of a link's tracked redirect: what only its rules read of the request."""

    link: LinkRow
    query: str = ""  # the visit's raw query string
    accept_language: str | None = None


def _matched_rule(redirect: Redirect, row: dict[str, Any], user_agent: str | None) -> Rule | None:
    if not redirect.link.rules:  # a link without rules costs a visit nothing more
        return None
    visit = Visit(
        now=row["create_time"],
        country=row["country_code"],
        user_agent=user_agent,
        accept_language=redirect.accept_language,
        query=redirect.query,
    )
    return first_match(redirect.link.rules, visit)


async def follow_link(
    writer: Writer,
    cat: Catalog,
    geo: GeoResolver,
    *,
    app_id: str,
    click: ClickInput,
    redirect: Redirect,
    anonymize_ip: bool = False,
) -> str:
    """Record a visit of the link's tracked redirect as the click API records a click (its ``uri``: the
    link's with the visit's query) and return where it goes: the target of the first rule it matches,
    else the link's uri, the visit's query carried either way. Past the link's limits: the app's
    fallback URL as is, else ``Gone`` (410), the click recorded with its verdict all the same."""
    recorded = await record_click(
        writer, cat, geo, app_id=app_id, click=click, anonymize_ip=anonymize_ip, redirect=redirect
    )
    if recorded.limited is not None:
        return past_limit(recorded.limited, cat.fallback_url)
    rule = next((r for r in redirect.link.rules if r.name == recorded.rule), None)
    return carry_query(rule.target if rule is not None else redirect.link.uri, redirect.query)


GONE = {  # a limit's verdict → the 410's message and its linkId error
    "expired": ("Link expired", "expired"),
    "limit_reached": ("Link click limit reached", "click limit reached"),
}


def gone(limited: str) -> Gone:
    """The answer to a visit of a link past its limit ("expired", "limit_reached") when the app has no
    fallback URL."""
    message, reason = GONE[limited]
    return Gone(message, details={"fields": {"linkId": [reason]}})


def past_limit(limited: str, fallback_url: str | None) -> str:
    """Where a visit of a link past its limit goes: the app's fallback URL; without one, 410."""
    if fallback_url:
        return fallback_url
    raise gone(limited)


MAX_URI = 2048  # partner_clicks.uri, as the click API's


def carry_query(url: str, query: str) -> str:
    """``url`` with the visit's query parameters added after its own (byte for byte), but for those it
    already names: a link's own parameters (its referral) are never the visitor's to change."""
    parts = urlsplit(url)
    own = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    added = [p for p in query.split("&") if p and unquote_plus(p.partition("=")[0]) not in own]
    if not added:
        return url
    return urlunsplit(parts._replace(query="&".join(filter(None, [parts.query, *added]))))


def visit_uri(link: LinkRow, query: str) -> str:
    """The uri a tracked redirect's click records: the link's, with the visit's query (UTM fields kept).
    Refused (400) when it would not fit the click's ``uri``, or a value holds a NUL (no engine's text
    keeps one alike)."""
    uri = carry_query(link.uri, query)
    if len(uri) > MAX_URI:
        raise InvalidInput(
            f"the query is too long: the click's uri would be over {MAX_URI} characters",
            details={"fields": {"query": ["too long"]}},
        )
    if any("\x00" in key + value for key, value in parse_qsl(query, keep_blank_values=True)):
        raise InvalidInput(
            "the query must not contain a NUL character", details={"fields": {"query": ["NUL"]}}
        )
    return uri


# Built once: the counters of a batch's limited links are read (and locked) by one statement.
_LINKS = LockedRows(
    select=select(PartnerLink.id, PartnerLink.clicks_used, PartnerLink.max_clicks)
    .where(tenant(PartnerLink, bindparam("app")), PartnerLink.id.in_(bindparam("ids", expanding=True)))
    .order_by(PartnerLink.id)
    .with_for_update(),
    update=update(PartnerLink).where(
        tenant(PartnerLink, bindparam("app")), PartnerLink.id == bindparam("row_id")
    ),
)


def _limited(tx: Tx, link: LinkRow | None, counter: Read | None, *, now: datetime) -> str | None:
    """The verdict of a click past its link's limit ("expired", "limit_reached"); else None, and the click
    is counted against the link's ``max_clicks`` (the row is locked until the batch commits, so processes
    never let more through). The limit is the stored one: a change applied since the catalog was cached
    counts at once."""
    if link is None:
        return None
    if link.expires_at is not None and now >= link.expires_at:
        return "expired"
    used = tx.read(counter) if counter is not None else None
    if counter is None or used is None or used["max_clicks"] is None:
        return None
    if used["clicks_used"] >= used["max_clicks"]:
        return "limit_reached"
    tx.update(counter, {"clicks_used": used["clicks_used"] + 1})
    return None


def _visitors(writer: Writer) -> RecentVisitors:
    visitors = writer.state.get("partners.visitors")
    if visitors is None:
        visitors = writer.state["partners.visitors"] = RecentVisitors()
    return visitors


def _click_row(
    app_id: str,
    cat: Catalog,
    geo: GeoResolver,
    click: ClickInput,
    agent: UserAgent,
    followed: LinkRow | None = None,
) -> dict[str, Any]:
    """The click's row; ``followed``: the link whose tracked redirect the click came through (its banner,
    when the query names one, only if it is that link's)."""
    now = _ms(utcnow())
    link, banner = cat.resolve(click.uri)
    if followed is not None and link is not followed:
        link, banner = followed, (banner if banner is not None and banner.link_id == followed.id else None)
    located = geo.lookup(click.ip) if click.ip else NOWHERE
    fields = uri_attribution(click.uri)
    return {
        "id": new_object_id(),
        "app_id": app_id,
        "time": _ms(click.at) if click.at is not None else now,
        "referrer": click.referrer,
        "ip": click.ip,
        "uri": click.uri,
        "user_agent": click.user_agent,
        "ua_hash": _ua_hash(click.user_agent),
        "locale": click.locale,
        "uuid": click.uuid,
        **fields,
        **stored(fields, click.referrer),  # what the metrics count it under, kept past retention
        "profile_id": None,
        "link_id": link.id if link is not None else None,
        **enrichment(banner, located, agent),
        "rule": None,
        "registered_time": None,
        "create_time": now,
        "update_time": now,
        "deleted_time": None,
    }


def enrichment(banner: BannerRow | None, located: GeoResult, agent: UserAgent) -> dict[str, Any]:
    """A click row's columns from its banner, its place and its user agent."""
    return {
        "banner_id": banner.id if banner else None,
        "banner_name": banner.name if banner else None,
        "banner_cdn_file_url": banner.cdn_file_url if banner else None,
        "latitude": located.latitude,
        "longitude": located.longitude,
        "city": located.city,
        "country_code": located.country_code,
        "country_name": located.country_name,
        "browser": agent.browser,
        "browser_version": agent.browser_version,
        "os": agent.os,
        "os_version": agent.os_version,
        "device": agent.device,
        "is_bot": agent.is_bot,
    }


def click_by_uuid(session: Session, *, app_id: str, uuid: str) -> Recorded:
    """The click a retry's uuid names (``record_click`` found it taken)."""
    with session.begin():
        existing = session.scalar(
            select(PartnerClick).where(tenant(PartnerClick, app_id), PartnerClick.uuid == uuid)
        )
        if existing is None:  # deleted in between
            raise Unprocessable(
                "a click with this uuid was just deleted", details={"fields": {"uuid": ["taken"]}}
            )
        return Recorded(click_view(existing), created=False)


def _get(session: Session, app_id: str, click_id: str) -> PartnerClick:
    click = session.scalar(
        select(PartnerClick).where(tenant(PartnerClick, app_id), PartnerClick.id == click_id)
    )
    if click is None:
        raise NotFound("Click not found", details={"fields": {"clickId": ["not found"]}})
    return click


def get_click(session: Session, *, app_id: str, click_id: str, embeds: frozenset[str]) -> dict[str, Any]:
    with session.begin():
        click = _get(session, app_id, click_id)
        return _with_embeds(session, app_id, [click], embeds)[0]


def list_clicks(session: Session, *, app_id: str, query: ListQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of clicks (with embeds) and the total number of matches."""
    dialect = session.get_bind().dialect.name
    with session.begin():  # the count first: how many match picks the page's shape
        total = session.scalar(build_select(app_id, query, dialect)[1]) or 0
        if total <= query.offset:
            return [], total
        page, _ = build_select(app_id, query, dialect, matches=total)
        clicks = list(session.scalars(page))
        return _with_embeds(session, app_id, clicks, query.embeds), total


def _with_embeds(
    session: Session, app_id: str, clicks: list[PartnerClick], embeds: frozenset[str]
) -> list[dict[str, Any]]:
    """Click views plus the asked embeds, each loaded once for the whole page (no query per click)."""
    views = [click_view(c) for c in clicks]
    if not embeds or not clicks:
        return views
    link_ids = sorted({c.link_id for c in clicks if c.link_id})
    profile_ids = sorted({c.profile_id for c in clicks if c.profile_id})
    links: dict[str, Any] = {}
    if "link" in embeds and link_ids:
        links = {
            link.id: link_view(link)
            for link in session.scalars(
                select(PartnerLink).where(tenant(PartnerLink, app_id), PartnerLink.id.in_(link_ids))
            )
        }
    metrics = link_metrics(session, app_id=app_id, link_ids=link_ids) if "metrics" in embeds else {}
    found_profiles: dict[str, Any] = {}
    if "profile" in embeds and profile_ids:
        found_profiles = {
            p.id: profile_view(p)
            for p in session.scalars(
                select(PartnerProfile).where(
                    tenant(PartnerProfile, app_id), PartnerProfile.id.in_(profile_ids)
                )
            )
        }
    contacts: dict[str, list[dict[str, Any]]] = {}
    if "contacts" in embeds and profile_ids:
        for contact in session.scalars(
            select(PartnerContact)
            .where(tenant(PartnerContact, app_id), PartnerContact.profile_id.in_(profile_ids))
            .order_by(PartnerContact.profile_id, PartnerContact.position)
        ):
            contacts.setdefault(contact.profile_id, []).append(contact_view(contact))
    for view, click in zip(views, clicks, strict=True):
        if "link" in embeds:
            view["link"] = links.get(click.link_id) if click.link_id else None
        if "metrics" in embeds:
            view["metrics"] = metrics.get(click.link_id) if click.link_id else None
        if "profile" in embeds:
            view["profile"] = found_profiles.get(click.profile_id) if click.profile_id else None
        if "contacts" in embeds:
            view["contacts"] = contacts.get(click.profile_id, []) if click.profile_id else None
        if "traffic" in embeds:
            view["traffic"] = traffic_view(click)
    return views


def register(
    session: Session,
    *,
    app_id: str,
    click_id: str,
    profile: dict[str, Any],
    partial: bool,
    fields_at: str = "profile.",
) -> dict[str, Any]:
    """Attach the registered client's profile to a click (PUT: the whole profile; PATCH: part of it).
    The first registration of a click notifies the link's postback URL through the outbox; a later one
    replaces the profile's data. A PATCH only amends a profile the click has: on a click without one it
    registers only when it names what PUT needs (and then does as PUT), else it is refused and changes
    nothing. ``fields_at`` is where the body keeps the profile's fields, for naming them in errors."""
    now = _ms(utcnow())
    try:
        with session.begin():
            click = _lock_click(session, app_id, click_id, now)
            previous = click.profile_id
            if partial and previous is None:
                _check_registration(profile, fields_at)
                partial = False
            saved = profiles.save(
                session,
                app_id=app_id,
                current_id=previous,
                data=profile,
                partial=partial,
                country=(click.country_code, click.country_name),
                now=now,
            )
            first = _attach_profile(session, app_id, click_id, saved.id, previous, now)
            if previous and previous != saved.id:
                profiles.drop_if_orphan(session, app_id=app_id, profile_id=previous)
            _record_registration(session, click, saved, first=first, at=now)
            if first:
                _queue_postback(session, app_id=app_id, click=click, profile_id=saved.id)
            session.refresh(click)
            return click_view(click)
    except IntegrityError as exc:
        raise Unprocessable(
            "the profile uuid is being registered by another request; retry",
            details={"fields": {"profile.uuid": ["conflict"]}},
        ) from exc


def _lock_click(session: Session, app_id: str, click_id: str, now: datetime) -> PartnerClick:
    """The click, locked first (a no-op UPDATE), so two registrations of one click take turns."""
    locked = session.execute(
        update(PartnerClick)
        .where(tenant(PartnerClick, app_id), PartnerClick.id == click_id)
        .values(update_time=now)
    )
    if locked.rowcount != 1:  # type: ignore[attr-defined]  # DML gives a CursorResult
        raise NotFound("Click not found", details={"fields": {"clickId": ["not found"]}})
    click = _get(session, app_id, click_id)
    session.refresh(click)
    return click


def _attach_profile(
    session: Session, app_id: str, click_id: str, profile_id: str, previous: str | None, now: datetime
) -> bool:
    """Point the click at its saved profile; True when this is the click's first registration."""
    first = session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
        update(PartnerClick)
        .where(
            tenant(PartnerClick, app_id),
            PartnerClick.id == click_id,
            PartnerClick.profile_id.is_(None),
        )
        .values(profile_id=profile_id, registered_time=now)
    ).rowcount
    if not first and previous != profile_id:
        session.execute(
            update(PartnerClick)
            .where(tenant(PartnerClick, app_id), PartnerClick.id == click_id)
            .values(profile_id=profile_id)
        )
    return bool(first)


def _record_registration(
    session: Session, click: PartnerClick, saved: PartnerProfile, *, first: bool, at: datetime
) -> None:
    record_event(
        session,
        app_id=click.app_id,
        family=FAMILY,
        journey_id=click.id,
        type="click.registered" if first else "profile.updated",
        user_id=saved.id,
        payload={
            "click_id": click.id,
            "link_id": click.link_id,
            "country_code": click.country_code,
            "profile_country_code": saved.country_code,
            "enabled": saved.enabled,
            **carried(click),  # counted under the click's dimensions (metrics)
            # and shown on the person's timeline (the click's own event has no person yet)
            **attribution.given({name: getattr(click, name) for name in attribution.FIELDS}),
        },
        at=at,
    )


def _check_registration(profile: dict[str, Any], fields_at: str) -> None:
    missing = [name for name in REGISTRATION_FIELDS if profile.get(name) is None]
    if missing:
        raise Unprocessable(
            f"the click has no profile yet: registering it needs {', '.join(missing)} (as PUT does)",
            details={"fields": {fields_at + name: ["required to register the click"] for name in missing}},
        )


def _queue_postback(session: Session, *, app_id: str, click: PartnerClick, profile_id: str) -> None:
    if not click.link_id:
        return
    template = session.scalar(
        select(PartnerLink.postback_url).where(tenant(PartnerLink, app_id), PartnerLink.id == click.link_id)
    )
    if not template:
        return
    values = {
        "click_id": click.id,
        "profile_id": profile_id,
        "link_id": click.link_id,
        "banner_id": click.banner_id,
        **{name: getattr(click, name) for name in attribution.FIELDS},
    }
    url = template.format(**{k: quote(v or "", safe="") for k, v in values.items()})
    enqueue(session, app_id=app_id, topic=postbacks.TOPIC, url=url, method="GET")


def delete_click(session: Session, *, app_id: str, click_id: str) -> None:
    """Delete the click with its personal data: the row (ip, user agent, click ids, profile link), its
    profile when no other click uses it, and the profile id and ad click ids on its events (which stay, as
    the metrics counted them; their ``ad_network`` stays with them)."""
    with session.begin():
        click = _get(session, app_id, click_id)
        profile_id = click.profile_id
        session.execute(delete(PartnerClick).where(tenant(PartnerClick, app_id), PartnerClick.id == click_id))
        if profile_id:
            profiles.drop_if_orphan(session, app_id=app_id, profile_id=profile_id)
        session.execute(
            update(JourneyEvent)
            .where(
                tenant(JourneyEvent, app_id),
                JourneyEvent.family == FAMILY,
                JourneyEvent.journey_id == click_id,
            )
            .values(user_id=None)
        )
        redact_click_ids(session, app_id, [click_id])
        record_event(
            session,
            app_id=app_id,
            family=FAMILY,
            journey_id=click_id,
            type="click.deleted",
            payload={"click_id": click_id, "link_id": click.link_id, "registered": profile_id is not None},
        )
