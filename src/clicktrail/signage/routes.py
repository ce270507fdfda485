"""HTTP in and out for the signage family: parse, authenticate, call one service function, render."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from ..core.errors import InvalidInput
from ..core.http import db_session, envelope_route_class, runtime
from ..core.tenancy import Principal
from . import service
from .errors import render_error
from .schemas import CouponIssued, ErrorOut, SessionCreated, SessionIn, StatusUpdated, StatusUpdateIn

router = APIRouter(route_class=envelope_route_class(render_error), tags=["signage"])
SessionDep = Annotated[Session, Depends(db_session)]
Model = TypeVar("Model", bound=BaseModel)


def api_key(request: Request, key: Annotated[str | None, Header(alias="API-KEY")] = None) -> Principal:
    """SmartRetail's ``API-KEY`` header: a credential of the app with the ``signage`` scope."""
    return runtime(request).auth.authenticate(key, "signage")


Caller = Annotated[Principal, Depends(api_key)]


def json_body(model: type[Model]) -> Callable[..., Awaitable[Model]]:
    """The JSON body as ``model``, read only after the API-KEY passed (a stranger learns nothing)."""

    async def read(request: Request, _: Caller) -> Model:
        raw = await request.body()
        try:
            data = json.loads(raw) if raw.strip() else None
        except ValueError:
            raise InvalidInput("Request body must be valid JSON") from None
        if not isinstance(data, dict):
            raise InvalidInput("Request body must be a JSON object")
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise InvalidInput(_describe(exc)) from None

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


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad Request"},
    401: {"model": ErrorOut, "description": "API-KEY is invalid"},
    500: {"model": ErrorOut, "description": "Internal error occured, please check with our team"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Not Found"}}


@router.get(
    "/smart-engage/scan/{app_id}/{campaign_id}",
    status_code=302,
    response_class=RedirectResponse,
    responses={302: {"description": "To the campaign's form, with session_id in its query"}, **NOT_FOUND},
)
def scan(
    app_id: str,
    campaign_id: str,
    request: Request,
    session: SessionDep,
    user_agent: Annotated[str | None, Header()] = None,
) -> RedirectResponse:
    """A shopper scanned the campaign's QR code: open a session and send them to the form."""
    ip = request.client.host if request.client else None
    location = service.record_scan(
        session,
        app_id=app_id,
        campaign_id=campaign_id,
        ip=ip,
        country=runtime(request).geo.lookup(ip).country_code if ip else None,
        user_agent=user_agent,
    )
    return RedirectResponse(location, status_code=302, headers={"Cache-Control": "no-store"})


@router.post(
    "/smart-engage/post/create-session",
    response_model=SessionCreated,
    responses={**ERRORS, **NOT_FOUND},
    openapi_extra=_body_doc(SessionIn),
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
    responses={**ERRORS, **NOT_FOUND},
    openapi_extra=_body_doc(StatusUpdateIn),
)
def update_session_status(
    caller: Caller, body: Annotated[StatusUpdateIn, Depends(json_body(StatusUpdateIn))], session: SessionDep
) -> StatusUpdated:
    """Record a step of the shopper's journey (statuses only move forward)."""
    service.update_status(
        session, app_id=caller.app_id, session_id=body.session_id, new_status=body.new_status
    )
    return StatusUpdated()


@router.post("/smart-engage/post/engage-v3/{session_id}", response_model=CouponIssued, responses=ERRORS)
def engage_v3(session_id: str, caller: Caller, session: SessionDep) -> CouponIssued:
    """Issue the session's coupon (once, after its status reached the campaign's ``coupon_after``)."""
    code = service.issue_coupon(session, app_id=caller.app_id, session_id=session_id)
    return CouponIssued(coupon_code=code)
