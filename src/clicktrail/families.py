"""The one table of contents of families. Only the top layer (app, apply, cli) imports it."""

from __future__ import annotations

from .core.family import Family
from .core.journeys import outbox, rollups
from .core.scopes import register
from .loyalty import family as loyalty
from .partners import family as partners
from .signage import family as signage
from .surveys import family as surveys

FAMILIES: tuple[Family, ...] = (surveys, partners, loyalty, signage)
register(f.name for f in FAMILIES)
rollups.register(f.measures for f in FAMILIES)
outbox.register_signing(pair for f in FAMILIES for pair in f.signing)


def migration_dirs() -> list:
    return [f.migrations for f in FAMILIES if f.migrations is not None]
