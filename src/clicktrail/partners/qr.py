"""What a referral link's QR code holds: the link's tracked redirect, which counts the click and sends the
visitor to the link's ``uri`` (or its first matching rule's target)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.family import QrContent
from ..core.storage.ids import storable
from ..core.tenancy.apps import tenant
from ..core.web.errors import NotFound, clip
from .models import PartnerLink
from .routes import go_path


def qr_content(session: Session, *, app_id: str, thing_id: str) -> QrContent:
    """The tracked redirect of the link, on ``CLICKTRAIL_PUBLIC_URL``: a phone that reads the code makes the
    request a visitor's click is (a click recorded as the click API records one, its rule followed). The
    link's bare ``uri`` would reach the broker's page uncounted, its rules never applied."""
    found = None
    if storable(thing_id):  # PostgreSQL refuses a NUL in a query's text: such an id names nothing
        query = select(PartnerLink.id).where(tenant(PartnerLink, app_id), PartnerLink.id == thing_id)
        found = session.scalar(query)
    if found is None:
        raise NotFound(f"link '{clip(thing_id)}' of app '{clip(app_id)}' not found")
    return QrContent(go_path(app_id, thing_id), served_here=True)
