"""The admin API's one guard: who calls (the admin token, a dashboard user's session, a metrics credential,
``core.actors``) and whether they may make this call (``core.access.authorize``: 401 unknown, 403 not
allowed). Every admin route runs it once; a route that changes something takes the actor, for its audit
row."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from ..core.tenancy import actors
from ..core.tenancy.access import Actor, authorize
from ..core.tenancy.apps import read_bearer
from ..core.web.errors import Unauthorized
from ..core.web.http import runtime

ROOT = "/admin/v1"


def admit(request: Request, authorization: Annotated[str | None, Header()] = None) -> Actor:
    rt = runtime(request)
    expected = rt.settings.admin_token
    if not expected:
        raise Unauthorized("the admin API is disabled: set CLICKTRAIL_ADMIN_TOKEN")
    presented = read_bearer(authorization)
    actor = None if presented is None else actors.of_bearer(expected, presented, rt.sessions, rt.auth)
    if actor is None:
        raise Unauthorized("missing or wrong admin token")
    path = request.url.path.split(ROOT, 1)[-1]  # below the API's root (and any proxy's prefix)
    route, app_id = request.scope["route"].name, request.path_params.get("app_id")
    authorize(actor, method=request.method, route=route, path=path, app_id=app_id)
    return actor


ActorDep = Annotated[Actor, Depends(admit)]
