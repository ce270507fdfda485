"""The signage family."""

from ..core.family import Family
from .errors import render_error
from .routes import router

family = Family(name="signage", router=router, render_error=render_error, prefixes=("/smart-engage",))
