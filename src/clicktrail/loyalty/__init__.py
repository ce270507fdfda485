"""The loyalty family: ES Loyalty-compatible sessions, trial activity, near-miss prompts and finalize."""

from pathlib import Path

from ..core.family import Family
from . import privacy
from .config import LoyaltySection
from .errors import render_error
from .program import apply
from .routes import router

family = Family(
    name="loyalty",
    router=router,
    render_error=render_error,
    prefixes=("/client", "/oauth"),
    config_model=LoyaltySection,
    apply=apply,
    migrations=Path(__file__).parent / "migrations",
    erase=privacy.erase,
    purge=privacy.purge,
)
