"""Postbacks: the GET a link's ``postback_url`` gets when a click of it first registers, sent through the
outbox and signed with the app's ``partners.postback_secret`` (``X-Clicktrail-Signature`` over the URL as
sent, the way webhooks are signed: docs/signatures.md). An app without one sends its postbacks unsigned;
none is ever made up. The secret is kept as given in the app's stored config (it must be recoverable to
sign with), read when each postback is sent, and never shown."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.tenancy.apps import App

TOPIC = "partners.postback"


def signing_secret(session: Session, app_id: str) -> str | None:
    """The app's postback secret as last applied, or None."""
    config = session.scalar(select(App.config).where(App.id == app_id))
    section = (config or {}).get("partners") or {}
    secret = section.get("postback_secret") if isinstance(section, dict) else None
    return secret if isinstance(secret, str) and secret else None
