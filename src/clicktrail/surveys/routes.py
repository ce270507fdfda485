"""HTTP in and out for the surveys family: parse, authenticate, call one service function, render.

JSON API (BitLabs v2 paths), the hosted question page (HTML over the same service functions), and the
survey side's signed outcome reports."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import AfterValidator
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..core.storage.ids import nul_free
from ..core.web.errors import InvalidInput, NotFound, Unauthorized, Unprocessable
from ..core.web.http import db_session, envelope_route_class, json_body, lean, public_url, read_json, runtime
from ..core.web.openapi import body_example, example, header_scheme, merged, redirect, requires
from . import examples, listing, outcomes, service
from . import offerwall as pages
from .attribution import CLICK_IDS, LINK, SUB_ID_ALIASES, SUB_IDS, UTM, from_query
from .errors import errors, success
from .offerwall import html_error, question_page_headers
from .schemas import (
    ClickCreatedEnvelope,
    ClickStateEnvelope,
    ClickUpdate,
    EmptyEnvelope,
    OutcomeEnvelope,
    SurveyListEnvelope,
    accept_languages,
    language_preference,
)
from .session_steps import load_click

router = APIRouter(route_class=envelope_route_class(pages.render_error), tags=["surveys"])

# The publisher's app authenticates with both headers; click ids are capabilities and need neither.
WALL = requires(
    header_scheme("surveysToken", "X-Api-Token", "the secret of a credential with the `surveys` scope"),
    header_scheme("surveysUser", "X-User-Id", "the publisher's user id, at most 65 characters"),
)
NO_CLICK = NotFound("click '85f15dfb' not found")


def _attribution_parameter(name: str, description: str) -> dict[str, Any]:
    schema = {"type": "string", "description": description}
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


# Optional, ours (BitLabs' click URL has none of them): read by ``attribution.from_query``.
ATTRIBUTION_PARAMETERS = [
    *(_attribution_parameter(name, "kept on the click (first 255 characters)") for name in UTM),
    _attribution_parameter(LINK, "the placement the click came through (first 64 characters)"),
    *(_attribution_parameter(name, "a sub-id, kept on the click (first 255 characters)") for name in SUB_IDS),
    *(_attribution_parameter(name, "the same as sub1") for name in SUB_ID_ALIASES),
    *(_attribution_parameter(name, "an ad click id, kept (first 255 characters)") for name in CLICK_IDS),
]

ClickId = Annotated[str, Path(max_length=64, description="the click's id (a UUID)")]


def wall_user(
    request: Request,
    x_api_token: Annotated[str | None, Header(description="the app's surveys token")] = None,
    x_user_id: Annotated[str | None, Header(description="the publisher's user id, at most 65 chars")] = None,
) -> tuple[str, str]:
    """(app_id, user_id) from ``X-Api-Token`` + ``X-User-Id``."""
    principal = runtime(request).auth.authenticate(x_api_token, "surveys")
    if not x_user_id or not x_user_id.strip():
        raise InvalidInput("X-User-Id is required")
    if len(x_user_id) > 65:
        raise InvalidInput("X-User-Id is longer than 65 characters")
    return principal.app_id, x_user_id


WallUser = Annotated[tuple[str, str], Depends(wall_user)]
Db = Annotated[Session, Depends(db_session)]
AcceptLanguage = Annotated[str | None, Header()]


def ok(data: Any) -> JSONResponse:
    return success(data)


@router.get(
    "/v2/client/surveys",
    summary="List the user's surveys",
    responses={200: {"model": SurveyListEnvelope, **example(examples.SURVEY_LIST)}, **errors(400, 401, 404)},
    openapi_extra=merged(WALL, {"parameters": ATTRIBUTION_PARAMETERS}),
)
def get_surveys(
    request: Request,
    user: WallUser,
    db: Db,
    client_country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    accept_language: AcceptLanguage = None,
) -> JSONResponse:
    """The user's eligible surveys (and the start bonus while not earned). UTM fields, `link` and sub-ids
    given here are carried on every `click_url`, so the clicks keep them."""
    country = client_country.upper() if client_country else None
    if country is None and request.client is not None:
        country = runtime(request).geo.lookup(request.client.host).country_code
    data = listing.list_surveys(
        db,
        app_id=user[0],
        user_id=user[1],
        country=country,
        languages=language_preference(accept_language),
        base_url=public_url(request, "/"),
        attribution=from_query(request.query_params),
    )
    return ok(data)


@router.post(
    "/v2/client/surveys/{survey_id}/skip",
    summary="Skip a survey",
    responses={
        200: {"model": EmptyEnvelope, **example(examples.EMPTY)},
        **errors(400, 401, NotFound("survey 'srv-auto' not found")),
    },
    openapi_extra=WALL,
)
def skip_survey(user: WallUser, db: Db, survey_id: Annotated[str, Path(max_length=64)]) -> JSONResponse:
    """Hide a survey from this user's listings."""
    listing.skip_survey(db, app_id=user[0], user_id=user[1], survey_id=survey_id)
    return ok({})


def _click_country(request: Request) -> str | None:
    return runtime(request).geo.lookup(request.client.host).country_code if request.client else None


Impression = Annotated[str, Query(min_length=1, max_length=64, description="impression id")]
SessionId = Annotated[str, Query(min_length=1, max_length=64, description="session id")]


async def _open(request: Request, impression: str, session_id: str) -> tuple[str, str | None]:
    rt = runtime(request)
    return await service.open_click(
        rt.writer,
        rt.config,
        impression=impression,
        session_id=session_id,
        country=_click_country(request),
        attribution=from_query(request.query_params),
        user_agent=request.headers.get("user-agent"),
    )


def _query_parameter(name: str, description: str) -> dict[str, Any]:
    """What FastAPI would document for ``Impression`` / ``SessionId`` (the lean route reads them itself)."""
    schema = {
        "type": "string",
        "minLength": 1,
        "maxLength": 64,
        "description": description,
        "title": name.upper(),
    }
    return {"name": name, "in": "query", "required": True, "schema": schema, "description": description}


@router.post(
    "/v2/client/clicks",
    summary="Create a click",
    responses={
        200: {"model": ClickCreatedEnvelope, **example(examples.CLICK_CREATED)},
        **errors(400, NotFound("unknown impression")),
    },
    openapi_extra={
        "parameters": [
            _query_parameter("i", "impression id"),
            _query_parameter("s", "session id"),
            *ATTRIBUTION_PARAMETERS,
        ]
    },
)
@lean
async def create_click(request: Request) -> Response:
    """Create a click from a survey's ``click_url``, for an app that renders the questions itself."""
    impression, session_id = _query(request, "i"), _query(request, "s")
    click_id, _ = await _open(request, impression, session_id)
    return ok({"id": click_id})


def _query(request: Request, name: str) -> str:
    """A required query parameter of 1 to 64 characters, refused as FastAPI refuses ``Impression``."""
    value = request.query_params.get(name)
    if value is not None and 0 < len(value) <= 64:
        return value
    if value is None:
        problem = {"type": "missing", "msg": "Field required"}
    elif not value:
        problem = {"type": "string_too_short", "msg": "String should have at least 1 character"}
    else:
        problem = {"type": "string_too_long", "msg": "String should have at most 64 characters"}
    raise RequestValidationError([{**problem, "loc": ("query", name)}])


@router.get(
    "/v2/client/clicks",
    status_code=302,
    response_class=RedirectResponse,
    summary="Create a click and open it",
    responses={
        302: redirect("to the hosted question page, or to where the click ends", examples.CLICK_URL),
        **errors(400, NotFound("unknown impression")),
    },
    openapi_extra={"parameters": ATTRIBUTION_PARAMETERS},
)
async def open_click(request: Request, i: Impression, s: SessionId) -> RedirectResponse:
    """Create a click and send the browser on: to the hosted question page, or straight to the redirect."""
    click_id, target = await _open(request, i, s)
    page = public_url(request, request.app.url_path_for("question_page", click_id=click_id))
    return RedirectResponse(target or page, 302)


@router.get(
    "/v2/client/clicks/{click_id}",
    summary="Get a click",
    responses={
        200: {"model": ClickStateEnvelope, **example(examples.CLICK_STATE)},
        **errors(400, NO_CLICK),
    },
)
def get_click(db: Db, click_id: ClickId, accept_language: AcceptLanguage = None) -> JSONResponse:
    """The click's progress and either the open question or the redirect."""
    return ok(service.get_click(db, click_id=click_id, languages=accept_languages(accept_language)))


# What FastAPI would document for ``click_id: ClickId`` and ``accept_language: AcceptLanguage`` (the lean
# route below reads them itself).
CLICK_ID_PARAMETER = {
    "name": "click_id",
    "in": "path",
    "required": True,
    "schema": {
        "type": "string",
        "maxLength": 64,
        "description": "the click's id (a UUID)",
        "title": "Click Id",
    },
    "description": "the click's id (a UUID)",
}
ACCEPT_LANGUAGE_PARAMETER = {
    "name": "accept-language",
    "in": "header",
    "required": False,
    "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Accept-Language"},
}


@router.post(
    "/v2/client/clicks/{click_id}",
    summary="Answer, skip or leave a click's question",
    responses={
        200: {"model": ClickStateEnvelope, **example(examples.CLICK_ENDED)},
        **errors(400, NO_CLICK, Unprocessable("the answer needs at least 5 characters", code="TOO_SHORT")),
    },
    openapi_extra=merged(
        json_body(ClickUpdate, CLICK_ID_PARAMETER, ACCEPT_LANGUAGE_PARAMETER), body_example(examples.ANSWER)
    ),
)
@lean
async def update_click(request: Request) -> Response:
    """Answer, skip or leave; answers the changed state. The body is JSON whatever its Content-Type says
    (the iOS SDK sends none, Flutter ``text/plain``); an unknown click is a 404 whatever the body."""
    click_id = _path_click_id(request)
    try:
        action = (await read_json(request, ClickUpdate)).action()
    except (RequestValidationError, Unprocessable):
        await run_in_threadpool(_known_click, request, click_id)
        raise
    rt = runtime(request)
    languages = accept_languages(request.headers.get("accept-language"))
    return ok(await service.act(rt.writer, rt.config, click_id=click_id, action=action, languages=languages))


def _path_click_id(request: Request) -> str:
    """``click_id`` of the path, refused as FastAPI refuses a ``ClickId`` too long."""
    click_id: str = request.path_params["click_id"]
    if len(click_id) > 64:
        too_long = "String should have at most 64 characters"
        raise RequestValidationError(
            [{"type": "string_too_long", "loc": ("path", "click_id"), "msg": too_long}]
        )
    return click_id


def _known_click(request: Request, click_id: str) -> None:
    with runtime(request).sessions() as session, session.begin():
        load_click(session, click_id)


# --- the hosted question page --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def templates() -> Environment:
    return Environment(
        loader=PackageLoader("clicktrail.surveys", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _page(
    state: dict[str, Any],
    *,
    action: str,
    error: str | None = None,
    status: int = 200,
    typed: list[str] | None = None,
) -> Any:
    if "redirect" in state:
        return RedirectResponse(state["redirect"]["url"], 303)
    nonce = secrets.token_urlsafe(16)
    html = (
        templates()
        .get_template("question.html")
        .render(
            state=state,
            action=action,
            error=error,
            typed=typed or [],
            reasons=service.LEAVE_REASONS,
            nonce=nonce,
        )
    )
    return HTMLResponse(html, status_code=status, headers=question_page_headers(nonce))


def _self(request: Request) -> str:
    """This page's own URL, for its form (never built on the Host header: see ``public_url``)."""
    query = request.url.query
    return public_url(request, request.url.path) + (f"?{query}" if query else "")


@router.get(
    "/v2/client/clicks/{click_id}/page",
    response_class=HTMLResponse,
    name="question_page",
    summary="Show a click's question page",
    responses={
        200: example(examples.PAGE, "text/html"),
        303: redirect(
            "the click has ended: to its redirect URL", examples.CLICK_ENDED["data"]["redirect"]["url"]
        ),
        400: html_error("a malformed click id"),
        404: html_error("no such click"),
    },
)
def question_page(request: Request, db: Db, click_id: ClickId, accept_language: AcceptLanguage = None) -> Any:
    """The hosted page: the open question as a plain HTML form, or a 303 to where the click ends."""
    state = service.get_click(db, click_id=click_id, languages=accept_languages(accept_language))
    return _page(state, action=_self(request))


FormText = Annotated[str, AfterValidator(nul_free)]  # answers are stored: one answer on both engines


@router.post(
    "/v2/client/clicks/{click_id}/page",
    response_class=HTMLResponse,
    summary="Submit a click's question page",
    responses={
        200: example(examples.PAGE, "text/html"),
        303: redirect(
            "the click has ended: to its redirect URL", examples.CLICK_ENDED["data"]["redirect"]["url"]
        ),
        422: {
            "description": "the answer was refused: the page again, with the reason",
            "content": {"text/html": {"schema": {"type": "string"}, "example": examples.PAGE}},
        },
        400: html_error("a malformed click id or form"),
        404: html_error("no such click"),
    },
    openapi_extra=body_example({"do": "answer", "answers": ["1"]}, "application/x-www-form-urlencoded"),
)
async def submit_page(
    request: Request,
    click_id: ClickId,
    do: Annotated[Literal["answer", "skip", "leave"], Form()],
    answers: Annotated[list[FormText], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    reason: Annotated[FormText | None, Form()] = None,
    accept_language: AcceptLanguage = None,
) -> Any:
    """The page's form: the same actions as ``POST /v2/client/clicks/{clickId}``."""
    rt = runtime(request)
    languages = accept_languages(accept_language)
    action = service.Action(kind=do, answers=tuple(a for a in answers if a != ""), reason=reason)
    try:
        state = await service.act(rt.writer, rt.config, click_id=click_id, action=action, languages=languages)
    except Unprocessable as exc:
        state = await run_in_threadpool(_state, request, click_id, languages)
        return _page(state, action=_self(request), error=exc.message, status=422, typed=answers)
    return _page(state, action=_self(request))


def _state(request: Request, click_id: str, languages: list[str]) -> dict[str, Any]:
    with runtime(request).sessions() as session:
        return service.get_click(session, click_id=click_id, languages=languages)


# --- outcomes reported by the survey side --------------------------------------------------------------


OUTCOME_PATH = "/v2/server/clicks/{click_id}/{outcome}"


OUTCOME_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": OutcomeEnvelope, **example(examples.OUTCOME)},
    **errors(
        400,
        Unauthorized("invalid or missing hash"),
        NO_CLICK,
        Unprocessable("the click is terminated, not in the survey", code="INVALID_STATE"),
    ),
}


@router.get(
    OUTCOME_PATH,
    operation_id="report_outcome_get",
    summary="Report a click's outcome",
    responses=OUTCOME_RESPONSES,
)
@router.post(
    OUTCOME_PATH,
    operation_id="report_outcome_post",
    summary="Report a click's outcome",
    responses=OUTCOME_RESPONSES,
)
def report_outcome(
    request: Request,
    db: Db,
    click_id: ClickId,
    outcome: Literal["complete", "screenout", "reconciliation"],
    hash: Annotated[str, Query(min_length=40, max_length=40, description="HMAC-SHA1, the last parameter")],
) -> JSONResponse:
    """The survey side reports a click's outcome (signed like the vendor's callbacks, over path + query)."""
    target = f"{request.url.path}?{request.url.query}"
    return ok(outcomes.report_outcome(db, click_id=click_id, outcome=outcome, target=target))
