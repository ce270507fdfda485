"""The QR code downloads of the signage and partners pages (the real app, both engines): each button's link
answers the image for a signed-in user, whom the admin API's guard still judges, and nothing without a
session."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from clicktrail.core.config.settings import Settings

from ..admin.test_qr import LINK, OTHER_LINK, decoded, qr_document
from ..admin.test_roles import add_user
from ..admin.test_roles import sign_in as sign_in_as
from ..helpers import ADMIN_TOKEN, LOOPBACK, configure
from .test_dashboard import sign_in

SCAN_URL = "https://track.example/smart-engage/scan/demo/spring-form"
GO_URL = f"https://track.example/partners/go/demo/{LINK}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """A public URL without a path: the dashboard is then at /dashboard, where the test client asks."""
    return Settings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        geoip_db=None,
        outbound_allow=LOOPBACK,
        public_url="https://track.example/",
    )


def buttons(html: str, format: str) -> dict[str, str]:
    """The page's QR download links of one format, by the id of the thing they draw."""
    rows = re.findall(r'<tr><td class="key" data-key="([^"]+)">.*?</tr>', html, flags=re.S)
    links = re.findall(rf'<a class="download" href="([^"]+)" download data-qr="{format}">', html)
    assert len(rows) == len(links), html
    return dict(zip(rows, (link.replace("&amp;", "&") for link in links), strict=True))


@pytest.mark.parametrize(
    ("family", "thing", "holds"), [("signage", "spring-form", SCAN_URL), ("partners", LINK, GO_URL)]
)
def test_a_signed_in_user_downloads_the_codes_the_page_offers(client, family, thing, holds):
    configure(client, qr_document())
    sign_in(client)
    page = client.get(f"/dashboard/apps/demo/families/{family}")
    assert page.status_code == 200, page.text
    assert "<h2>QR codes</h2>" in page.text
    png, svg = buttons(page.text, "png"), buttons(page.text, "svg")
    assert list(png) == list(svg) == [thing]  # the app's own things only
    answer = client.get(png[thing])
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["content-disposition"].startswith("inline; filename=")
    assert decoded(answer.content) == [holds]
    drawing = client.get(svg[thing])
    assert drawing.status_code == 200 and drawing.headers["content-type"] == "image/svg+xml"
    assert drawing.content.lstrip().startswith(b"<?xml") and b"<svg" in drawing.content
    bigger = client.get(png[thing], params={"size": 4})  # the API's drawing options pass through
    assert Image.open(io.BytesIO(bigger.content)).width < Image.open(io.BytesIO(answer.content)).width


def test_without_a_session_a_download_goes_to_sign_in(client):
    configure(client, qr_document())
    for path in (
        "/dashboard/apps/demo/signage/campaigns/spring-form/qr.png",
        f"/dashboard/apps/demo/partners/links/{LINK}/qr.svg",
    ):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/dashboard/login?next=")
        assert not answer.content  # no image


def test_a_user_of_another_app_is_refused_and_unknown_codes_are_404(client):
    configure(client, qr_document())
    add_user(client, "olga@example.com", "viewer", apps=["other"])
    assert sign_in_as(client, "olga@example.com").status_code == 303
    refused = client.get(f"/dashboard/apps/demo/partners/links/{LINK}/qr.png")
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    own = client.get(f"/dashboard/apps/other/partners/links/{OTHER_LINK}/qr.png")
    assert own.status_code == 200 and own.headers["content-type"] == "image/png"
    for path in (
        "/dashboard/apps/other/signage/campaigns/nope/qr.png",  # no such campaign
        "/dashboard/apps/other/signage/links/other-form/qr.png",  # no such kind of thing
        "/dashboard/apps/other/signage/campaigns/other-form/qr.gif",  # no such format
    ):
        assert client.get(path).status_code == 404, path
