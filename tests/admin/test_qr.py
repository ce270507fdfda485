"""QR codes over HTTP (the real app, both engines): what a campaign's and a link's code holds (a scan URL, a
tracked redirect), read back by a barcode reader from the PNG; the SVG; the drawing options and their
refusals; 404s, the public URL those URLs need, and the guard (another app's credential or user gets
nothing)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings

from ..helpers import ADMIN, ADMIN_TOKEN, LOOPBACK, configure
from ..signage.support import document as signage_document
from .test_roles import add_user, bearer, refused, session_of

PUBLIC_URL = "https://track.example/t/"  # behind a proxy's path prefix: the code keeps it
SCAN_URL = "https://track.example/t/smart-engage/scan/demo/spring-form"
LINK = "6006dda272f002519c3eb505"
LINK_URI = "https://my.stage.org/register?referral=1&lang=en"
GO_URL = f"https://track.example/t/partners/go/demo/{LINK}"
OTHER_LINK = "7006dda272f002519c3eb505"
OTHER_METRICS = "other-metrics-secret-0001"
CAMPAIGN_QR = "/admin/v1/apps/demo/signage/campaigns/spring-form/qr"
LINK_QR = f"/admin/v1/apps/demo/partners/links/{LINK}/qr"
PROBLEM = "application/problem+json"


def qr_document() -> dict[str, Any]:
    """Apps ``demo`` and ``other``, each with a signage campaign and a partners link of its own; ``other``
    has a metrics credential too."""
    document = signage_document()
    demo, other = document["apps"]
    demo["partners"] = {"links": [{"id": LINK, "name": "Sign-up", "uri": LINK_URI}]}
    other["partners"] = {"links": [{"id": OTHER_LINK, "uri": "https://my.stage.org/register?referral=9"}]}
    other["credentials"].append({"name": "reader", "secret": OTHER_METRICS, "scopes": ["metrics"]})
    return document


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        geoip_db=None,
        outbound_allow=LOOPBACK,
        public_url=PUBLIC_URL,
    )


def decoded(png: bytes) -> list[str]:
    """The text of every QR code a barcode reader finds in the image."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return [code.text for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]


def test_a_campaigns_code_holds_its_scan_url_which_opens_a_session(client):
    configure(client, qr_document())
    answer = client.get(f"{CAMPAIGN_QR}.png", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["content-disposition"] == 'inline; filename="signage-demo-spring-form-qr.png"'
    assert answer.headers["cache-control"] == "private, max-age=300"
    assert decoded(answer.content) == [SCAN_URL]
    # what a phone then requests (the proxy strips its prefix): the scan route, a session and the form
    scanned = client.get(urlsplit(SCAN_URL).path.removeprefix("/t"), follow_redirects=False)
    assert scanned.status_code == 302
    assert scanned.headers["location"].startswith("https://brand.example/form?")
    assert "session_id=" in scanned.headers["location"]


def test_a_links_code_holds_its_tracked_redirect_which_records_a_click(client):
    configure(client, qr_document())
    answer = client.get(f"{LINK_QR}.png", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["content-disposition"] == f'inline; filename="partners-demo-{LINK}-qr.png"'
    assert decoded(answer.content) == [GO_URL]
    # what a phone then requests (the proxy strips its prefix): a click of the link, sent to its uri
    followed = client.get(urlsplit(GO_URL).path.removeprefix("/t"), follow_redirects=False)
    assert followed.status_code == 302 and followed.headers["location"] == LINK_URI
    clicks = client.get("/admin/v1/apps/demo/metrics", params={"family": "partners"}, headers=ADMIN)
    assert clicks.json()["totals"]["clicks"] == 1


@pytest.mark.parametrize("path", [CAMPAIGN_QR, LINK_QR])
def test_the_svg_is_well_formed_with_an_svg_root(client, path):
    configure(client, qr_document())
    answer = client.get(f"{path}.svg", params={"dark": "#1a2b3c", "size": 3}, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.headers["content-disposition"].endswith('-qr.svg"')
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    root = ET.fromstring(answer.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert 'stroke="#1a2b3c"' in answer.text
    assert "<script" not in answer.text


def test_size_margin_and_colors_draw_a_code_that_still_reads(client):
    configure(client, qr_document())
    plain = Image.open(io.BytesIO(client.get(f"{LINK_QR}.png", headers=ADMIN).content))
    params = {"size": 3, "margin": 0, "dark": "#123456", "light": "fed"}
    answer = client.get(f"{LINK_QR}.png", params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    drawn = Image.open(io.BytesIO(answer.content))
    modules = plain.width // 8 - 2 * 4  # the defaults: 8 pixels a module, a quiet zone of 4
    assert drawn.size == (modules * 3, modules * 3)
    assert drawn.convert("RGB").getpixel((0, 0)) == (0x12, 0x34, 0x56)  # the finder's corner, dark
    # a reader needs the quiet zone the code was drawn without: the page around it gives one
    framed = Image.new("RGB", (drawn.width + 24, drawn.height + 24), (0xFF, 0xEE, 0xDD))
    framed.paste(drawn.convert("RGB"), (12, 12))
    buffer = io.BytesIO()
    framed.save(buffer, format="PNG")
    assert decoded(buffer.getvalue()) == [GO_URL]


@pytest.mark.parametrize(
    "query",
    [
        "size=0",
        "size=41",
        "size=big",
        "margin=-1",
        "margin=17",
        "dark=red",
        "dark=%2312",
        "light=12345g",
        "dark=000&light=%23000000",
    ],
)
def test_bad_drawing_options_are_a_400_problem(client, query):
    configure(client, qr_document())
    for path in (f"{CAMPAIGN_QR}.png", f"{LINK_QR}.svg"):
        answer = client.get(f"{path}?{query}", headers=ADMIN)
        assert answer.status_code == 400, (query, answer.text)
        assert answer.headers["content-type"].startswith(PROBLEM)
        assert answer.json()["status"] == 400


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/admin/v1/apps/nope/signage/campaigns/spring-form/qr.png", "app 'nope' not found"),
        ("/admin/v1/apps/demo/signage/campaigns/nope/qr.svg", "campaign 'nope' of app 'demo' not found"),
        # another app's campaign and link are unknown here
        ("/admin/v1/apps/demo/signage/campaigns/other-form/qr.png", "campaign 'other-form' of app 'demo'"),
        (f"/admin/v1/apps/demo/partners/links/{OTHER_LINK}/qr.svg", f"link '{OTHER_LINK}' of app 'demo'"),
        (f"/admin/v1/apps/nope/partners/links/{LINK}/qr.svg", "app 'nope' not found"),
        ("/admin/v1/apps/demo/partners/links/a%00b/qr.png", "link 'a"),  # PostgreSQL refuses a NUL
    ],
)
def test_unknown_apps_campaigns_and_links_are_a_404_problem(client, path, detail):
    configure(client, qr_document())
    answer = client.get(path, headers=ADMIN)
    refused(answer, 404)
    assert answer.json()["detail"].startswith(detail)


def test_another_apps_credential_or_user_gets_no_code(client):
    configure(client, qr_document())
    refused(client.get(f"{CAMPAIGN_QR}.png"), 401)
    refused(client.get(f"{LINK_QR}.png", headers=bearer("wrong")), 401)
    # a metrics credential reads analytics only, and of its own app
    refused(client.get(f"{LINK_QR}.png", headers=bearer(OTHER_METRICS)), 403)
    add_user(client, "olga@example.com", "viewer", apps=["other"])
    cookie = session_of(client, "olga@example.com")  # what the dashboard presents as the bearer
    for path in (f"{CAMPAIGN_QR}.png", f"{LINK_QR}.svg"):
        refused(client.get(path, headers=bearer(cookie)), 403)
    own = client.get(f"/admin/v1/apps/other/partners/links/{OTHER_LINK}/qr.png", headers=bearer(cookie))
    assert own.status_code == 200
    assert decoded(own.content) == [f"https://track.example/t/partners/go/other/{OTHER_LINK}"]


def test_the_scan_and_redirect_urls_are_never_built_on_the_host_header(client, database_url):
    configure(client, qr_document())
    answer = client.get(f"{CAMPAIGN_QR}.png", headers={**ADMIN, "Host": "evil.example"})
    assert decoded(answer.content) == [SCAN_URL]
    answer = client.get(f"{LINK_QR}.png", headers={**ADMIN, "Host": "evil.example"})
    assert decoded(answer.content) == [GO_URL]
    unset = Settings(
        database_url=database_url, admin_token=ADMIN_TOKEN, geoip_db=None, outbound_allow=LOOPBACK
    )
    with TestClient(create_app(unset), raise_server_exceptions=False) as bare:
        for host in ("evil.example", "127.0.0.1:8000"):
            for path in (f"{CAMPAIGN_QR}.svg", f"{LINK_QR}.png"):
                answer = bare.get(path, headers={**ADMIN, "Host": host})
                refused(answer, 409)
                assert "CLICKTRAIL_PUBLIC_URL" in answer.json()["detail"]


def test_the_four_operations_are_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    for thing in ("signage/campaigns/{campaign_id}", "partners/links/{link_id}"):
        for format, media_type in (("svg", "image/svg+xml"), ("png", "image/png")):
            operation = paths[f"/admin/v1/apps/{{app_id}}/{thing}/qr.{format}"]["get"]
            assert list(operation["responses"]["200"]["content"]) == [media_type]
            assert {"400", "401", "403", "404"} <= set(operation["responses"])
            assert operation["security"] == [{"adminBearer": []}]
            names = {p["name"] for p in operation["parameters"]}
            assert {"size", "margin", "dark", "light"} <= names
