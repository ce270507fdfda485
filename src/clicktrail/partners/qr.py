"""What a referral link's QR code holds: the link's own ``uri``, the broker's registration page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.family import QrContent
from ..core.storage.ids import storable
from ..core.tenancy.apps import tenant
from ..core.web.errors import NotFound, clip
from .models import PartnerLink


def qr_content(session: Session, *, app_id: str, thing_id: str) -> QrContent:
    """The link's configured ``uri``, as it is. In the IB contract a visitor opens the broker's page with
    the referral, and the broker's server posts the click (its ``uri`` matched to this link on host, path
    and ``referral``): clicktrail serves no page of its own for a link, so nothing is built on
    ``CLICKTRAIL_PUBLIC_URL``."""
    uri = None
    if storable(thing_id):  # PostgreSQL refuses a NUL in a query's text: such an id names nothing
        query = select(PartnerLink.uri).where(tenant(PartnerLink, app_id), PartnerLink.id == thing_id)
        uri = session.scalar(query)
    if uri is None:
        raise NotFound(f"link '{clip(thing_id)}' of app '{clip(app_id)}' not found")
    return QrContent(uri, served_here=False)
