"""HTTP in and out for the loyalty family: parse, authenticate, call one service function, render."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..core.errors import InvalidInput
from ..core.http import db_session, envelope_route_class, runtime
from ..core.tenancy import Principal
from . import activity, auth, schemas, service, transactions
from .errors import NO_STORE, render_error

router = APIRouter(route_class=envelope_route_class(render_error), tags=["loyalty"])

Caller = Annotated[Principal, Depends(auth.principal)]
Db = Annotated[Session, Depends(db_session)]
CorrelationId = Annotated[str, Path(max_length=64)]
HISTORY_PARAMS = {"limit", "transactionId", "from", "to"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@router.post("/oauth/token", summary="OAuth 2.0 client credentials: get a bearer token")
async def token(request: Request, authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    body = await run_in_threadpool(
        auth.issue_token,
        runtime(request).auth,
        authorization=authorization,
        form=form,
        content_type=request.headers.get("content-type", ""),
    )
    return JSONResponse(body, headers=NO_STORE)


@router.post("/client/users/anonymous/sessions", summary="Start a session without a loyalty id")
def start_anonymous_session(caller: Caller, db: Db, body: schemas.StartAnonymousSession) -> dict[str, Any]:
    return service.start_anonymous_session(
        db,
        app_id=caller.app_id,
        correlation_id=body.correlationId,
        channel=body.channel,
        locale=body.locale,
        external_identifier=body.externalIdentifier,
    )


@router.post("/client/users/{identifier}/sessions", summary="Start a session for a member")
def start_member_session(
    caller: Caller,
    db: Db,
    body: schemas.StartSession,
    identifier: Annotated[str, Path(max_length=255)],
    x_identifier_type: Annotated[str | None, Header()] = None,
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


@router.post("/client/users/{correlation_id}/activity/trial/v2", summary="Send trial activity")
def trial(caller: Caller, db: Db, correlation_id: CorrelationId, body: schemas.Activity) -> dict[str, Any]:
    return activity.record_trial(
        db,
        app_id=caller.app_id,
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


@router.put(
    "/client/users/{correlation_id}/prompts/{promptMessage_id}",
    summary="Capture near miss prompt response",
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


@router.post("/client/users/{correlation_id}/activity/finalize/v2", summary="Send finalize transaction")
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


@router.get("/client/users/{correlation_id}/transactions/history/v2", summary="Transaction history")
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


def _from_ms(value: int | None) -> datetime | None:
    return None if value is None else EPOCH + timedelta(milliseconds=value)
