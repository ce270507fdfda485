"""HTTP in and out for the partners family (B2Core IB API under ``/ib/v1``): parse, authenticate, call one
service function, render.

Bodies are read as JSON whatever their Content-Type says (``read_json``): the vendor's own curls send JSON
with ``--data-raw`` and no header, which curl labels form-urlencoded."""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..core.enrich.addresses import canonical_ip
from ..core.journeys.privacy import load_privacy
from ..core.storage.ids import storable
from ..core.tenancy.apps import Principal, read_basic, read_bearer
from ..core.web.errors import InvalidInput, NotFound, Unauthorized, Unprocessable
from ..core.web.http import (
    JSON,
    db_session,
    envelope_route_class,
    header_parameter,
    json_body,
    lean,
    read_json,
    runtime,
    validate_body,
)
from ..core.web.idempotency import never_kept
from ..core.web.openapi import body_example, example, http_scheme, merged, redirect, requires
from . import examples, service
from .errors import errors, render_error
from .links import EMPTY, load_catalog
from .listing import MAX_LIMIT, MAX_OFFSET, SORTS, parse_embeds, parse_list_query
from .schemas import (
    AmendmentBody,
    Click,
    ClickCreate,
    JsonObject,
    Profile,
    ProfilePatch,
    RegistrationBody,
    TokenRequest,
    TokenResponse,
)

SCOPE = "partners"
CLICK_ID = r"^[0-9a-f]{24}$"
BEARER = requires(
    http_scheme("partnersBearer", "bearer", "a token from `POST /ib/v1/tokens`, or the credential's secret")
)
BASIC = requires(http_scheme("clientBasic", "basic", "`client_id:secret` of a credential (token endpoints)"))
PARTIAL_ON_NEW = Unprocessable(
    "the click has no profile yet: registering it needs firstName, lastName (as PUT does)",
    details={"fields": {"profile.firstName": ["required to register the click"]}},
)
NO_CLICK = NotFound("Click not found", details={"fields": {"clickId": ["not found"]}})
TAKEN = Unprocessable(
    "the profile uuid is being registered by another request; retry",
    details={"fields": {"profile.uuid": ["conflict"]}},
)
AUTHORIZATION = header_parameter(
    "authorization", "`Bearer <token>`, with a token from `POST /ib/v1/tokens` or the secret", required=True
)


IB = "/ib/v1"  # the vendor's API; the tracked redirect is clicktrail's own, outside it
GO_PATH = "/partners/go/{app_id}/{link_id}"
router = APIRouter(route_class=envelope_route_class(render_error), tags=["partners"])


def partner(request: Request, authorization: Annotated[str | None, Header()] = None) -> Principal:
    """``Authorization: Bearer`` with a token from ``POST /ib/v1/tokens`` or the credential's secret."""
    return runtime(request).auth.authenticate(read_bearer(authorization), SCOPE)


Partner = Annotated[Principal, Depends(partner)]
ClickId = Annotated[str, Path(alias="clickId", description="24 lowercase hex characters")]
DB = Annotated[Session, Depends(db_session)]
M = TypeVar("M", Profile, ProfilePatch)


TOTAL_COUNT = {"X-Total-Count": {"description": "matches in all pages", "schema": {"type": "integer"}}}
LIST_PARAMETERS = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}},
    {"name": "sort_by", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
    {"name": "sort_order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
]


def _click_id(click_id: str) -> str:
    if not re.fullmatch(CLICK_ID, click_id):
        raise NotFound("Click not found", details={"fields": {"clickId": ["not found"]}})
    return click_id


async def _token_request(request: Request) -> TokenRequest:
    return await read_json(request, TokenRequest)


@router.post(
    IB + "/tokens",
    response_model=TokenResponse,
    summary="Get a bearer token (client credentials)",
    responses={200: example(examples.TOKEN), **errors(400, Unauthorized("invalid client credentials"))},
    openapi_extra=merged(BASIC, json_body(TokenRequest), body_example(examples.TOKEN_REQUEST)),
)
def issue_token(
    request: Request,
    body: Annotated[TokenRequest, Depends(_token_request)],
    authorization: Annotated[str | None, Header()] = None,
) -> Any:
    never_kept(request.scope)  # a token is a secret: a retry gets a new one
    basic = read_basic(authorization)
    if basic is None:
        raise Unauthorized("Basic client credentials required")
    auth = runtime(request).auth
    principal = auth.authenticate_client(basic[0], basic[1], SCOPE)
    token, expires_in = auth.issue_token(principal, SCOPE)
    return TokenResponse(access_token=token, expires_in=expires_in)


@router.post(
    IB + "/clicks",
    status_code=201,
    response_model=Click,
    summary="Add a new click",
    description="201 with the new click; 200 with the recorded one when its `uuid` was sent before.",
    responses={
        200: {
            "model": Click,
            "description": "The click recorded earlier with this `uuid`",
            **example(examples.CLICK),
        },
        201: example(examples.CLICK),
        **errors(400, 401, TAKEN),
    },
    openapi_extra=merged(json_body(ClickCreate, AUTHORIZATION), BEARER, body_example(examples.CLICK_CREATE)),
)
@lean
async def create_click(request: Request) -> Response:
    rt = runtime(request)
    who = await rt.principal(read_bearer(request.headers.get("authorization")), SCOPE)
    body = await read_json(request, ClickCreate)
    cat = await rt.configured(who.app_id, load_catalog)
    privacy = await rt.configured(who.app_id, load_privacy)
    click = service.ClickInput(
        ip=body.ip,
        uri=body.uri,
        locale=body.locale,
        referrer=body.referrer,
        at=body.time,
        user_agent=body.userAgent,
        uuid=body.uuid,
    )
    try:
        recorded = await service.record_click(
            rt.writer, cat, rt.geo, app_id=who.app_id, click=click, anonymize_ip=privacy.anonymize_ip
        )
    except IntegrityError:
        if body.uuid is None:
            raise
        with rt.sessions() as session:
            recorded = await run_in_threadpool(
                service.click_by_uuid, session, app_id=who.app_id, uuid=body.uuid
            )
    return JSON(recorded.view, status_code=201 if recorded.created else 200)


@router.get(
    IB + "/clicks",
    response_model=list[Click],
    summary="Get a clicks list",
    description="`limit` (1-1000, default 50), `offset`, `sort_by`, `sort_order` (asc|desc, default "
    "createTime desc), `filter[<name>]` and `query[contacts|link|metrics|profile|traffic]=1`. The total "
    "number of matches is in the `X-Total-Count` header.\n\nFilters: `uri` and `referrer` match a "
    "prefix of the click's (case-sensitive; `%`, `_`, `*` are plain characters); `countryCode`, "
    "`countryName` and `profileCountryName` the whole value in any case; `profileName` and "
    "`profileContacts` a substring in any case; the other text filters the whole value exactly. A text "
    "filter given twice matches either value. `clickStartTime`/`clickEndTime`: ISO 8601, inclusive.",
    responses={200: {**example([examples.CLICK]), "headers": TOTAL_COUNT}, **errors(400, 401)},
    openapi_extra=merged({"parameters": LIST_PARAMETERS}, BEARER),
)
def list_clicks(request: Request, who: Partner, session: DB) -> Response:
    query = parse_list_query(list(request.query_params.multi_items()))
    clicks, total = service.list_clicks(session, app_id=who.app_id, query=query)
    return JSONResponse(clicks, headers={"X-Total-Count": str(total)})


@router.get(
    IB + "/clicks/{clickId}",
    response_model=Click,
    summary="Get click details",
    responses={200: example(examples.CLICK), **errors(400, 401, NO_CLICK)},
    openapi_extra=BEARER,
)
def get_click(request: Request, click_id: ClickId, who: Partner, session: DB) -> Response:
    embeds = parse_embeds(list(request.query_params.multi_items()))
    view = service.get_click(session, app_id=who.app_id, click_id=_click_id(click_id), embeds=embeds)
    return JSONResponse(view)


async def _profile(request: Request, model: type[M]) -> tuple[M, str]:
    """The profile a PUT or PATCH body carries, and where: wrapped in ``profile`` (the vendor's curl) or
    flat, its fields at the top level (the vendor's field table)."""
    body = (await read_json(request, JsonObject)).root
    if "profile" in body:
        return validate_body(model, body["profile"], "profile"), "profile."
    return validate_body(model, body), ""


async def _registration(request: Request, _: Partner) -> tuple[Profile, str]:
    return await _profile(request, Profile)


async def _amendment(request: Request, _: Partner) -> tuple[ProfilePatch, str]:
    return await _profile(request, ProfilePatch)


# Bodies read after the credential passed; /openapi.json describes them through json_body
Registration = Annotated[tuple[Profile, str], Depends(_registration)]
Amendment = Annotated[tuple[ProfilePatch, str], Depends(_amendment)]


@router.put(
    IB + "/clicks/{clickId}",
    response_model=Click,
    summary="Update a click (registration)",
    description="The whole profile, wrapped in `profile` or flat; a second registration replaces it.",
    responses={200: example(examples.REGISTERED), **errors(400, 401, NO_CLICK, TAKEN)},
    openapi_extra=merged(BEARER, json_body(RegistrationBody), body_example(examples.REGISTRATION)),
)
def put_click(click_id: ClickId, body: Registration, who: Partner, session: DB) -> Response:
    profile, at = body
    view = service.register(
        session,
        app_id=who.app_id,
        click_id=_click_id(click_id),
        profile=profile.model_dump(),
        partial=False,
        fields_at=at,
    )
    return JSONResponse(view)


@router.patch(
    IB + "/clicks/{clickId}",
    response_model=Click,
    summary="Update a click (part of the profile)",
    description="Part of the profile, wrapped in `profile` or flat. A click without a profile yet needs "
    "what PUT needs (then it registers as PUT does); else 422 and nothing changes.",
    responses={
        200: example(examples.REGISTERED),
        **errors(400, 401, NO_CLICK, TAKEN, PARTIAL_ON_NEW),
    },
    openapi_extra=merged(BEARER, json_body(AmendmentBody), body_example(examples.PROFILE_PATCH)),
)
def patch_click(click_id: ClickId, body: Amendment, who: Partner, session: DB) -> Response:
    profile, at = body
    view = service.register(
        session,
        app_id=who.app_id,
        click_id=_click_id(click_id),
        profile=profile.model_dump(exclude_unset=True),
        partial=True,
        fields_at=at,
    )
    return JSONResponse(view)


@router.delete(
    IB + "/clicks/{clickId}",
    status_code=204,
    summary="Delete a click",
    responses={204: {"description": "Deleted"}, **errors(400, 401, NO_CLICK)},
    openapi_extra=BEARER,
)
def delete_click(click_id: ClickId, who: Partner, session: DB) -> Response:
    service.delete_click(session, app_id=who.app_id, click_id=_click_id(click_id))
    return Response(status_code=204)


# --- the tracked redirect -------------------------------------------------------------------------------

NO_LINK = NotFound("Link not found", details={"fields": {"linkId": ["not found"]}})
PAST_LIMIT = service.gone("expired")  # the 410's example (past max_clicks: "Link click limit reached")
PATH_APP = {"name": "app_id", "in": "path", "required": True, "schema": {"type": "string"}}
PATH_LINK = {"name": "link_id", "in": "path", "required": True, "schema": {"type": "string"}}


def go_path(app_id: str, link_id: str) -> str:
    """The path of a link's tracked redirect (what its QR code opens), each id one escaped segment."""
    return GO_PATH.format(app_id=quote(app_id, safe=""), link_id=quote(link_id, safe=""))


@router.get(
    GO_PATH,
    status_code=302,
    response_class=RedirectResponse,
    summary="Follow a link (tracked redirect)",
    description="Records the visit as a click of the link, as `POST /ib/v1/clicks` would (its `uri`: the "
    "link's with the visit's query), and redirects to the target of the link's first rule the visit "
    "matches (country, device, language, query, time), else to the link's `uri`; the visit's query is "
    "added to either (but for parameters it names itself). A link past its `expires_at` or `max_clicks` "
    "follows no rule: the click is recorded with its verdict (`expired`, `limit_reached`) and the visit goes "
    "to the app's `partners.fallback_url` as is, else is answered 410.",
    responses={
        302: redirect(
            "To the first matching rule's target, else the link's uri, the visit's query added; for a link "
            "past its limits, to the app's fallback_url as is",
            "https://my.stage.org/register?referral=1&utm_source=poster",
        ),
        **errors(InvalidInput("the query must not contain a NUL character"), NO_LINK, PAST_LIMIT),
    },
    openapi_extra={
        "parameters": [
            PATH_APP,
            PATH_LINK,
            header_parameter("user-agent", "the visitor's (the click's agent; rules' `device`)"),
            header_parameter("accept-language", "the visitor's (rules' `language`)"),
            header_parameter("referer", "the page the visitor came from (the click's referrer)"),
        ]
    },
)
@lean
async def follow_link(request: Request) -> Response:
    """A visitor opened the link's tracked URL (its QR code, a short link): count the click, send them on."""
    rt = runtime(request)
    app_id, link_id = request.path_params["app_id"], request.path_params["link_id"]
    cat = await rt.configured(app_id, load_catalog) if storable(app_id) else EMPTY
    link = cat.links_by_id.get(link_id)
    if link is None:
        raise NO_LINK
    query = request.scope.get("query_string", b"").decode("latin-1")
    click = service.ClickInput(
        ip=_address(request),
        uri=service.visit_uri(link, query),
        locale=_locale(request),
        referrer=_header(request, "referer", 2048),
        user_agent=_header(request, "user-agent", 2048),
    )
    privacy = await rt.configured(app_id, load_privacy)
    location = await service.follow_link(
        rt.writer,
        cat,
        rt.geo,
        app_id=app_id,
        click=click,
        redirect=service.Redirect(link, query, request.headers.get("accept-language")),
        anonymize_ip=privacy.anonymize_ip,
    )
    return RedirectResponse(location, status_code=302, headers={"Cache-Control": "no-store"})


def _address(request: Request) -> str | None:
    """The visitor's address (behind a trusted proxy, the one it forwarded), or None when it is none."""
    try:
        return canonical_ip(request.client.host) if request.client else None
    except ValueError:
        return None


def _locale(request: Request) -> str | None:
    """The click's ``locale``: the first tag the visitor's ``Accept-Language`` lists ("en-US")."""
    first = (_header(request, "accept-language", 1024) or "").split(",")[0].split(";")[0].strip()
    return first[:64] or None


def _header(request: Request, name: str, limit: int) -> str | None:
    """A header as a click's column keeps it: no NUL (no engine's text keeps one alike), cut to fit."""
    return request.headers.get(name, "").replace("\x00", "")[:limit] or None
