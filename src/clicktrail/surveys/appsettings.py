"""The app settings document BitBurst's SDKs load their colours and currency from:
``GET /api/public/v1/apps/{token}`` → ``{"configuration": [{"internalIdentifier", "value"}, …]}``.

The SDKs look entries up by ``internalIdentifier`` and read every ``value`` as a string (booleans "1"/"0").
The token is the app's surveys secret (the ``X-Api-Token`` value)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from ..core.web.http import envelope_route_class, runtime
from ..core.web.openapi import example
from .callbacks import amount
from .config import AppSettings
from .errors import errors, render_error
from .session_steps import settings_of

router = APIRouter(route_class=envelope_route_class(render_error), tags=["surveys"])

PREFIX = "/api/public/v1"


def app_settings_of(session: Session, app_id: str) -> tuple[AppSettings, Decimal]:
    """The app's settings (defaults for an app applied before they existed) and its currency factor."""
    with session.begin():
        row = settings_of(session, app_id)
        return AppSettings.model_validate(row.app_settings or {}), Decimal(row.currency_factor)


def configuration(settings: AppSettings, currency_factor: Decimal) -> list[dict[str, str]]:
    entries: dict[str, str] = {}
    for scheme in ("light", "dark"):
        for key, value in getattr(settings, scheme).model_dump().items():
            entries[f"app.visual.{scheme}.{key}"] = value
    currency = settings.currency
    entries.update(
        {
            "general.currency.symbol.content": currency.symbol,
            "general.currency.symbol.is_image": _flag(currency.symbol_is_image),
            "general.currency.factor": amount(currency_factor),
            "general.currency.floor_decimal": _flag(currency.floor_decimal),
        }
    )
    return [{"internalIdentifier": key, "value": value} for key, value in entries.items()]


def _flag(value: bool) -> str:
    return "1" if value else "0"  # the SDKs compare with "1"


AppToken = Annotated[str, Path(max_length=255, description="the app's surveys token (X-Api-Token)")]


@router.get(
    PREFIX + "/apps/{token}",
    operation_id="get_app_settings",
    summary="Get the app's colours and currency",
    responses={
        200: example(
            {
                "configuration": [
                    {"internalIdentifier": "app.visual.light.navigation_color", "value": "#1a73e8"},
                    {"internalIdentifier": "general.currency.symbol.content", "value": "Coins"},
                    {"internalIdentifier": "general.currency.factor", "value": "100"},
                ]
            }
        ),
        **errors(400, 401, 404),
    },
)
def get_app_settings(request: Request, token: AppToken) -> JSONResponse:
    """The app's colours (light and dark) and currency, as the SDKs read them."""
    rt = runtime(request)
    principal = rt.auth.authenticate(token, "surveys")  # unknown: 401 in the BitLabs envelope
    with rt.sessions() as session:
        settings, factor = app_settings_of(session, principal.app_id)  # no surveys section: 404
    body: dict[str, Any] = {"configuration": configuration(settings, factor)}
    return JSONResponse(body)
