"""Seeding: many realistic clicks for an existing app, written in bulk (COPY on PostgreSQL, batched
``executemany`` on SQLite), each with the ``click.created`` event the real path appends.

Clicks are spread over the last ``days`` and made in time order, so their verdicts and unique flags come
from the same ``judge`` as live clicks (a pool of visitors that come back, some within the duplicate
window), and their ObjectIds are built from each click's own time, so ids stay time-ordered."""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import JSON, Connection, Engine, Table, select
from sqlalchemy.orm import Session

from ..core.enrich.geo import GeoResolver, GeoResult, is_public
from ..core.enrich.useragent import UserAgent, parse_user_agent
from ..core.journeys import rollups
from ..core.journeys.events import event_row
from ..core.journeys.log import JourneyEvent
from ..core.storage.db import table_of
from ..core.storage.ids import utcnow
from ..core.storage.writer import _bulk_insert
from ..core.tenancy.apps import App, tenant
from ..core.web.errors import NotFound
from .links import BannerRow, Catalog, load_catalog
from .models import PartnerLink
from .rollup_measures import MEASURES, stored
from .schemas import created_payload
from .service import CLICKS, FAMILY, _ms, _ua_hash, enrichment, uri_attribution
from .verdicts import Verdict, judge

BATCH = 10_000
EVENTS = table_of(JourneyEvent)
AGENTS = (  # (user agent, weight): mostly browsers, a few crawlers and link previews
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Safari/537.36",
        30,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Mobile/15E148 Safari/604.1",
        25,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36",
        20,
    ),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0", 8),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Safari/605.1.15",
        12,
    ),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 3),
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", 2),
)
SOURCES = ("google", "youtube.com", "twitter.com", "newsletter", "facebook")
MEDIUMS = ("cpc", "banner", "email", "social")
CAMPAIGNS = tuple(f"c{n}" for n in range(1, 10))
REFERRERS = (None, "https://twitter.com", "https://www.google.com/", "https://www.youtube.com/")
LOCALES = (None, "en-US", "de-DE", "fr-FR", "es-ES", "pt-BR")
REPEAT = 0.05  # share of clicks that repeat the previous visitor seconds later (duplicates)


@dataclass
class Seeded:
    clicks: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.clicks / self.seconds if self.seconds else 0.0


def object_id(at: datetime, machine: bytes, counter: int) -> str:
    """An ObjectId of the time ``at``: 4 bytes of Unix seconds, 5 per-run bytes, a 3-byte counter."""
    return (int(at.timestamp()).to_bytes(4, "big") + machine + (counter & 0xFFFFFF).to_bytes(3, "big")).hex()


def _random_ipv4(rng: random.Random) -> str:
    while True:
        ip = f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        if is_public(ip):
            return ip


def generate(
    app_id: str,
    cat: Catalog,
    link_uris: dict[str, str],
    count: int,
    *,
    days: int,
    seed: int | None,
    geo: GeoResolver,
    now: datetime | None = None,
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """``count`` (click row, event row) pairs, oldest first, as ``record_click`` would have written them
    for clicks on the app's links (``link_uris``: id → configured URI)."""
    if not link_uris:
        raise NotFound(f"app {app_id!r} has no partner links: configure partners.links and apply it")
    rng = random.Random(seed)
    agents = [(ua, parse_user_agent(ua), _ua_hash(ua)) for ua, _ in AGENTS]
    weights = [w for _, w in AGENTS]
    visitors = _visitors(rng, geo, cat, max(50, min(count // 5, 50_000)))
    targets = {link: _targets(cat, link, uri) for link, uri in sorted(link_uris.items())}
    links = list(targets)
    end = _ms(now or utcnow())
    span = days * 86_400_000
    offsets = sorted(rng.randrange(span) for _ in range(count))  # milliseconds before ``end``, oldest first
    machine = os.urandom(5)
    last_seen: dict[tuple[str, str, str], datetime] = {}
    visitor, agent = visitors[0], agents[0]
    for n, offset in enumerate(reversed(offsets)):
        at = end - timedelta(milliseconds=offset)
        if rng.random() >= REPEAT:
            visitor, agent = rng.choice(visitors), rng.choices(agents, weights)[0]
        ip, located, blocked = visitor
        user_agent, parsed, ua_hash = agent
        link = rng.choice(links)
        uri, utm, banner = rng.choice(targets[link])
        verdict = _judged(cat, last_seen, (link, ip, ua_hash), at, blocked, parsed)
        referrer = rng.choice(REFERRERS)
        row = {
            "id": object_id(at, machine, n),
            "app_id": app_id,
            "time": at,
            "referrer": referrer,
            "ip": ip,
            "uri": uri,
            "user_agent": user_agent,
            "ua_hash": ua_hash,
            "locale": rng.choice(LOCALES),
            "uuid": None,
            **utm,
            **stored(utm, referrer),
            "profile_id": None,
            "link_id": link,
            **enrichment(banner, located, parsed),
            "is_unique": verdict.unique,
            "verdict": verdict.verdict,
            "verdict_reason": verdict.reason,
            "registered_time": None,
            "create_time": at,
            "update_time": at,
            "deleted_time": None,
        }
        yield row, _created_event(row)


Visitor = tuple[str, GeoResult, str | None]  # (ip, geo, blocked reason)


def _visitors(rng: random.Random, geo: GeoResolver, cat: Catalog, wanted: int) -> list[Visitor]:
    """Random public addresses that locate to a country, each resolved (and judged blocked or not) once."""
    visitors: list[Visitor] = []
    while len(visitors) < wanted:
        ip = _random_ipv4(rng)
        located = geo.lookup(ip)
        if len(located.country_code or "--") == 2:  # geoip2fast has a few "ASIA" networks: not a country
            visitors.append((ip, located, cat.blocked(ip, located.country_code)))
    return visitors


def _judged(
    cat: Catalog,
    last_seen: dict[tuple[str, str, str], datetime],
    key: tuple[str, str, str],
    at: datetime,
    blocked: str | None,
    agent: UserAgent,
) -> Verdict:
    """The click's verdict, as record_click judges it against the same visitor's last click on the link
    (remembered here for the next)."""
    verdict = judge(
        at=at,
        last_seen=last_seen.get(key),
        window_seconds=cat.duplicate_window_seconds,
        blocked=blocked,
        agent=agent,
    )
    last_seen[key] = at
    return verdict


def _created_event(row: dict[str, Any]) -> dict[str, Any]:
    return event_row(
        app_id=row["app_id"],
        family=FAMILY,
        journey_id=row["id"],
        type="click.created",
        payload=created_payload(row),
        at=row["time"],
    )


def _targets(cat: Catalog, link_id: str, link_uri: str) -> list[tuple[str, dict[str, Any], BannerRow | None]]:
    """The (URI, its UTM fields, banner) a click on the link can carry: its configured URI with UTM
    parameters, with or without one of its banners."""
    banners = [None, *(b for b in cat.banners.values() if b.link_id == link_id)]
    prefix = link_uri + ("&" if "?" in link_uri else "?")
    targets = []
    for source, medium, campaign, banner in itertools.product(SOURCES, MEDIUMS, CAMPAIGNS, banners):
        params = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign}
        uri = prefix + urlencode(params if banner is None else {**params, "banner": banner.id})
        targets.append((uri, uri_attribution(uri), banner))
    return targets


def load(conn: Connection, app_id: str) -> tuple[Catalog, dict[str, str]]:
    """The app's catalog (verdict settings, banners) and its links' configured URIs, from the database."""
    session = Session(bind=conn)
    if session.get(App, app_id) is None:
        raise NotFound(f"no app {app_id!r}")
    links = select(PartnerLink.id, PartnerLink.uri).where(tenant(PartnerLink, app_id))
    uris = dict(session.execute(links).tuples().all())
    return load_catalog(session, app_id), uris


def seed_clicks(
    engine: Engine,
    app_id: str,
    count: int,
    *,
    days: int = 30,
    seed: int | None = None,
    geoip_db: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Seeded:
    """Write ``count`` clicks and their events for ``app_id``, ``BATCH`` clicks per transaction
    (``geoip_db``: the server's city database, so seeded clicks are located as live ones)."""
    started = time.monotonic()
    rollups.register([MEASURES])  # already so in a server; not in a bare CLI process
    with engine.connect() as conn:
        cat, uris = load(conn, app_id)
    write = _copy if engine.dialect.name == "postgresql" else _insert

    def commit(batch: list[tuple[dict[str, Any], dict[str, Any]]]) -> int:
        totals: rollups.Totals = {}
        for _, event in batch:
            rollups.add(totals, event)
        with engine.begin() as conn:
            write(conn, CLICKS, [click for click, _ in batch])
            write(conn, EVENTS, [event for _, event in batch])
            rollups.write(conn, totals)  # the batch's metrics, as the live path keeps them
        return len(batch)

    done = 0
    pairs = generate(app_id, cat, uris, count, days=days, seed=seed, geo=GeoResolver(geoip_db))
    with ThreadPoolExecutor(1) as pool:  # the next batch is made while the database writes this one
        writing: Future[int] | None = None
        while batch := list(itertools.islice(pairs, BATCH)):
            if writing is not None:
                done += writing.result()
                if progress:
                    progress(done)
            writing = pool.submit(commit, batch)
        done += writing.result() if writing is not None else 0
    if progress:
        progress(done)
    if engine.dialect.name == "postgresql":  # what autovacuum would do soon: planner statistics, and
        # a visibility map so that counts can be index-only scans
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE partner_clicks, journey_events, rollup_counts")
    return Seeded(done, time.monotonic() - started)


def _copy(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """COPY the rows in (psycopg 3); JSON columns go in as text."""
    keys = list(rows[0])
    json_keys = {key for key in keys if isinstance(table.c[key].type, JSON)}
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {table.name} ({', '.join(keys)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[k]) if k in json_keys else row[k] for k in keys])


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One ``executemany`` with the columns' own bind processors (the writer's bulk INSERT)."""
    statement = _bulk_insert(conn.dialect, table, tuple(rows[0]))
    conn.exec_driver_sql(statement.sql, [statement.params(row) for row in rows])
