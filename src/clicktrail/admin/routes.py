"""``/admin/v1``: thin routes over admin.service and apply, guarded by the server-wide admin token."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from sqlalchemy.orm import Session

from ..apply import apply_or_raise
from ..core.config import parse_text
from ..core.errors import InvalidInput, Unauthorized
from ..core.family import scope_names
from ..core.http import db_session, envelope_route_class, runtime
from ..core.tenancy import read_bearer
from . import erase, service
from .errors import render_error
from .schemas import (
    ApplyOut,
    AppOut,
    CredentialCreated,
    CredentialIn,
    CredentialOut,
    ErasureReceipt,
    EventPage,
    RotateIn,
)


def require_admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    expected = runtime(request).settings.admin_token
    presented = read_bearer(authorization)
    if not expected:
        raise Unauthorized("the admin API is disabled: set CLICKTRAIL_ADMIN_TOKEN")
    if presented is None or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Unauthorized("missing or wrong admin token")


router = APIRouter(
    prefix="/admin/v1",
    route_class=envelope_route_class(render_error),
    dependencies=[Depends(require_admin)],
    tags=["admin"],
)
SessionDep = Annotated[Session, Depends(db_session)]


@router.get("/apps", response_model=list[AppOut])
def list_apps(session: SessionDep) -> Any:
    return service.list_apps(session)


@router.get("/apps/{app_id}", response_model=AppOut)
def get_app(app_id: str, session: SessionDep) -> Any:
    return service.get_app(session, app_id=app_id)


@router.put(
    "/config",
    response_model=ApplyOut,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "application/yaml": {"schema": {"type": "string"}},
            }
        }
    },
)
async def put_config(request: Request) -> Any:
    """The same document as ``clicktrail apply``, as JSON or YAML."""
    body = (await request.body()).decode("utf-8", errors="replace")
    content_type = request.headers.get("content-type", "")
    data = parse_text(body, json_first="json" in content_type or "yaml" not in content_type)
    rt = runtime(request)
    report = apply_or_raise(rt.sessions, data, request.app.state.families)
    rt.auth.cache.clear()
    return report.as_dict()


@router.get("/apps/{app_id}/credentials", response_model=list[CredentialOut])
def list_credentials(app_id: str, session: SessionDep) -> Any:
    return service.list_credentials(session, app_id=app_id)


@router.post("/apps/{app_id}/credentials", response_model=CredentialCreated, status_code=201)
def create_credential(app_id: str, body: CredentialIn, session: SessionDep) -> Any:
    return service.create_credential(
        session,
        app_id=app_id,
        name=body.name,
        scopes=body.scopes,
        client_id=body.client_id,
        secret=body.secret,
    )


@router.post("/apps/{app_id}/credentials/{name}/rotate", response_model=CredentialCreated)
def rotate_credential(
    request: Request, app_id: str, name: str, session: SessionDep, body: RotateIn | None = None
) -> Any:
    result = service.rotate_credential(
        session, app_id=app_id, name=name, secret=body.secret if body else None
    )
    runtime(request).auth.cache.clear()
    return result


@router.delete("/apps/{app_id}/credentials/{name}", status_code=204)
def revoke_credential(request: Request, app_id: str, name: str, session: SessionDep) -> Response:
    service.revoke_credential(session, app_id=app_id, name=name)
    runtime(request).auth.cache.clear()
    return Response(status_code=204)


@router.get("/apps/{app_id}/events", response_model=EventPage)
def list_events(
    app_id: str,
    session: SessionDep,
    family: Annotated[str | None, Query()] = None,
    type: Annotated[str | None, Query(max_length=64)] = None,
    journey_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[datetime | None, Query(description="ISO 8601, inclusive")] = None,
    until: Annotated[datetime | None, Query(description="ISO 8601, inclusive")] = None,
    after: Annotated[int | None, Query(ge=0, description="the last id of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    if family is not None and family not in scope_names():
        raise InvalidInput(f"family: unknown family '{family}' (expected one of {', '.join(scope_names())})")
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput(f"{name}: give a time zone (e.g. 2026-01-01T00:00:00Z)")
    return service.events_page(
        session,
        app_id=app_id,
        family=family,
        type=type,
        journey_id=journey_id,
        since=since,
        until=until,
        after=after,
        limit=limit,
    )


@router.delete(
    "/apps/{app_id}/users/{user_id:path}",
    response_model=ErasureReceipt,
    summary="Erase one person's data in every family (idempotent)",
)
def erase_user(request: Request, app_id: str, user_id: str, session: SessionDep) -> Any:
    return erase.erase_user(session, request.app.state.families, app_id=app_id, user_id=user_id)
