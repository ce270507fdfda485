"""B2Core envelope: ``{"message": "…", "errors": {"<field>": ["…"]}}``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ..core.errors import ClicktrailError


def render_error(request: Request, error: ClicktrailError, status: int) -> JSONResponse:
    errors = error.details.get("fields") or {}
    return JSONResponse({"message": error.message, "errors": errors}, status_code=status)
