"""RFC 9457 problem details."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import Request
from fastapi.responses import JSONResponse

from ..core.errors import ClicktrailError, ConfigError


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
