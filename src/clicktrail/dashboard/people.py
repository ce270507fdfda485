"""The dashboard's live view and people: ``/apps/{app}/live`` lists the last five minutes' events and
visitors and, with its small script, appends each new event as it commits (the page works without it:
reload to see more); ``/apps/{app}/people/{user_id}`` shows one person's journeys in every family on one
timeline. Both read the admin API (the live script its event stream, behind the dashboard's session)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..core.journeys import eventstream as stream
from ..core.tenancy.access import authorize
from ..core.web.errors import Forbidden, NotFound
from ..core.web.http import runtime
from .api import AdminApiError
from .pages import PAGES
from .routes import _api, _context, _page, _signed_in, _to_login, router

LIVE_MINUTES = 5
PERSON_EVENTS = 1000


@router.get("/apps/{app_id}/live")
async def live(request: Request, app_id: str) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    try:
        summary = await _api(request, signed).get(f"/apps/{quote(app_id)}/live", minutes=LIVE_MINUTES)
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    context = _context(request, signed, app_id=app_id, pages=PAGES, live=summary, minutes=LIVE_MINUTES)
    return _page("live.html", scripted=True, **context)


@router.get("/apps/{app_id}/live/stream")
async def live_stream(
    request: Request, app_id: str, after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None
) -> Response:
    """The app's event stream for the live page's script, behind the dashboard's session: after the
    page's newest event (``after``), else from the next one."""
    signed = await _signed_in(request)
    if signed is None:
        return Response(status_code=401)
    try:  # the admin API's own rule for its event stream, as this reads the same stream
        path = f"/apps/{app_id}/events/stream"
        authorize(signed.actor, method="GET", route="stream_events", path=path, app_id=app_id)
    except Forbidden:
        return Response(status_code=403)
    rt = runtime(request)
    try:
        after = await run_in_threadpool(stream.starting_id, rt.sessions, app_id, after)
    except NotFound:
        return Response(status_code=404)
    text = stream.events(
        rt.sessions,
        request.app.state.event_bell,
        app_id=app_id,
        after=after,
        heartbeat=rt.settings.stream_heartbeat_seconds,
    )
    return StreamingResponse(text, media_type="text/event-stream", headers=stream.HEADERS)


@router.get("/apps/{app_id}/people/{user_id}")
async def person(request: Request, app_id: str, user_id: str) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    try:
        page = await _api(request, signed).get(
            f"/apps/{quote(app_id)}/events", user_id=user_id, limit=PERSON_EVENTS
        )
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    events = page["items"]
    journeys = sorted({(e["family"], e["journey_id"]) for e in events})
    context = _context(
        request, signed, app_id=app_id, pages=PAGES, user_id=user_id, events=events, journeys=journeys,
        more=page["next_after"] is not None,
    )  # fmt: skip
    return _page("person.html", **context)
