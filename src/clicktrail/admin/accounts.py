"""``/admin/v1/users`` (owners manage the dashboard's users) and ``/admin/v1/audit`` (every admin change).

Included in the admin router (its guard, which lets only owners here, and owners and admins at the audit
log: ``core.access.authorize``) by ``admin.routes``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from ..core.tenancy import audit, users
from ..core.web.errors import Conflict, NotFound, Unauthorized
from ..core.web.http import db_session, envelope_route_class
from ..core.web.openapi import body_example, example, http_scheme, merged, requires
from . import examples
from .errors import BEARER, errors, render_error
from .guard import ActorDep
from .schemas import AuditPage, UserIn, UserOut, UserPatch

ADMIN = requires(http_scheme("adminBearer", "bearer", BEARER))
DENIED = Unauthorized("missing or wrong admin token")
NO_USER = NotFound("user 3 not found")
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]
SessionDep = Annotated[Session, Depends(db_session)]

router = APIRouter(route_class=envelope_route_class(render_error))


@router.get(
    "/users",
    response_model=list[UserOut],
    summary="List the dashboard's users",
    responses={200: example([examples.USER]), **errors(DENIED)},
    openapi_extra=ADMIN,
)
def list_users(session: SessionDep) -> Any:
    return users.list_users(session)


@router.post(
    "/users",
    response_model=UserOut,
    status_code=201,
    summary="Add a dashboard user",
    description="Owners only. The email is lowercased; the password is stored as an argon2id hash and never"
    " shown again. `apps` limits an admin or a viewer to those apps (null: every app).",
    responses={
        201: example(examples.USER),
        **errors(400, DENIED, Conflict("user 'ana@example.com' already exists")),
    },
    openapi_extra=merged(ADMIN, body_example(examples.USER_IN)),
)
def add_user(body: UserIn, session: SessionDep, actor: ActorDep) -> Any:
    return users.add_user(
        session, actor, email=body.email, password=body.password, role=body.role, apps=body.apps
    )


@router.get(
    "/users/{user_id}",
    response_model=UserOut,
    summary="Get a dashboard user",
    responses={200: example(examples.USER), **errors(400, DENIED, NO_USER)},
    openapi_extra=ADMIN,
)
def get_user(user_id: UserId, session: SessionDep) -> Any:
    return users.get_user(session, user_id)


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    summary="Change a user's role, apps or password",
    description="A field left out stays as it is; `apps: null` gives every app. Any change ends the"
    " user's dashboard sessions.",
    responses={200: example({**examples.USER, "role": "admin"}), **errors(400, DENIED, NO_USER)},
    openapi_extra=merged(ADMIN, body_example(examples.USER_PATCH)),
)
def update_user(user_id: UserId, body: UserPatch, session: SessionDep, actor: ActorDep) -> Any:
    apps = body.apps if "apps" in body.model_fields_set else users.KEEP
    return users.update_user(session, actor, user_id, role=body.role, apps=apps, password=body.password)


@router.delete(
    "/users/{user_id}",
    status_code=204,
    summary="Remove a dashboard user",
    description="Their dashboard sessions end with them.",
    responses={204: {"description": "Removed"}, **errors(400, DENIED, NO_USER)},
    openapi_extra=ADMIN,
)
def remove_user(user_id: UserId, session: SessionDep, actor: ActorDep) -> Response:
    users.remove_user(session, actor, user_id)
    return Response(status_code=204)


@router.get(
    "/audit",
    response_model=AuditPage,
    summary="List the admin changes, newest first",
    description="Who changed what and when: apps and config, credentials, deliveries replayed, people"
    " erased, users. Owners see every entry; an admin limited to apps sees those apps' entries.",
    responses={200: example(examples.AUDIT), **errors(400, DENIED)},
    openapi_extra=ADMIN,
)
def list_audit(
    session: SessionDep,
    actor: ActorDep,
    before: Annotated[
        int | None, Query(ge=1, le=2**63 - 1, description="the last id of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Any:
    return audit.page(session, actor, before=before, limit=limit)
