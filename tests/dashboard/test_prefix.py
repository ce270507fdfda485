"""The dashboard mounted under a proxy's path prefix, in process: from ``CLICKTRAIL_PUBLIC_URL``'s path, or
from the ASGI ``root_path``. (tests/e2e/test_nginx.py walks it through a real nginx.)"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings

from ..helpers import ADMIN_TOKEN, configure


@pytest.fixture(params=["public_url", "root_path"])
def prefixed(request: pytest.FixtureRequest, settings: Settings) -> Iterator[TestClient]:
    if request.param == "public_url":
        app = create_app(settings.model_copy(update={"public_url": "https://host.example/track/"}))
        client = TestClient(app, base_url="https://host.example")
    else:
        client = TestClient(create_app(settings), base_url="https://host.example", root_path="/track")
    with client:
        configure(client, {"apps": [{"id": "shop", "name": "Shop"}]})
        yield client


def test_links_redirects_and_cookie_carry_the_prefix(prefixed):
    to_login = prefixed.get("/dashboard/apps/shop/journeys", follow_redirects=False)
    assert to_login.headers["location"] == "/track/dashboard/login?next=/dashboard/apps/shop/journeys"
    assert 'action="/track/dashboard/login"' in prefixed.get("/dashboard/login").text
    signed = prefixed.post(
        "/dashboard/login",
        data={"token": ADMIN_TOKEN, "next": "/dashboard/apps/shop/journeys"},
        follow_redirects=False,
    )
    assert signed.headers["location"] == "/track/dashboard/apps/shop/journeys"
    assert "Path=/track/dashboard" in signed.headers["set-cookie"]
    # The client stands where the proxy does (below the prefix), so it hands the cookie on itself.
    cookie = signed.headers["set-cookie"].split(";", 1)[0]
    page = prefixed.get("/dashboard/apps/shop/journeys", headers={"Cookie": cookie})
    assert page.status_code == 200
    links = re.findall(r'(?:href|action)="(/[^"]*)"', page.text)
    assert links and all(link.startswith("/track/dashboard") for link in links), links


def test_sign_in_never_leaves_the_dashboard(prefixed):
    signed = prefixed.post(
        "/dashboard/login", data={"token": ADMIN_TOKEN, "next": "//evil.example/x"}, follow_redirects=False
    )
    assert signed.headers["location"] == "/track/dashboard"
