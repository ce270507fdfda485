"""RFC 9457 problem details."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..core.web.errors import ClicktrailError, ConfigError, Forbidden, Unauthorized
from ..core.web.openapi import error_responses


class ProblemItem(BaseModel):
    path: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details (``application/problem+json``); ``errors`` lists what was refused."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemItem] | None = None


def render_error(request: Request, error: ClicktrailError, status: int) -> JSONResponse:
    body: dict = {
        "type": f"urn:clicktrail:problem:{error.code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": error.message,
        "instance": request.url.path,
    }
    if isinstance(error, ConfigError):
        body["errors"] = [{"path": path, "message": message} for path, message in error.problems]
    elif "fields" in error.details:
        body["errors"] = [
            {"path": path, "message": msg} for path, msgs in error.details["fields"].items() for msg in msgs
        ]
    headers = {"WWW-Authenticate": 'Bearer realm="clicktrail-admin"'} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


# The admin API's bearer (its OpenAPI security scheme's description).
BEARER = (
    "the server's `CLICKTRAIL_ADMIN_TOKEN`; or the secret of an app's credential with the `metrics` scope"
    " (reads that app's metrics, funnels, journeys, events and exports only)"
)
# Every guarded operation may answer it: the caller's role or apps do not allow the call (core.access).
REFUSED_ROLE = Forbidden("viewer@example.com is a viewer: read only")


def errors(*answers: int | ClicktrailError) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the errors an operation answers, as ``render_error`` shapes them; an operation
    that answers 401 (the guard's) answers 403 too."""
    models = dict.fromkeys((400, 401, 403, 404, 409), Problem)
    guarded = any(a == 401 or isinstance(a, Unauthorized) for a in answers)
    if guarded and not any(isinstance(a, Forbidden) for a in answers):
        answers = (*answers, REFUSED_ROLE)
    return error_responses(render_error, models, *answers, path="/admin/v1/apps/demo")
