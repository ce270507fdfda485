"""A click's verdict (ok, bot, orphan, duplicate, blocked, expired, limit_reached) and its unique flag (the
rules: ``core.enrich.verdicts``, re-exported here), and the per-process index of recent visitors that answers
"when did this visitor last click this link?" without a database round trip.

Guarantees. Within one process the answer is exact: the index learns a visitor from the database the first
time it meets them (inside the writer's transaction), then from every click this process records. Across
processes (``--workers N`` or many machines), a visitor's first click seen by a process is checked against
everything committed before it; their later clicks recorded by *another* process are not seen until the
entry leaves this index (LRU, ``MAX_VISITORS``), so a repeat spread over processes may count as unique or
not duplicate. On SQLite the lookup runs under the one write lock, so two processes never both see "new"
for a visitor whose earlier click already committed."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, String, and_, bindparam, func, select
from sqlalchemy.dialects import postgresql

from ..core.enrich.verdicts import Verdict as Verdict
from ..core.enrich.verdicts import day_start as day_start
from ..core.enrich.verdicts import judge as judge
from ..core.enrich.verdicts import lookup_floor as lookup_floor
from ..core.storage.writer import Tx
from ..core.tenancy.apps import tenant
from .models import PartnerClick

MAX_VISITORS = 5_000  # ~1.9 MB when full (10,000: ~3.8 MB); a visitor it dropped is looked up again
VisitorKey = tuple[str, str | None, str, str]  # app, link, ip, user-agent hash


@dataclass(frozen=True, slots=True)
class _Known:
    since: datetime  # every click of the visitor at or after this time is known...
    latest: datetime | None  # ...and this is the latest of them (None: there is none)


class RecentVisitors:
    """visitor → what this process knows of their latest click.

    Request handlers announce the visitors they are about to submit (:meth:`expect`); the first job of
    a batch that meets a visitor it does not know looks up every announced one in one query, so a batch
    of new visitors costs one round trip, not one per click. ``_known`` is only touched on the writer
    thread; ``_expected`` is shared with the event loop, under a lock."""

    def __init__(self, max_entries: int = MAX_VISITORS):
        self.max_entries = max_entries
        self._known: OrderedDict[VisitorKey, _Known] = OrderedDict()
        self._expected: dict[VisitorKey, datetime] = {}
        self._lock = threading.Lock()

    def expect(self, key: VisitorKey, floor: datetime) -> None:
        with self._lock:
            earlier = self._expected.get(key)
            self._expected[key] = floor if earlier is None else min(earlier, floor)

    def last_seen(self, tx: Tx, key: VisitorKey, *, floor: datetime, at: datetime) -> datetime | None:
        """The latest click of the visitor in [floor, at]; from memory when it can answer, else the
        database. Notes the click at ``at`` for the rest of the batch and, once committed, for good."""
        known = tx.noted(("partners.visitor", key)) or self._known.get(key)
        batch_clicks: tuple[datetime, ...] = tx.noted(("partners.visitor_clicks", key)) or ()
        if known is None or floor < known.since:
            self.expect(key, floor)
            # From the lookup's answer, not from _known: noting every announced visitor may evict this one.
            held = self._look_up_expected(tx)[key]
            known = held if known is None else _together(known, held)
        if known.latest is not None and known.latest > at:  # a click reported out of order
            # The database has not seen this batch's clicks yet (they are written when it commits).
            in_batch = [t for t in batch_clicks if floor <= t <= at]
            found = _latest(_latest_in_database(tx, key, floor, at), *in_batch)
        else:
            found = known.latest if known.latest is not None and known.latest >= floor else None
        noted = _Known(known.since, _latest(known.latest, at))
        tx.note(("partners.visitor", key), noted)
        tx.note(("partners.visitor_clicks", key), (*batch_clicks, at))
        tx.after_commit(lambda: self._note(key, noted))
        return found

    def _look_up_expected(self, tx: Tx) -> dict[VisitorKey, _Known]:
        """What the database holds of every announced visitor: one query per app. Noted for the next
        batches too, and returned, since noting them all may evict some."""
        with self._lock:
            expected, self._expected = self._expected, {}
        by_app: dict[str, list[tuple[VisitorKey, datetime]]] = {}
        for key, floor in expected.items():
            by_app.setdefault(key[0], []).append((key, floor))
        found: dict[VisitorKey, _Known] = {}
        for app_id, wanted in by_app.items():
            since = min(floor for _, floor in wanted)
            latest = _latest_of_visitors(tx, app_id, sorted({key[2] for key, _ in wanted}), since)
            for key, _ in wanted:
                found[key] = _Known(since, latest.get(key))
                self._note(key, found[key])
        return found

    def _note(self, key: VisitorKey, known: _Known) -> None:
        self._known[key] = known
        self._known.move_to_end(key)
        if len(self._known) > self.max_entries:
            self._known.popitem(last=False)


def _together(known: _Known, held: _Known) -> _Known:
    """What was known of a visitor (with their clicks in this batch, not yet in the database) and what the
    database holds of them: each is complete from its own ``since``, so together from the earlier one."""
    return _Known(min(known.since, held.since), _latest(known.latest, held.latest))


def _latest(*times: datetime | None) -> datetime | None:
    return max((t for t in times if t is not None), default=None)


_SINCE = bindparam("since", type_=PartnerClick.time.type)


def _latest_of_visitors_listed() -> Executable:
    """SQLite: the addresses as an IN list (one probe of the visitor index each)."""
    ips: Any = bindparam("ips", expanding=True)
    return (
        select(PartnerClick.link_id, PartnerClick.ip, PartnerClick.ua_hash, func.max(PartnerClick.time))
        .where(
            tenant(PartnerClick, bindparam("app_id")), PartnerClick.ip.in_(ips), PartnerClick.time >= _SINCE
        )
        .group_by(PartnerClick.ip, PartnerClick.ua_hash, PartnerClick.link_id)
    )


def _latest_of_visitors_joined() -> Executable:
    """PostgreSQL: the addresses as one array (the statement's text never changes, so the driver prepares
    it once), joined so each is one probe of the visitor index. As ``ip = ANY(array)`` the planner may
    instead read all the app's clicks since ``since`` in index order and filter them, a plan it picks
    for a partition without statistics yet (a new month's), and one that grows with the day's traffic."""
    wanted = (
        func.unnest(bindparam("ips", type_=postgresql.ARRAY(String)))
        .table_valued("ip")
        .render_derived(name="wanted")
    )
    visits = and_(
        tenant(PartnerClick, bindparam("app_id")), PartnerClick.ip == wanted.c.ip, PartnerClick.time >= _SINCE
    )
    return (
        select(PartnerClick.link_id, wanted.c.ip, PartnerClick.ua_hash, func.max(PartnerClick.time))
        .select_from(wanted.join(PartnerClick, visits))
        .group_by(wanted.c.ip, PartnerClick.ua_hash, PartnerClick.link_id)
    )


_LATEST_OF_VISITORS = {
    "postgresql": _latest_of_visitors_joined(),
    "sqlite": _latest_of_visitors_listed(),
}


def _latest_of_visitors(tx: Tx, app_id: str, ips: list[str], since: datetime) -> dict[VisitorKey, datetime]:
    statement = _LATEST_OF_VISITORS[tx.dialect.name]
    rows: Any = tx.execute(statement, {"app_id": app_id, "ips": ips, "since": since}, sees_buffered=False)
    return {(app_id, link_id, ip, ua_hash): latest for link_id, ip, ua_hash, latest in rows}


def _latest_query(*, with_link: bool, bounded: bool) -> Executable:
    link_match = PartnerClick.link_id == bindparam("link_id") if with_link else PartnerClick.link_id.is_(None)
    query = select(func.max(PartnerClick.time)).where(
        tenant(PartnerClick, bindparam("app_id")),
        link_match,
        PartnerClick.ip == bindparam("ip"),
        PartnerClick.ua_hash == bindparam("ua_hash"),
        PartnerClick.time >= bindparam("floor", type_=PartnerClick.time.type),
    )
    if bounded:
        query = query.where(PartnerClick.time <= bindparam("until", type_=PartnerClick.time.type))
    return query


# Built once: the statement is the same for every click, only its parameters change.
_LATEST = {(w, b): _latest_query(with_link=w, bounded=b) for w in (True, False) for b in (True, False)}


def _latest_in_database(tx: Tx, key: VisitorKey, floor: datetime, until: datetime | None) -> datetime | None:
    app_id, link_id, ip, ua_hash = key
    params = {"app_id": app_id, "ip": ip, "ua_hash": ua_hash, "floor": floor, "until": until}
    if link_id:
        params["link_id"] = link_id
    return tx.execute(_LATEST[bool(link_id), until is not None], params, sees_buffered=False).scalar()
