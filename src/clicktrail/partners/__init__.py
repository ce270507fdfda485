"""The partners family: B2Core IB-compatible click tracking (``/ib/v1``), and links' tracked redirects
(``/partners/go``)."""

from pathlib import Path

from ..core.family import Family
from . import postbacks, privacy, qr
from .config import PartnersConfig
from .errors import render_error
from .links import apply_section
from .rollup_measures import MEASURES
from .routes import router

family = Family(
    name="partners",
    router=router,
    render_error=render_error,
    prefixes=("/ib/v1", "/partners"),
    config_model=PartnersConfig,
    apply=apply_section,
    migrations=Path(__file__).parent / "migrations",
    erase=privacy.erase,
    purge=privacy.purge,
    timed=(("partner_clicks", "create_time"),),
    expire=privacy.expire,
    measures=MEASURES,
    signing=((postbacks.TOPIC, postbacks.signing_secret),),
    qr_codes=(("links", qr.qr_content),),
)
