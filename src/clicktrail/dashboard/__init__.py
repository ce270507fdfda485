"""The operator's dashboard: ``/dashboard``, served by clicktrail itself (see ``routes``)."""

from . import people  # noqa: F401  # registers the live and person pages on the router
from .routes import router

__all__ = ["router"]
