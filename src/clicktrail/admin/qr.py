"""``/admin/v1/apps/{app}/…/qr.svg`` and ``qr.png``: the QR codes of signage campaigns and partners links,
drawn by segno. What a code holds is its family's to say (``Family.qr_codes``, ``core.family.QrContent``):

- a signage campaign: the scan URL, ``CLICKTRAIL_PUBLIC_URL`` + ``/smart-engage/scan/{app}/{campaign}``.
  A phone reading the code makes exactly the request a shopper's scan is: a session, a ``scan.recorded``
  event, a redirect to the form. It is built on the configured public URL only, never on the request's
  Host header (which the caller chooses, and a printed code outlives); unset, the answer is a 409.
- a partners link: its tracked redirect, ``CLICKTRAIL_PUBLIC_URL`` + ``/partners/go/{app}/{link}``. A
  phone reading the code is a visitor's click: recorded as the click API records one, then sent to the
  link's first matching rule's target, else its ``uri``. Built the same way, on the public URL only.

Included in the admin router (its guard, and its problem+json envelope) by ``admin.routes``."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ..core.family import QrContent
from ..core.tenancy.apps import get_app
from ..core.web.errors import Conflict, InvalidInput, NotFound, Unauthorized
from ..core.web.http import db_session, envelope_route_class, public_url, runtime
from ..core.web.openapi import http_scheme, requires
from .errors import BEARER, errors, render_error

Format = Literal["svg", "png"]
MEDIA_TYPES: dict[Format, str] = {"svg": "image/svg+xml", "png": "image/png"}
# The caller's own browser may keep it (it came with a credential), briefly: applying a config can change
# what a code holds (a link's id), and so can CLICKTRAIL_PUBLIC_URL.
CACHE_CONTROL = "private, max-age=300"
# An SVG opened as a page is a document: ours has no script nor reference, and may load none.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")
HEX_COLOR = r"^#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$"

ADMIN = requires(http_scheme("adminBearer", "bearer", BEARER))
DENIED = Unauthorized("missing or wrong admin token")
NO_CAMPAIGN = NotFound("campaign 'spring-form' of app 'demo' not found")
NO_LINK = NotFound("link '6006dda272f002519c3eb505' of app 'demo' not found")
NO_PUBLIC_URL = Conflict(
    "set CLICKTRAIL_PUBLIC_URL: a QR code holds a URL of this server (a campaign's scan URL, a link's"
    " tracked redirect), which is built on the public URL only (never on the request's Host header)"
)
TOO_LONG = Conflict("the URL is too long for a QR code")
BAD_SIZE = InvalidInput("size: Input should be less than or equal to 40")

router = APIRouter(route_class=envelope_route_class(render_error))
SessionDep = Annotated[Session, Depends(db_session)]


@dataclass(frozen=True)
class Look:
    """How a code is drawn: pixels (PNG) or SVG units per module, the quiet zone in modules, two colors."""

    scale: int
    margin: int
    dark: str
    light: str


def _color(value: str) -> str:
    """``#abc``, ``abc``, ``#aabbcc`` or ``aabbcc`` as ``#aabbcc`` (a ``#`` in a query is sent as ``%23``)."""
    digits = value.removeprefix("#").lower()
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))


Color = Annotated[str, Query(pattern=HEX_COLOR, description="a hex color: `#1a2b3c`, `1a2b3c` or `#abc`")]


def look(
    size: Annotated[int, Query(ge=1, le=40, description="pixels (PNG) or SVG units per module")] = 8,
    margin: Annotated[int, Query(ge=0, le=16, description="the quiet zone, in modules (4 is standard)")] = 4,
    dark: Color = "#000000",
    light: Color = "#ffffff",
) -> Look:
    drawn = Look(size, margin, _color(dark), _color(light))
    if drawn.dark == drawn.light:
        raise InvalidInput("dark and light: give two different colors (a scanner reads their contrast)")
    return drawn


LookDep = Annotated[Look, Depends(look)]


def draw(text: str, drawn: Look, format: Format) -> bytes:
    """The code of ``text`` (error correction M at least, raised when the size allows; never a micro QR,
    which many phones cannot read)."""
    try:
        code = segno.make(text, error="m", micro=False)
    except segno.DataOverflowError:
        raise TOO_LONG from None
    out = io.BytesIO()
    options = {"scale": drawn.scale, "border": drawn.margin, "dark": drawn.dark, "light": drawn.light}
    if format == "svg":
        code.save(out, kind="svg", svgclass=None, lineclass=None, **options)
    else:
        code.save(out, kind="png", **options)
    return out.getvalue()


def _content(request: Request, session: Session, family: str, kind: str, app_id: str, thing_id: str) -> str:
    """What the code holds: the family's answer, made absolute on the configured public URL when it is a
    path of this server. An unknown app, or thing, is a 404 before the public URL is looked at."""
    served = next((f for f in request.app.state.families if f.name == family), None)
    source = dict(served.qr_codes).get(kind) if served is not None else None
    if source is None:
        raise NotFound(f"this server has no {family} {kind}")
    with session.begin():
        get_app(session, app_id)
        content: QrContent = source(session, app_id=app_id, thing_id=thing_id)
    if not content.served_here:
        return content.location
    if not runtime(request).settings.public_url:
        raise NO_PUBLIC_URL
    return public_url(request, content.location)


def qr_answer(
    request: Request,
    session: Session,
    drawn: Look,
    *,
    family: str,
    kind: str,
    app_id: str,
    thing_id: str,
    format: Format,
) -> Response:
    """The image, shown in place (a browser displays it; ``curl -o`` or a link's ``download`` saves it)."""
    body = draw(_content(request, session, family, kind, app_id, thing_id), drawn, format)
    name = SAFE_NAME.sub("_", f"{family}-{app_id}-{thing_id}-qr")[:150] + f".{format}"
    headers = {"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": CACHE_CONTROL}
    if format == "svg":
        headers["Content-Security-Policy"] = SVG_POLICY
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)


def _image(format: Format, example_name: str) -> dict:
    """A 200 answer in OpenAPI: the image, its file name and cache policy."""
    schema = {"type": "string"} if format == "svg" else {"type": "string", "format": "binary"}
    header = {"schema": {"type": "string"}}
    return {
        "description": f"The QR code, {format.upper()}",
        "content": {MEDIA_TYPES[format]: {"schema": schema}},
        "headers": {
            "Content-Disposition": {**header, "example": f'inline; filename="{example_name}.{format}"'},
            "Cache-Control": {**header, "example": CACHE_CONTROL},
        },
    }


CAMPAIGN_CODE = "signage-demo-spring-form-qr"
LINK_CODE = "partners-demo-6006dda272f002519c3eb505-qr"
CAMPAIGN_ERRORS = errors(BAD_SIZE, DENIED, NO_CAMPAIGN, NO_PUBLIC_URL)
LINK_ERRORS = errors(BAD_SIZE, DENIED, NO_LINK, NO_PUBLIC_URL)
CAMPAIGN_HOLDS = (
    "The code holds the campaign's scan URL, `CLICKTRAIL_PUBLIC_URL` + `/smart-engage/scan/{app_id}/"
    "{campaign_id}`: reading it opens a session as a scan does. 409 when `CLICKTRAIL_PUBLIC_URL` is unset"
    " (the Host header never builds it)."
)
LINK_HOLDS = (
    "The code holds the link's tracked redirect, `CLICKTRAIL_PUBLIC_URL` + `/partners/go/{app_id}/"
    "{link_id}`: reading it records a click of the link and redirects to its first matching rule's target,"
    " else its `uri`. 409 when `CLICKTRAIL_PUBLIC_URL` is unset (the Host header never builds it)."
)


@router.get(
    "/apps/{app_id}/signage/campaigns/{campaign_id}/qr.svg",
    response_class=Response,
    summary="Get a signage campaign's QR code as SVG",
    description=CAMPAIGN_HOLDS,
    responses={200: _image("svg", CAMPAIGN_CODE), **CAMPAIGN_ERRORS},
    openapi_extra=ADMIN,
)
def campaign_qr_svg(
    request: Request, app_id: str, campaign_id: str, session: SessionDep, drawn: LookDep
) -> Response:
    return qr_answer(
        request,
        session,
        drawn,
        family="signage",
        kind="campaigns",
        app_id=app_id,
        thing_id=campaign_id,
        format="svg",
    )


@router.get(
    "/apps/{app_id}/signage/campaigns/{campaign_id}/qr.png",
    response_class=Response,
    summary="Get a signage campaign's QR code as PNG",
    description=CAMPAIGN_HOLDS,
    responses={200: _image("png", CAMPAIGN_CODE), **CAMPAIGN_ERRORS},
    openapi_extra=ADMIN,
)
def campaign_qr_png(
    request: Request, app_id: str, campaign_id: str, session: SessionDep, drawn: LookDep
) -> Response:
    return qr_answer(
        request,
        session,
        drawn,
        family="signage",
        kind="campaigns",
        app_id=app_id,
        thing_id=campaign_id,
        format="png",
    )


@router.get(
    "/apps/{app_id}/partners/links/{link_id}/qr.svg",
    response_class=Response,
    summary="Get a partners link's QR code as SVG",
    description=LINK_HOLDS,
    responses={200: _image("svg", LINK_CODE), **LINK_ERRORS},
    openapi_extra=ADMIN,
)
def link_qr_svg(request: Request, app_id: str, link_id: str, session: SessionDep, drawn: LookDep) -> Response:
    return qr_answer(
        request,
        session,
        drawn,
        family="partners",
        kind="links",
        app_id=app_id,
        thing_id=link_id,
        format="svg",
    )


@router.get(
    "/apps/{app_id}/partners/links/{link_id}/qr.png",
    response_class=Response,
    summary="Get a partners link's QR code as PNG",
    description=LINK_HOLDS,
    responses={200: _image("png", LINK_CODE), **LINK_ERRORS},
    openapi_extra=ADMIN,
)
def link_qr_png(request: Request, app_id: str, link_id: str, session: SessionDep, drawn: LookDep) -> Response:
    return qr_answer(
        request,
        session,
        drawn,
        family="partners",
        kind="links",
        app_id=app_id,
        thing_id=link_id,
        format="png",
    )
