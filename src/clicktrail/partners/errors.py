"""B2Core envelope: ``{"message": "…", "errors": {"<field>": ["…"]}}``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from ..core.web.errors import ClicktrailError
from ..core.web.openapi import error_responses
from .schemas import ErrorBody


def render_error(request: Request, error: ClicktrailError, status: int) -> JSONResponse:
    errors = error.details.get("fields") or {}
    return JSONResponse({"message": error.message, "errors": errors}, status_code=status)


def errors(*answers: int | ClicktrailError) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the errors an operation answers, as ``render_error`` shapes them."""
    models = dict.fromkeys((400, 401, 404, 410, 422), ErrorBody)
    return error_responses(render_error, models, *answers)
