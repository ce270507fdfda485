"""An app's journey events as Server-Sent Events, for the admin API and the dashboard's Live page: each
event once it commits, in the shape of the events list's items, with its id as the SSE ``id`` (so
``Last-Event-ID`` resumes from the log).

A stream reads the log itself (by id, after the last one it sent) whenever the process's
:class:`~clicktrail.core.journeys.livestream.EventBell` says its app may have new events, and between
wake-ups it holds no database connection; a comment line every ``heartbeat`` seconds keeps proxies from
closing it
(and finds a client that left: the send fails and the generator ends)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from ..tenancy import apps as tenancy
from .events import event_view, latest_event_id, list_events
from .livestream import EventBell

_JSON = TypeAdapter(dict[str, Any])  # as the events list's answers are written (times in UTC with "Z")
BATCH = 200  # events read at once; a reader far behind reads again at once
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}  # nginx: pass each event on at once


def starting_id(sessions: sessionmaker[Session], app_id: str, after: int | None) -> int:
    """Where a stream starts: after ``after`` (a resume), else after the app's newest event. Raises
    NotFound for an unknown app, before the stream's 200 is sent."""
    with sessions() as session, session.begin():
        tenancy.get_app(session, app_id)
        return after if after is not None else latest_event_id(session, app_id)


def _read(
    sessions: sessionmaker[Session], app_id: str, family: str | None, user_id: str | None, after: int
) -> list[dict[str, Any]]:
    with sessions() as session, session.begin():
        events = list_events(session, app_id=app_id, family=family, user_id=user_id, after=after, limit=BATCH)
        return [_JSON.dump_python(event_view(e), mode="json") for e in events]


def message(event: dict[str, Any]) -> str:
    return f"id: {event['id']}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n"


async def events(
    sessions: sessionmaker[Session],
    bell: EventBell,
    *,
    app_id: str,
    after: int,
    family: str | None = None,
    user_id: str | None = None,
    heartbeat: float,
) -> AsyncIterator[str]:
    """The stream's text, from the first event after ``after``, until the client leaves."""
    yield "retry: 1000\n\n"
    with bell.subscription(app_id) as woken:
        while True:
            woken.clear()  # before reading: a commit seen meanwhile wakes the next wait at once
            batch = await run_in_threadpool(_read, sessions, app_id, family, user_id, after)
            for event in batch:
                after = event["id"]
                yield message(event)
            if len(batch) == BATCH:
                continue
            try:
                await asyncio.wait_for(woken.wait(), heartbeat)
            except TimeoutError:
                yield ": heartbeat\n\n"
