"""HTTP in and out for the signage family: parse, authenticate, call one service function, render."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from ..core.enrich import attribution
from ..core.journeys.privacy import load_privacy
from ..core.tenancy.apps import Principal
from ..core.web import strictjson
from ..core.web.errors import InvalidInput, NotFound
from ..core.web.http import JSON, db_session, envelope_route_class, header_parameter, lean, runtime
from ..core.web.openapi import body_example, example, header_scheme, merged, redirect, requires
from . import service
from .campaigns import Rules, load_fallback, load_rules, load_window
from .config import DUPLICATE_WINDOW
from .errors import errors, render_error
from .schemas import (
    CouponIssued,
    SessionCreated,
    SessionIn,
    StatusUpdated,
    StatusUpdateIn,
    canonical_session_id,
)

router = APIRouter(route_class=envelope_route_class(render_error), tags=["signage"])
SCOPE = "signage"
API_KEY = header_parameter("API-KEY", "a credential's secret with the `signage` scope", required=True)
PATH_APP = {"name": "app_id", "in": "path", "required": True, "schema": {"type": "string"}}
PATH_CAMPAIGN = {"name": "campaign_id", "in": "path", "required": True, "schema": {"type": "string"}}
UPDATED = StatusUpdated().model_dump()
SessionDep = Annotated[Session, Depends(db_session)]
Model = TypeVar("Model", bound=BaseModel)


def api_key(request: Request, key: Annotated[str | None, Header(alias="API-KEY")] = None) -> Principal:
    """SmartRetail's ``API-KEY`` header: a credential of the app with the ``signage`` scope."""
    return runtime(request).auth.authenticate(key, SCOPE)


Caller = Annotated[Principal, Depends(api_key)]


def parse_body(raw: bytes, model: type[Model]) -> Model:
    """The JSON body as ``model``, whatever the Content-Type says, with SmartRetail-style messages."""
    try:
        data = strictjson.loads(raw) if raw.strip() else None
    except strictjson.NulRefused as exc:
        raise InvalidInput(str(exc)) from None
    except strictjson.JsonRefused as exc:
        reason = f" ({exc.reason})" if exc.reason else ""
        raise InvalidInput(f"Request body must be valid JSON{reason}") from None
    if not isinstance(data, dict):
        raise InvalidInput("Request body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(_describe(exc)) from None


def json_body(model: type[Model]) -> Callable[..., Awaitable[Model]]:
    """The JSON body as a dependency, read only after the API-KEY passed (a stranger learns nothing)."""

    async def read(request: Request, _: Caller) -> Model:
        return parse_body(await request.body(), model)

    return read


def _describe(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(part) for part in err["loc"]) or "body"
    if err["type"] == "missing":
        return f"{field} is required"
    if err["type"] == "string_type":
        return f"{field} must be a string"
    return f"{field}: {err['msg']}"


def _body_doc(model: type[BaseModel]) -> dict[str, Any]:
    schema = {"required": True, "content": {"application/json": {"schema": model.model_json_schema()}}}
    return {"requestBody": schema}


KEY = requires(header_scheme("signageApiKey", "API-KEY", "a credential's secret with the `signage` scope"))
SESSION_ID = "01a21364-5219-70cb-af12-bac5125a1db7"
NO_CAMPAIGN = NotFound("No record with campaign_id: spring-form")
NO_SESSION = NotFound(f"No record with session_id: {SESSION_ID}")
SCAN_PATH = "/smart-engage/scan/{app_id}/{campaign_id}"
ATTRIBUTION_PARAMETERS = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "description": "kept on the session and its scan event (the first value; cut to 255 characters)",
        "schema": {"type": "string"},
    }
    for name in attribution.FIELDS
]


def scan_path(app_id: str, campaign_id: str) -> str:
    """The path a campaign's QR code opens (the scan route's), each id one escaped segment."""
    return SCAN_PATH.format(app_id=quote(app_id, safe=""), campaign_id=quote(campaign_id, safe=""))


@router.get(
    SCAN_PATH,
    status_code=302,
    response_class=RedirectResponse,
    summary="Open a session from a QR code scan",
    responses={
        302: redirect(
            "To the campaign's form (or its first matching redirect rule's target), session_id added; for a"
            " campaign the app does not have, or past its limits, to the app's fallback_url as is",
            f"https://brand.example/form?session_id={SESSION_ID}",
        ),
        **errors(InvalidInput("utm_source: must not contain a NUL character"), NO_CAMPAIGN),
    },
    openapi_extra={
        "parameters": [
            PATH_APP,
            PATH_CAMPAIGN,
            *ATTRIBUTION_PARAMETERS,
            header_parameter("user-agent", "the phone's (redirect rules' `device`)"),
            header_parameter("accept-language", "the phone's (redirect rules' `language`)"),
        ]
    },
)
@lean
async def scan(request: Request) -> Response:
    """A shopper scanned the campaign's QR code: open a session and send them to the form, or to the target
    of the campaign's first redirect rule the scan matches (country, device, language, query, time). A
    campaign the app does not have, or past its ``expires_at`` or ``max_clicks``: an orphan scan, sent to
    the app's ``fallback_url`` (404 when it has none)."""
    rt = runtime(request)
    app_id, campaign_id = request.path_params["app_id"], request.path_params["campaign_id"]
    fields = _attribution(request)
    ip = request.client.host if request.client else None
    campaigns = await rt.configured(app_id, load_rules) if service.storable(app_id) else {}
    rules = campaigns.get(campaign_id)
    fallback = ""  # for a campaign the app does not have, or one past its limits
    if service.storable(app_id) and (rules is None or rules.expires_at or rules.max_clicks):
        fallback = await rt.configured(app_id, load_fallback)
    country = rt.geo.lookup(ip).country_code if ip else None
    if ip and (campaign_id in campaigns or fallback):  # a known app: its privacy settings are cached too
        ip = (await rt.configured(app_id, load_privacy)).ip(ip)
    location = await service.record_scan(
        rt.writer,
        campaigns,
        app_id=app_id,
        campaign_id=campaign_id,
        ip=ip,
        country=country,
        user_agent=request.headers.get("user-agent"),
        fallback_url=fallback,
        attribution=fields,
        window_seconds=await rt.configured(app_id, load_window) if rules is not None else DUPLICATE_WINDOW,
        **_rule_inputs(request, rules),
    )
    return RedirectResponse(location, status_code=302, headers={"Cache-Control": "no-store"})


def _attribution(request: Request) -> attribution.Attribution:
    """The scan URL's attribution fields (none without a query); a NUL in one is a 400 naming it."""
    if not request.scope.get("query_string"):
        return {}
    params = request.query_params
    try:
        return attribution.from_params({name: params.getlist(name) for name in params})
    except attribution.NulInValue as exc:
        raise InvalidInput(f"{exc.name}: must not contain a NUL character") from None


def _rule_inputs(request: Request, rules: Rules | None) -> dict[str, Any]:
    """What only redirect rules read of a scan (none: nothing is read)."""
    if rules is None or not rules.redirects:
        return {}
    query = request.scope.get("query_string", b"").decode("latin-1")
    return {"accept_language": request.headers.get("accept-language"), "query": query}


@router.post(
    "/smart-engage/post/create-session",
    response_model=SessionCreated,
    summary="Create a session",
    responses={200: example({"session_id": SESSION_ID}), **errors(400, 401, NO_CAMPAIGN)},
    openapi_extra=merged(_body_doc(SessionIn), KEY, body_example({"campaign_id": "spring-form"})),
)
def create_session(
    caller: Caller, body: Annotated[SessionIn, Depends(json_body(SessionIn))], session: SessionDep
) -> SessionCreated:
    """Open a session from the form's backend (when the shopper did not come through a scan)."""
    session_id = service.create_session(session, app_id=caller.app_id, campaign_id=body.campaign_id)
    return SessionCreated(session_id=session_id)


@router.post(
    "/smart-engage/post/update-session-status",
    response_model=StatusUpdated,
    summary="Update a session's status",
    responses={
        200: example(UPDATED),
        **errors(InvalidInput("Invalid new_status FORM_DONE"), 401, NO_SESSION),
    },
    openapi_extra=merged(
        {**_body_doc(StatusUpdateIn), "parameters": [API_KEY]},
        KEY,
        body_example({"session_id": SESSION_ID, "new_status": "FORM_APPROVED"}),
    ),
)
@lean
async def update_session_status(request: Request) -> Response:
    """Record a step of the shopper's journey (statuses only move forward)."""
    rt = runtime(request)
    caller = await rt.principal(request.headers.get("api-key"), SCOPE)
    body = parse_body(await request.body(), StatusUpdateIn)
    await service.update_status(
        rt.writer,
        await rt.configured(caller.app_id, load_rules),
        app_id=caller.app_id,
        session_id=body.session_id,
        new_status=body.new_status,
    )
    return JSON(UPDATED)


@router.post(
    "/smart-engage/post/engage-v3/{session_id}",
    response_model=CouponIssued,
    summary="Issue a session's coupon",
    responses={
        200: example({"message": "success", "coupon_code": "SPRING-0001"}),
        **errors(InvalidInput(f"Invalid session_id {SESSION_ID}"), 401),
    },
    openapi_extra=KEY,
)
def engage_v3(session_id: str, caller: Caller, session: SessionDep) -> CouponIssued:
    """Issue the session's coupon (once, after its status reached the campaign's ``coupon_after``)."""
    code = service.issue_coupon(session, app_id=caller.app_id, session_id=canonical_session_id(session_id))
    return CouponIssued(coupon_code=code)
