"""The surveys family: a BitLabs-compatible qualification click flow."""

from pathlib import Path

from ..core.family import BrowserAccess, Family
from .config import SurveysSection
from .definitions import apply_section
from .errors import render_error
from .routes import router

family = Family(
    name="surveys",
    router=router,
    render_error=render_error,
    prefixes=("/v2/client", "/v2/server"),
    config_model=SurveysSection,
    apply=apply_section,
    migrations=Path(__file__).parent / "migrations",
    # The offerwall page calls the credential-less click routes; no origin is allowed unless an app names it.
    browser=BrowserAccess(
        paths=("/v1/client/clicks", "/v2/client/clicks"),
        request_headers=("Accept-Language", "Content-Type"),
    ),
)
