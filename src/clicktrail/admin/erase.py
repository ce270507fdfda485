"""``DELETE /admin/v1/apps/{app}/users/{user_id}``: erase one person of one app in every family, in one
transaction. Each family says what a person is to it and removes their rows (``Family.erase``); then their
journey events (the family's events whose journey or user id the family named) and the pending outbox
messages about them (a webhook body naming such a journey or user, or a callback URL carrying one as a
query value or path segment, when at least 6 characters long) go too. Delivered messages are left to
retention. Erasing twice removes nothing the second time, and the receipt says so."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core import tenancy
from ..core.events import JourneyEvent
from ..core.family import Family
from ..core.outbox import OutboxMessage
from ..core.privacy import Erased
from ..core.tenancy import tenant

CHUNK = 500  # ids per IN list
# A URL names ids among other values (``raw=1``, ``type=COMPLETE``): an id shorter than this is matched in
# webhook bodies only, where it sits in its own field, so a short id never takes another user's message.
MIN_URL_ID = 6


def erase_user(session: Session, families: Sequence[Family], *, app_id: str, user_id: str) -> dict[str, Any]:
    with session.begin():
        tenancy.get_app(session, app_id)
        removed: dict[str, dict[str, int]] = {}
        named: set[str] = {user_id}
        for family in families:
            if family.erase is None:
                continue
            erased: Erased = family.erase(session, app_id=app_id, user_id=user_id)
            events = _delete_events(session, app_id, family.name, erased)
            removed[family.name] = {**erased.rows, "journey_events": events}
            named |= erased.journeys | erased.users
        removed["core"] = {"outbox": _delete_pending_messages(session, app_id, named)}
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


def _delete_pending_messages(session: Session, app_id: str, named: set[str]) -> int:
    # A queue, not a log: the app's pending messages are few, and matching them exactly (never a substring
    # of an id) is easier in Python than in two SQL dialects.
    pending = session.execute(
        select(OutboxMessage.id, OutboxMessage.url, OutboxMessage.body).where(
            tenant(OutboxMessage, app_id), OutboxMessage.status == "pending"
        )
    ).all()
    doomed = [m.id for m in pending if _mentions(m.url, m.body, named)]
    for start in range(0, len(doomed), CHUNK):
        session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.id.in_(doomed[start : start + CHUNK]))
            .execution_options(synchronize_session=False)
        )
    return len(doomed)


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
    payload = document.get("payload")
    payload = payload if isinstance(payload, dict) else {}
    mentioned = (document.get("journey_id"), document.get("user_id"), payload.get("click_id"))
    return any(isinstance(value, str) and value in named for value in mentioned)
