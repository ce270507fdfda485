"""``/admin/v1``: thin routes over admin.service and apply, behind one guard (``admin.guard.admit``); every
change passes the actor on, for its audit row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator, BeforeValidator
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..apply import ApplyReport, apply_or_raise
from ..core.config.document import parse_text
from ..core.family import Family
from ..core.journeys import eventstream as stream
from ..core.scopes import scope_names
from ..core.storage.ids import nul_free
from ..core.tenancy.access import Actor
from ..core.web.errors import ConfigError, Conflict, InvalidInput, NotFound, Unauthorized, clip
from ..core.web.http import Runtime, db_session, envelope_route_class, runtime
from ..core.web.idempotency import never_kept
from ..core.web.instants import in_utc, iso_only
from ..core.web.openapi import SCOPE, body_example, example, http_scheme, merged, requires
from . import deliveries, erase, examples, journeys, service
from .errors import BEARER, errors, render_error
from .guard import ActorDep, admit
from .schemas import (
    ApplyOut,
    AppOut,
    CredentialCreated,
    CredentialIn,
    CredentialOut,
    DeliveryPage,
    ErasureReceipt,
    EventPage,
    JourneyList,
    LiveSummary,
    ReplayOut,
    RotateIn,
    WebhookTestIn,
    WebhookTestOut,
)

MAX_EVENT_ID = (
    2**63 - 1
)  # a 64-bit id (events, deliveries): past it SQLite's driver fails (a 500) instead of finding nothing
ADMIN = requires(http_scheme("adminBearer", "bearer", BEARER))
DENIED = Unauthorized("missing or wrong admin token")
# An instant in a query: ISO 8601 only, never a number (seconds or milliseconds, guessed).
Instant = Annotated[datetime | None, BeforeValidator(iso_only), Query(description="ISO 8601, inclusive")]
NO_APP = NotFound("app 'demo' not found")
Filter = Annotated[str | None, Query(max_length=64), AfterValidator(nul_free)]  # text a query filters on
NO_CREDENTIAL = NotFound("credential 'kiosk' of app 'demo' not found")
REFUSED = ConfigError([("apps[0].credentials[0].scopes[0]", "unknown scope 'survey'")])
TAKEN = Conflict("credential 'kiosk' already exists")

router = APIRouter(
    prefix="/admin/v1",
    route_class=envelope_route_class(render_error),
    dependencies=[Depends(admit)],
    tags=["admin"],
)
SessionDep = Annotated[Session, Depends(db_session)]


@router.get(
    "/apps",
    response_model=list[AppOut],
    summary="List the apps",
    responses={200: example([examples.APP_LISTED]), **errors(DENIED)},
    openapi_extra=ADMIN,
)
def list_apps(session: SessionDep, actor: ActorDep) -> Any:
    return service.list_apps(session, apps=actor.apps)


@router.get(
    "/apps/{app_id}",
    response_model=AppOut,
    summary="Get an app",
    responses={200: example(examples.APP), **errors(DENIED, NO_APP)},
    openapi_extra=ADMIN,
)
def get_app(request: Request, app_id: str, session: SessionDep) -> Any:
    return service.get_app(session, app_id=app_id, families=request.app.state.families)


@router.put(
    "/config",
    response_model=ApplyOut,
    summary="Apply a configuration document",
    responses={
        200: example(examples.APPLIED),
        **errors(REFUSED, DENIED, Conflict("the configuration changed concurrently; apply again")),
    },
    openapi_extra=merged(
        ADMIN,
        body_example(examples.CONFIG),
        {
            "requestBody": {
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "application/yaml": {"schema": {"type": "object"}},  # a YAML mapping
                }
            }
        },
    ),
)
async def put_config(request: Request, actor: ActorDep) -> Any:
    """The same document as ``clicktrail apply``, as JSON or YAML. Read, checked and applied in a worker
    thread: a large document takes seconds, which the event loop (``/healthz``, every hot route) must not
    wait for."""
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    json_first = "json" in content_type or "yaml" not in content_type
    rt = runtime(request)
    report = await run_in_threadpool(_apply_body, rt, body, json_first, request.app.state.families, actor)
    rt.auth.cache.clear()
    return report.as_dict()


def _apply_body(
    rt: Runtime, body: bytes, json_first: bool, families: Sequence[Family], actor: Actor
) -> ApplyReport:
    limits = {"max_bytes": rt.settings.max_config_bytes, "max_nodes": rt.settings.max_config_nodes}
    data = parse_text(body.decode("utf-8", errors="replace"), json_first=json_first, empty_ok=False, **limits)
    return apply_or_raise(rt.sessions, data, families, actor=actor)


@router.get(
    "/apps/{app_id}/credentials",
    response_model=list[CredentialOut],
    summary="List an app's credentials",
    responses={200: example([examples.CREDENTIAL]), **errors(DENIED, NO_APP)},
    openapi_extra=ADMIN,
)
def list_credentials(app_id: str, session: SessionDep) -> Any:
    return service.list_credentials(session, app_id=app_id)


@router.post(
    "/apps/{app_id}/credentials",
    response_model=CredentialCreated,
    status_code=201,
    summary="Create a credential",
    responses={201: example(examples.CREDENTIAL_CREATED), **errors(400, DENIED, NO_APP, TAKEN)},
    openapi_extra=merged(ADMIN, body_example(examples.CREDENTIAL_IN)),
)
def create_credential(
    request: Request, app_id: str, body: CredentialIn, session: SessionDep, actor: ActorDep
) -> Any:
    never_kept(request.scope)  # the answer shows the secret, once
    return service.create_credential(
        session,
        actor,
        app_id=app_id,
        name=body.name,
        scopes=body.scopes,
        client_id=body.client_id,
        secret=body.secret,
    )


@router.post(
    "/apps/{app_id}/credentials/{name}/rotate",
    response_model=CredentialCreated,
    summary="Rotate a credential's secret",
    responses={
        200: example(examples.ROTATED),
        **errors(400, DENIED, NO_CREDENTIAL, Conflict("that secret is already used by another credential")),
    },
    openapi_extra=merged(ADMIN, body_example({})),
)
def rotate_credential(
    request: Request,
    app_id: str,
    name: str,
    session: SessionDep,
    actor: ActorDep,
    body: RotateIn | None = None,
) -> Any:
    never_kept(request.scope)  # the answer shows the new secret, once
    result = service.rotate_credential(
        session, actor, app_id=app_id, name=name, secret=body.secret if body else None
    )
    runtime(request).auth.cache.clear()
    return result


@router.delete(
    "/apps/{app_id}/credentials/{name}",
    status_code=204,
    summary="Revoke a credential",
    responses={204: {"description": "Revoked"}, **errors(DENIED, NO_CREDENTIAL)},
    openapi_extra=ADMIN,
)
def revoke_credential(
    request: Request, app_id: str, name: str, session: SessionDep, actor: ActorDep
) -> Response:
    service.revoke_credential(session, actor, app_id=app_id, name=name)
    runtime(request).auth.cache.clear()
    return Response(status_code=204)


@router.get(
    "/apps/{app_id}/events",
    response_model=EventPage,
    summary="List an app's journey events",
    responses={200: example(examples.EVENTS), **errors(400, DENIED, NO_APP)},
    openapi_extra=ADMIN,
)
def list_events(
    app_id: str,
    session: SessionDep,
    family: Annotated[str | None, Query(json_schema_extra=SCOPE)] = None,
    type: Filter = None,
    journey_id: Filter = None,
    user_id: Annotated[
        str | None,
        Query(max_length=255, description="one person's events, in every family"),
        AfterValidator(nul_free),
    ] = None,
    since: Instant = None,
    until: Instant = None,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_EVENT_ID, description="the last id of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    _known_family(family)
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput(f"{name}: give a time zone (e.g. 2026-01-01T00:00:00Z)")
        try:
            if value is not None:
                in_utc(value)
        except ValueError as exc:
            raise InvalidInput(f"{name}: {exc}") from None
    return service.events_page(
        session,
        app_id=app_id,
        family=family,
        type=type,
        journey_id=journey_id,
        user_id=user_id,
        since=since,
        until=until,
        after=after,
        limit=limit,
    )


@router.get(
    "/apps/{app_id}/journeys",
    response_model=JourneyList,
    summary="List an app's recent journeys, or those a search finds",
    description="Newest first. `q` is looked up as an exact journey id, else as an exact user id, in the"
    " app's whole log; else as any text of an event's payload (an email, a click or session id, a utm"
    f" value), case-insensitively, in the app's newest {journeys.SEARCHED:,} events only (`searched` says"
    " how many were tested).",
    responses={200: example(examples.JOURNEYS), **errors(400, DENIED, NO_APP)},
    openapi_extra=ADMIN,
)
def list_journeys(
    app_id: str,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=255), AfterValidator(nul_free)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Any:
    return journeys.recent_journeys(session, app_id=app_id, q=q, limit=limit)


@router.get(
    "/apps/{app_id}/live",
    response_model=LiveSummary,
    summary="Summarize an app's last minutes: visitors and newest events",
    description="Visitors are distinct users, else client addresses, else journeys. Read from the app's"
    f" newest {journeys.LIVE_SCANNED} events (`complete` is false when the range held more).",
    responses={200: example(examples.LIVE), **errors(400, DENIED, NO_APP)},
    openapi_extra=ADMIN,
)
def live_summary(app_id: str, session: SessionDep, minutes: Annotated[int, Query(ge=1, le=60)] = 5) -> Any:
    return journeys.live_summary(session, app_id=app_id, minutes=minutes)


def _known_family(family: str | None) -> None:
    if family is not None and family not in scope_names():
        raise InvalidInput(
            f"family: unknown family '{clip(family)}' (expected one of {', '.join(scope_names())})"
        )


@router.get(
    "/apps/{app_id}/events/stream",
    response_class=StreamingResponse,
    summary="Stream an app's journey events as they commit (SSE)",
    description="Each journey event once it commits, as `text/event-stream`: `data` is the JSON of an"
    " events list item, `id` its id. `Last-Event-ID` (or `after`) resumes from the event log; without"
    " either the stream starts with the next event. A comment line is sent every"
    " `CLICKTRAIL_STREAM_HEARTBEAT_SECONDS`.",
    responses={
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}, "example": examples.EVENT_STREAM}}
        },
        **errors(400, DENIED, NO_APP),
    },
    openapi_extra=ADMIN,
)
async def stream_events(
    request: Request,
    app_id: str,
    family: Annotated[str | None, Query(json_schema_extra=SCOPE)] = None,
    user_id: Annotated[str | None, Query(max_length=255), AfterValidator(nul_free)] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_EVENT_ID, description="the last id seen")] = None,
    last_event_id: Annotated[str | None, Header(description="the last id seen (set by EventSource)")] = None,
) -> Any:
    _known_family(family)
    if last_event_id is not None:
        if not last_event_id.isdigit() or int(last_event_id) > MAX_EVENT_ID:
            raise InvalidInput("Last-Event-ID: give the id of an event")
        after = int(last_event_id)
    rt = runtime(request)
    start = await run_in_threadpool(stream.starting_id, rt.sessions, app_id, after)
    text = stream.events(
        rt.sessions,
        request.app.state.event_bell,
        app_id=app_id,
        after=start,
        family=family,
        user_id=user_id,
        heartbeat=rt.settings.stream_heartbeat_seconds,
    )
    return StreamingResponse(text, media_type="text/event-stream", headers=stream.HEADERS)


@router.get(
    "/apps/{app_id}/deliveries",
    response_model=DeliveryPage,
    summary="List an app's deliveries",
    responses={200: example(examples.DELIVERIES), **errors(400, DENIED, NO_APP)},
    openapi_extra=ADMIN,
)
def list_deliveries(
    app_id: str,
    session: SessionDep,
    status: Annotated[Literal["pending", "delivered", "dead", "cancelled"] | None, Query()] = None,
    topic: Filter = None,
    after: Annotated[
        int | None, Query(ge=0, le=MAX_EVENT_ID, description="the last id of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """Webhook messages, callbacks and postbacks, newest first, with their state and last error."""
    return deliveries.deliveries_page(
        session, app_id=app_id, status=status, topic=topic, after=after, limit=limit
    )


@router.post(
    "/apps/{app_id}/deliveries/{delivery_id}/replay",
    response_model=ReplayOut,
    summary="Replay a dead letter",
    responses={
        200: example(examples.REPLAYED),
        **errors(400, DENIED, NotFound("delivery 42 not found"), Conflict("delivery 42 is delivered")),
    },
    openapi_extra=ADMIN,
)
def replay_delivery(
    app_id: str,
    delivery_id: Annotated[int, Path(ge=0, le=MAX_EVENT_ID)],
    session: SessionDep,
    actor: ActorDep,
) -> Any:
    """Send a dead delivery again, from its first attempt (409 if it is not dead)."""
    return deliveries.replay_one(session, actor, app_id=app_id, delivery_id=delivery_id)


@router.post(
    "/apps/{app_id}/deliveries/replay",
    response_model=ReplayOut,
    summary="Replay every dead letter of an app",
    responses={200: example(examples.REPLAYED), **errors(DENIED, NO_APP)},
    openapi_extra=ADMIN,
)
def replay_dead_deliveries(app_id: str, session: SessionDep, actor: ActorDep) -> Any:
    return deliveries.replay_dead(session, actor, app_id=app_id)


@router.post(
    "/apps/{app_id}/webhooks/test",
    response_model=WebhookTestOut,
    status_code=202,
    summary="Send a test message to an app's webhooks",
    responses={202: example(examples.WEBHOOK_TEST), **errors(400, DENIED, NotFound("no webhook to test"))},
    openapi_extra=merged(ADMIN, body_example({"url": "https://hooks.example/clicktrail"})),
)
def test_webhooks(
    app_id: str, session: SessionDep, actor: ActorDep, body: WebhookTestIn | None = None
) -> Any:
    """Queue a signed ``webhook.test`` message to the app's webhooks (or to the one at ``url``)."""
    return deliveries.send_test(session, actor, app_id=app_id, url=body.url if body else None)


@router.delete(
    "/apps/{app_id}/users/{user_id:path}",
    response_model=ErasureReceipt,
    summary="Erase one person's data in every family",
    description="Idempotent: a second call removes nothing and answers `erased: false`.",
    responses={200: example(examples.ERASED), **errors(DENIED, NO_APP)},
    openapi_extra=ADMIN,
)
def erase_user(request: Request, app_id: str, user_id: str, session: SessionDep, actor: ActorDep) -> Any:
    families = request.app.state.families
    return erase.erase_user(session, families, actor, app_id=app_id, user_id=user_id)


# Metrics, funnels, journeys and exports, users and the audit log, QR codes live in their own modules,
# under this router's guard.
from .accounts import router as _accounts  # noqa: E402
from .metrics import router as _analytics  # noqa: E402
from .qr import router as _qr_codes  # noqa: E402

router.include_router(_analytics)
router.include_router(_accounts)
router.include_router(_qr_codes)
