"""The surveys family: a BitLabs-compatible qualification click flow."""

from pathlib import Path

from fastapi import APIRouter

from ..core.family import BrowserAccess, Family
from . import appsettings, callbacks, offerwall, privacy, routes
from .apply_definitions import apply_section
from .config import SurveysSection
from .rollup_measures import MEASURES

# One router of the three parts' own routes (include_router would wrap them, hiding their paths and
# methods from the OPTIONS answer and the hot-route scan).
router = APIRouter()
for part in (routes.router, appsettings.router, offerwall.router):
    router.routes.extend(part.routes)

family = Family(
    name="surveys",
    router=router,
    render_error=offerwall.render_error,  # JSON, but HTML on the pages
    prefixes=("/v1/client", "/v2/client", "/v2/server", appsettings.PREFIX, "/offerwall"),
    config_model=SurveysSection,
    apply=apply_section,
    migrations=Path(__file__).parent / "migrations",
    measures=MEASURES,
    private_path_params=("click_id",),  # a click id is the capability of the credential-less click routes
    # The offerwall page calls the credential-less click routes; no origin is allowed unless an app names it.
    browser=BrowserAccess(
        paths=("/v1/client/clicks", "/v2/client/clicks"),
        request_headers=("Accept-Language", "Content-Type"),
    ),
    erase=privacy.erase,
    purge=privacy.purge,
    signing=((callbacks.TOPIC, callbacks.signing_secret),),
)
