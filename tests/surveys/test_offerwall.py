"""The hosted offerwall page and the plain question page, over HTTP (the browser walk is tests/e2e)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

from ..helpers import configure
from .support import TOKEN, Wall, document


def config_of(html: str) -> dict:
    found = re.search(r'<script nonce="[^"]+" id="config" type="application/json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def test_lists_the_users_surveys_themed_and_frameable(client):
    settings = {
        "light": {"navigation_color": "#ffeb3b"},
        "currency": {"symbol": "Gems", "floor_decimal": True},
    }
    configure(client, document(app_settings=settings, currency_factor="33.3"))
    r = client.get("/offerwall", params={"token": TOKEN, "uid": "user-1", "sdk": "FLUTTER", "os": "android"})
    assert r.status_code == 200, r.text
    html = r.text
    assert html.count('class="survey"') == 4  # start bonus + the three surveys (no country known here)
    assert "--nav: #ffeb3b; --on-nav: #000000;" in html  # light bar, dark text
    assert '39 <span class="symbol">Gems</span>' in html  # 1.20 x 33.3 = 39.96, floored
    policy = r.headers["content-security-policy"]
    assert "frame-ancestors *" in policy and "x-frame-options" not in r.headers
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert html.count(f'nonce="{nonce}"') == 3  # style, config, script: nothing else runs
    assert "http" not in re.sub(r'data-click-url="[^"]+"', "", html.split("<body>")[1])  # no CDN
    assert r.headers["referrer-policy"] == "no-referrer"
    assert config_of(html)["reasons"] == ["SENSITIVE", "UNINTERESTING", "TECHNICAL", "TOO_LONG", "OTHER"]


def test_speaks_the_users_language(client):
    configure(client, document())
    r = client.get(
        "/offerwall", params={"token": TOKEN, "uid": "u"}, headers={"Accept-Language": "fr, de;q=0.8"}
    )
    assert '<html lang="de">' in r.text and "Umfragen" in r.text
    assert config_of(r.text)["lang"] == "de"
    r = client.get("/offerwall", params={"token": TOKEN, "uid": "u"}, headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in r.text


def test_refuses_a_bad_link_as_a_page(client):
    configure(client, document())
    r = client.get("/offerwall", params={"token": "nope-nope", "uid": "u"})
    assert r.status_code == 401 and "text/html" in r.headers["content-type"]
    assert "not valid" in r.text
    assert client.get("/offerwall", params={"token": TOKEN}).status_code == 400


def test_question_page_is_not_frameable_shows_the_text_once_and_keeps_what_was_typed(client):
    configure(client, document())
    wall = Wall(client)
    click = wall.click("srv-auto")
    wall.answer(click, "1980-01-01")  # the profile question
    wall.answer(click, "1")
    page = f"/v2/client/clicks/{click}/page"
    r = client.get(page)
    assert r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.text.count("Your ZIP code?") == 1
    r = client.post(page, data={"do": "answer", "answers": "12ab"})
    assert r.status_code == 422
    assert 'value="12ab"' in r.text and r.text.count("Your ZIP code?") == 1
    assert "SENSITIVE" in r.text and "TOO_LONG" in r.text  # leave asks why


def test_multi_choice_kept_after_a_refusal(client):
    configure(client, document())
    wall = Wall(client)
    click = wall.click("srv-all")
    wall.answer(click, "1980-01-01")
    wall.answer(click, "1")
    r = client.post(f"/v2/client/clicks/{click}/page", data={"do": "answer", "answers": ["a", "b", "c", "d"]})
    assert r.status_code == 422
    assert len(re.findall(r'value="[abcd]" checked', r.text)) == 4


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/offerwall?" + urlencode({"token": TOKEN, "uid": "u" * 201})),
        ("GET", "/offerwall?" + urlencode({"token": "t" * 256, "uid": "user-1"})),
        ("POST", "/offerwall"),
        ("GET", "/v2/client/clicks/no-such-click/page"),
        ("POST", "/v2/client/clicks/no-such-click/page"),
    ],
)
def test_the_pages_answer_their_errors_as_pages(client, method, path):
    configure(client, document())
    answer = client.request(method, path)
    assert 400 <= answer.status_code < 500 and answer.headers["content-type"].startswith("text/html")
    assert '<p role="alert">' in answer.text
    assert "default-src 'none'" in answer.headers["content-security-policy"]
