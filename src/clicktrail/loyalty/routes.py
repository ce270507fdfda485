"""HTTP in and out for the loyalty family: parse, authenticate, call one service function, render."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import Field, TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..core.tenancy.apps import Principal
from ..core.web.errors import Conflict, InvalidInput, Unauthorized
from ..core.web.http import JSON, db_session, envelope_route_class, json_body, lean, read_json, runtime
from ..core.web.idempotency import never_kept
from ..core.web.openapi import body_example, example, http_scheme, merged, requires
from . import activity, auth, examples, program, schemas, service, transactions
from .errors import NO_STORE, errors, oauth_errors, render_error

router = APIRouter(route_class=envelope_route_class(render_error), tags=["loyalty"])

Caller = Annotated[Principal, Depends(auth.principal)]
Db = Annotated[Session, Depends(db_session)]
CorrelationId = Annotated[str, Path(max_length=64)]
HISTORY_PARAMS = {"limit", "transactionId", "from", "to"}
_CORRELATION_ID = TypeAdapter(Annotated[str, Field(max_length=64)])
# What FastAPI described for the classic trial route, kept for the lean one.
PATH_CORRELATION_ID = {
    "name": "correlation_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "maxLength": 64, "title": "Correlation Id"},
}
AUTHORIZATION = {
    "name": "authorization",
    "in": "header",
    "required": False,
    "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Authorization"},
}
BEARER = requires(
    http_scheme("loyaltyBearer", "bearer", "a token from `POST /oauth/token`, or the credential's secret")
)
# Client credentials come as Basic or as client_id/client_secret in the form: the scheme is optional.
BASIC = requires(
    http_scheme("clientBasic", "basic", "`client_id:secret` of a credential (token endpoints)"), optional=True
)
TOKEN_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {"type": "string", "description": "instead of Basic"},
                        "client_secret": {"type": "string", "description": "instead of Basic"},
                        "scope": {"type": "string", "enum": ["loyalty"]},
                    },
                },
                "example": examples.TOKEN_FORM,
            }
        },
    }
}
FINALIZED = InvalidInput(service.FINALIZED)
RETRY = Conflict("the transaction could not be booked; try again")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@router.post(
    "/oauth/token",
    summary="Get a bearer token (OAuth 2.0 client credentials)",
    responses={
        200: example(examples.TOKEN),
        **oauth_errors(
            InvalidInput("grant_type is required", details={"oauth_error": "invalid_request"}),
            Unauthorized("client authentication failed", details={"oauth_error": "invalid_client"}),
        ),
    },
    openapi_extra=merged(BASIC, TOKEN_FORM),
)
async def token(request: Request, authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
    never_kept(request.scope)  # a token is a secret: a retry gets a new one
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    body = await run_in_threadpool(
        auth.issue_token,
        runtime(request).auth,
        authorization=authorization,
        form=form,
        content_type=request.headers.get("content-type", ""),
    )
    return JSONResponse(body, headers=NO_STORE)


@router.post(
    "/client/users/anonymous/sessions",
    summary="Start a session without a loyalty id",
    responses={200: example(examples.ANONYMOUS_SESSION), **errors(400, 401)},
    openapi_extra=merged(BEARER, body_example(examples.ANONYMOUS_SESSION_REQUEST)),
)
def start_anonymous_session(caller: Caller, db: Db, body: schemas.StartAnonymousSession) -> dict[str, Any]:
    return service.start_anonymous_session(
        db,
        app_id=caller.app_id,
        correlation_id=body.correlationId,
        channel=body.channel,
        locale=body.locale,
        external_identifier=body.externalIdentifier,
    )


@router.post(
    "/client/users/{identifier}/sessions",
    summary="Start a session for a member",
    responses={
        200: example(examples.MEMBER_SESSION),
        **errors(400, 401, Conflict("the member could not be enrolled; try again")),
    },
    openapi_extra=merged(BEARER, body_example(examples.MEMBER_SESSION_REQUEST)),
)
def start_member_session(
    caller: Caller,
    db: Db,
    body: schemas.StartSession,
    identifier: Annotated[str, Path(max_length=255)],
    x_identifier_type: Annotated[
        str | None, Header(json_schema_extra={"enum": list(schemas.IDENTIFIER_TYPES)})
    ] = None,
) -> dict[str, Any]:
    return service.start_member_session(
        db,
        app_id=caller.app_id,
        identifier=identifier,
        identifier_type=x_identifier_type,
        correlation_id=body.correlationId,
        channel=body.channel,
        locale=body.locale,
    )


@router.post(
    "/client/users/{correlation_id}/activity/trial/v2",
    summary="Send trial activity",
    response_model=dict[str, Any],
    responses={200: example(examples.TRIAL), **errors(InvalidInput(service.NO_SESSION), 401)},
    openapi_extra=merged(
        json_body(schemas.Activity, PATH_CORRELATION_ID, AUTHORIZATION),
        BEARER,
        body_example(examples.ACTIVITY),
    ),
)
@lean
async def trial(request: Request) -> Response:
    rt = runtime(request)
    who = await auth.caller(request)
    correlation_id = request.path_params["correlation_id"]
    body = await _read_activity(request, correlation_id)
    rules = await rt.configured(who.app_id, program.load)
    try:
        answer = await activity.record_trial(
            rt.writer,
            rules,
            app_id=who.app_id,
            correlation_id=correlation_id,
            action=body.action,
            channel=body.channel,
            transaction_date=body.transactionDate,
            call_id=body.callId,
            locale=body.locale,
            amount=body.basket.amount,
            currency=body.basket.currency,
            line_items=len(body.basket.lineItems),
        )
    except IntegrityError:
        # The same callId was being recorded by another process: answer as it did.
        if body.callId is None:
            raise
        with rt.sessions() as session:
            earlier = await run_in_threadpool(
                activity.earlier_trial,
                session,
                app_id=who.app_id,
                correlation_id=correlation_id,
                call_id=body.callId,
            )
        if earlier is None:
            raise
        answer = earlier
    return JSON(answer)


# The body is read loosely (the vendor's own error for a wrong response) but described as what it must be.
PROMPT_RESPONSE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["response"],
                    "properties": {"response": {"type": "string", "enum": list(schemas.RESPONSES)}},
                }
            }
        },
    }
}


@router.put(
    "/client/users/{correlation_id}/prompts/{promptMessage_id}",
    summary="Capture near miss prompt response",
    responses={
        200: example(examples.PROMPT_CAPTURED),
        **errors(InvalidInput(f"{examples.PROMPT_ID}x is not a valid promptMessageId"), 401),
    },
    openapi_extra=merged(BEARER, PROMPT_RESPONSE_BODY, body_example(examples.PROMPT_RESPONSE)),
)
def capture_prompt_response(
    caller: Caller,
    db: Db,
    correlation_id: CorrelationId,
    promptMessage_id: str,
    body: Annotated[Any, Body()] = None,
) -> JSONResponse:
    result = activity.capture_prompt_response(
        db,
        app_id=caller.app_id,
        correlation_id=correlation_id,
        prompt_id=promptMessage_id,
        response=body.get("response") if isinstance(body, dict) else None,
    )
    return JSONResponse(result)


@router.post(
    "/client/users/{correlation_id}/activity/finalize/v2",
    summary="Send finalize transaction",
    responses={200: example(examples.FINALIZED), **errors(FINALIZED, 401, RETRY)},
    openapi_extra=merged(BEARER, body_example(examples.FINALIZE)),
)
def finalize(caller: Caller, db: Db, correlation_id: CorrelationId, body: schemas.Finalize) -> dict[str, Any]:
    return transactions.finalize(
        db,
        app_id=caller.app_id,
        correlation_id=correlation_id,
        action=body.action,
        channel=body.channel,
        transaction_date=body.transactionDate,
        call_id=body.callId,
        amount=body.basket.amount,
        currency=body.basket.currency,
        tender=body.tender,
        confirmation_mode=body.confirmation.mode if body.confirmation else None,
    )


@router.get(
    "/client/users/{correlation_id}/transactions/history/v2",
    summary="Get the transaction history",
    responses={200: example(examples.HISTORY), **errors(400, 401)},
    openapi_extra=BEARER,
)
def history(
    request: Request,
    caller: Caller,
    db: Db,
    correlation_id: CorrelationId,
    limit: Annotated[int, Query(ge=1, le=150)] = 30,
    transactionId: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[int | None, Query(alias="from", ge=0, le=253402300799999)] = None,
    until: Annotated[int | None, Query(alias="to", ge=0, le=253402300799999)] = None,
) -> dict[str, Any]:
    unknown = sorted(set(request.query_params) - HISTORY_PARAMS)
    if unknown:
        raise InvalidInput(
            f"{unknown[0]} is not a valid query parameter (use limit, transactionId, from, to)"
        )
    return transactions.transaction_history(
        db,
        app_id=caller.app_id,
        correlation_id=correlation_id,
        limit=limit,
        after_transaction_id=transactionId,
        since=_from_ms(since),
        until=_from_ms(until),
    )


async def _read_activity(request: Request, correlation_id: str) -> schemas.Activity:
    """The body, and the path's correlation id checked as FastAPI checked it for the classic route: a
    malformed body alone, else the path's errors first, then the body's."""
    try:
        _CORRELATION_ID.validate_python(correlation_id)
        path_errors: list[Any] = []
    except ValidationError as exc:
        path_errors = [{**e, "loc": ("path", "correlation_id")} for e in exc.errors(include_url=False)]
    try:
        body = await read_json(request, schemas.Activity)
    except RequestValidationError as exc:
        if not path_errors or any(e.get("type") == "json_invalid" for e in exc.errors()):
            raise
        raise RequestValidationError([*path_errors, *exc.errors()]) from None
    if path_errors:
        raise RequestValidationError(path_errors)
    return body


def _from_ms(value: int | None) -> datetime | None:
    return None if value is None else EPOCH + timedelta(milliseconds=value)
