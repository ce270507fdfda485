"""What a campaign's QR code holds: the scan URL, which opens a session and redirects to the form."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.family import QrContent
from ..core.storage.ids import storable
from ..core.tenancy.apps import tenant
from ..core.web.errors import NotFound, clip
from .models import Campaign
from .routes import scan_path


def qr_content(session: Session, *, app_id: str, thing_id: str) -> QrContent:
    """The scan route of the campaign: a phone that reads the code makes exactly the request a shopper's
    scan is (a session, a ``scan.recorded`` event, a redirect to the form)."""
    found = None
    if storable(thing_id):  # PostgreSQL refuses a NUL in a query's text: such an id names nothing
        query = select(Campaign.id).where(tenant(Campaign, app_id), Campaign.id == thing_id)
        found = session.scalar(query)
    if found is None:
        raise NotFound(f"campaign '{clip(thing_id)}' of app '{clip(app_id)}' not found")
    return QrContent(scan_path(app_id, thing_id), served_here=True)
