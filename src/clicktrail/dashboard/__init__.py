"""The operator's dashboard: ``/dashboard``, served by clicktrail itself (see ``routes``)."""

from .routes import router

__all__ = ["router"]
