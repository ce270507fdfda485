"""The signage family: SmartRetail smart-engage journeys (QR scan → ordered statuses → one coupon)."""

from pathlib import Path

from ..core.family import Family
from . import privacy, qr
from .campaigns import apply
from .config import SignageConfig
from .errors import render_error
from .rollup_measures import MEASURES
from .routes import router

family = Family(
    name="signage",
    router=router,
    render_error=render_error,
    prefixes=("/smart-engage",),
    config_model=SignageConfig,
    apply=apply,
    migrations=Path(__file__).parent / "migrations",
    purge=privacy.purge,
    measures=MEASURES,
    qr_codes=(("campaigns", qr.qr_content),),
)
