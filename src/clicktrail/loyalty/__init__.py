"""The loyalty family: ES Loyalty-compatible sessions, trial activity, near-miss prompts and finalize."""

from pathlib import Path

from ..core.family import BrowserAccess, Family
from . import privacy
from .config import LoyaltySection
from .errors import render_error
from .program import apply
from .rollup_measures import MEASURES
from .routes import router

family = Family(
    name="loyalty",
    router=router,
    render_error=render_error,
    prefixes=("/client", "/oauth"),
    config_model=LoyaltySection,
    apply=apply,
    migrations=Path(__file__).parent / "migrations",
    measures=MEASURES,
    private_path_params=("identifier",),  # a member's loyalty id, phone or email
    # The vendor's documented answers carry these (and Access-Control-Allow-Origin: *); tills may be web
    # pages. The token endpoint is left out: a client secret does not belong in a browser.
    browser=BrowserAccess(
        paths=("/client",),
        request_headers=("Authorization", "Content-Type", "X-Identifier-Type"),
        default_origins=("*",),
    ),
    headers=(
        ("Cache-Control", "no-cache, no-store, must-revalidate"),
        ("X-Frame-Options", "sameorigin"),
        ("Strict-Transport-Security", "max-age=31536000"),
    ),
    erase=privacy.erase,
    purge=privacy.purge,
)
