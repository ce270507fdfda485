"""The partners family."""

from ..core.family import Family
from .errors import render_error
from .routes import router

family = Family(name="partners", router=router, render_error=render_error, prefixes=("/ib/v1",))
