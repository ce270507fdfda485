"""The surveys family: a BitLabs-compatible qualification click flow."""

from pathlib import Path

from ..core.family import Family
from . import privacy
from .config import SurveysSection
from .definitions import apply_section
from .errors import render_error
from .routes import router

family = Family(
    name="surveys",
    router=router,
    render_error=render_error,
    prefixes=("/v1/client", "/v2/client", "/v2/server"),
    config_model=SurveysSection,
    apply=apply_section,
    migrations=Path(__file__).parent / "migrations",
    erase=privacy.erase,
    purge=privacy.purge,
)
