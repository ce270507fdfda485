"""The surveys family."""

from ..core.family import Family
from .errors import render_error
from .routes import router

family = Family(name="surveys", router=router, render_error=render_error, prefixes=("/v2/client",))
