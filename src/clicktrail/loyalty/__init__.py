"""The loyalty family."""

from ..core.family import Family
from .errors import render_error
from .routes import router

family = Family(name="loyalty", router=router, render_error=render_error, prefixes=("/client", "/oauth"))
