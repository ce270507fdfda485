"""The operator's dashboard: ``/dashboard``, served by clicktrail itself (see ``routes``)."""

from . import accounts, people  # noqa: F401  # register their pages on the router
from .routes import router

__all__ = ["router"]
