"""Absolute links come from CLICKTRAIL_PUBLIC_URL, never from the Host header a caller sends."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings

from ..helpers import configure
from .support import TOKEN, document, headers

EVIL = {"Host": "evil.example"}


def links(client: TestClient) -> dict[str, str]:
    """Every absolute-looking link the surveys side builds: the listing's click_url, the redirect to the
    question page, the page's form action, and the offerwall's click URLs."""
    listed = client.get("/v2/client/surveys", params={"client_country": "US"}, headers=headers(**EVIL))
    [auto] = [s for s in listed.json()["data"]["surveys"] if s["id"] == "srv-auto"]
    url = urlsplit(auto["click_url"])
    opened = client.get(f"{url.path}?{url.query}", headers=EVIL, follow_redirects=False)
    assert opened.status_code == 302, opened.text
    page = client.get(urlsplit(opened.headers["location"]).path, headers=EVIL)
    wall = client.get("/offerwall", params={"token": TOKEN, "uid": "u-1"}, headers=EVIL)
    assert page.status_code == 200 and wall.status_code == 200
    return {
        "click_url": auto["click_url"],
        "location": opened.headers["location"],
        "action": re.search(r'<form method="post" action="([^"]+)"', page.text)[1],
        "offerwall": re.search(r'data-click-url="([^"]+)"', wall.text)[1].replace("&amp;", "&"),
    }


@pytest.fixture
def app_with(settings):
    def make(client_host: str = "testclient", **changes: object) -> TestClient:
        client = TestClient(
            create_app(settings.model_copy(update=changes)), client=(client_host, 50000), headers=EVIL
        )
        client.__enter__()
        made.append(client)
        configure(client, document())
        return client

    made: list[TestClient] = []
    yield make
    for client in made:
        client.__exit__(None, None, None)


def test_unset_public_url_gives_links_from_the_root(app_with):
    for name, link in links(app_with()).items():
        assert "evil" not in link and link.startswith("/v2/client/clicks"), (name, link)


def test_the_public_url_makes_every_link(app_with):
    client = app_with(public_url="https://track.example/")
    for name, link in links(client).items():
        assert link.startswith("https://track.example/v2/client/clicks"), (name, link)


def test_a_loopback_caller_without_public_url_gets_its_own_host(app_with):
    for name, link in links(app_with("127.0.0.1")).items():
        assert link.startswith("http://evil.example/v2/client/clicks"), (name, link)  # local use only


@pytest.mark.parametrize("bad", ["track.example", "https://track.example/?a=1", "ftp://track.example"])
def test_a_public_url_must_be_a_base_url(bad):
    with pytest.raises(ValidationError):
        Settings(public_url=bad)
