"""``DELETE /admin/v1/apps/{app}/users/{user_id}``: erase one person of one app in every family, in one
transaction. Each family says what a person is to it and removes their rows (``Family.erase``); then their
journey events (the family's events whose journey or user id the family named) and every outbox message
about them go too, pending, delivered or dead (a webhook body naming such a journey or user, or a callback
URL carrying one as a query value or path segment, when at least 6 characters long): nothing left can be
sent, or replayed, again. Erasing twice removes nothing the second time, and the receipt says so."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core.family import Family
from ..core.journeys import rollups
from ..core.journeys.log import JourneyEvent
from ..core.journeys.outbox import STATUSES as OUTBOX_STATUSES
from ..core.journeys.outbox import OutboxMessage
from ..core.journeys.privacy import Erased
from ..core.tenancy import apps as tenancy
from ..core.tenancy import audit
from ..core.tenancy.access import Actor
from ..core.tenancy.apps import tenant

CHUNK = 500  # ids per IN list
SCAN = 1000  # outbox messages read per batch
# A URL names ids among other values (``raw=1``, ``type=COMPLETE``): an id shorter than this is matched in
# webhook bodies only, where it sits in its own field, so a short id never takes another user's message.
MIN_URL_ID = 6


def erase_user(
    session: Session, families: Sequence[Family], actor: Actor, *, app_id: str, user_id: str
) -> dict[str, Any]:
    with session.begin():
        tenancy.get_app(session, app_id)
        removed: dict[str, dict[str, int]] = {}
        named: set[str] = {user_id}
        for family in families:
            if family.erase is None:
                continue
            erased: Erased = family.erase(session, app_id=app_id, user_id=user_id)
            events = _delete_events(session, app_id, family.name, erased)
            rollups.count_erased(session, app_id=app_id, family=family.name, events=events)
            removed[family.name] = {**erased.rows, "journey_events": events}
            named |= erased.journeys | erased.users
        removed["core"] = _delete_messages(session, app_id, named)
        rows = sum(count for tables in removed.values() for count in tables.values())
        audit.record(
            session, actor, "user.erase", audit.person(user_id), app_id=app_id, detail=f"{rows} rows"
        )
    total = sum(count for tables in removed.values() for count in tables.values())
    return {
        "app_id": app_id,
        "user_id": user_id,
        "erased": total > 0,
        "detail": f"removed {total} rows" if total else "nothing to erase: no data of this user is stored",
        "removed": removed,
    }


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _delete_events(session: Session, app_id: str, family: str, erased: Erased) -> int:
    count = 0
    for column, ids in ((JourneyEvent.journey_id, erased.journeys), (JourneyEvent.user_id, erased.users)):
        for chunk in _chunks(ids):
            count += session.execute(  # type: ignore[attr-defined]  # DML gives a CursorResult
                delete(JourneyEvent)
                .where(tenant(JourneyEvent, app_id), JourneyEvent.family == family, column.in_(chunk))
                .execution_options(synchronize_session=False)
            ).rowcount
    return count


def _delete_messages(session: Session, app_id: str, named: set[str]) -> dict[str, int]:
    """Delete every outbox message of the app that names the person, whatever its status: a pending one
    would be sent, a dead one could be replayed, and a delivered one is a copy of their data. Matching is
    exact (never a substring of an id), easier in Python than in two SQL dialects: the app's messages are
    read a batch at a time (retention keeps them few: settled ones go after the app's cutoff)."""
    removed = dict.fromkeys(OUTBOX_STATUSES, 0)
    last = 0
    while True:
        batch = session.execute(
            select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.url, OutboxMessage.body)
            .where(tenant(OutboxMessage, app_id), OutboxMessage.id > last)
            .order_by(OutboxMessage.id)
            .limit(SCAN)
        ).all()
        doomed = [m for m in batch if _mentions(m.url, m.body, named)]
        if doomed:
            session.execute(
                delete(OutboxMessage)
                .where(OutboxMessage.id.in_([m.id for m in doomed]))
                .execution_options(synchronize_session=False)
            )
        for message in doomed:
            removed[message.status] += 1
        if len(batch) < SCAN:
            return {f"outbox_{status}": count for status, count in removed.items()}
        last = batch[-1].id


def _mentions(url: str, body: str | None, named: set[str]) -> bool:
    parts = urlsplit(url)
    values = {value for _, value in parse_qsl(parts.query, keep_blank_values=True)}
    values |= {unquote(segment) for segment in parts.path.split("/")}
    if any(len(value) >= MIN_URL_ID for value in values & named):
        return True
    if not body:
        return False
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    if not isinstance(document, dict):
        return False
    envelope = (document.get("journey_id"), document.get("user_id"))
    if any(isinstance(value, str) and value in named for value in envelope):
        return True
    return any(_names(key, value, named) for key, value in _leaves(document.get("payload")))


def _leaves(value: Any, key: str = "") -> Iterable[tuple[str, Any]]:
    """(key, value) of every scalar in a JSON value, at any depth (a list's items under its key)."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _leaves(item, str(name))
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key)
    else:
        yield key, value


def _names(key: str, value: Any, named: set[str]) -> bool:
    """An id field (``click_id``, ``accountId``) names a person by any id; any other field, by an id as
    long as a URL's, so a short user id ("DE", "1") never takes a message for its country or answer."""
    if not isinstance(value, str) or value not in named:
        return False
    return key == "id" or key.endswith(("_id", "Id")) or len(value) >= MIN_URL_ID
