"""User agents: browser, OS, device, and the bot and link-preview flags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clicktrail.core.enrich.useragent import UNKNOWN, parse_user_agent

SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/14.1.2 Safari/605.1.15"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
CUBOT = (
    "Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0 "
    "Mobile Safari/537.36"
)


def test_browser_os_device():
    agent = parse_user_agent(SAFARI)
    assert (agent.browser, agent.browser_version, agent.os, agent.os_version, agent.device) == (
        "Safari",
        "14.1.2",
        "Mac OS X",
        "10.15.7",
        "Mac",
    )
    assert not agent.is_bot and not agent.is_link_preview
    assert parse_user_agent(ANDROID).os == "Android"
    assert parse_user_agent(ANDROID).device == "Pixel 8"
    assert parse_user_agent(IPHONE).device == "iPhone"


@pytest.mark.parametrize("ua", [SAFARI, ANDROID, IPHONE, CUBOT])
def test_people_are_not_bots(ua):
    assert not parse_user_agent(ua).is_bot


@pytest.mark.parametrize(
    "ua",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "curl/8.4.0",
        "python-requests/2.31.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0",
    ],
)
def test_crawlers_and_scripts_are_bots_not_previews(ua):
    agent = parse_user_agent(ua)
    assert agent.is_bot and not agent.is_link_preview


@pytest.mark.parametrize(
    "ua",
    [
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "WhatsApp/2.23.20.0 A",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    ],
)
def test_link_preview_fetchers(ua):
    agent = parse_user_agent(ua)
    assert agent.is_link_preview and agent.is_bot


@pytest.mark.parametrize("ua", [None, "", "   "])
def test_missing_agent(ua):
    assert parse_user_agent(ua) == UNKNOWN


def test_results_are_cached():
    parse_user_agent(SAFARI)
    hits = parse_user_agent.cache_info().hits
    parse_user_agent(SAFARI)
    assert parse_user_agent.cache_info().hits == hits + 1


@given(st.text(max_size=300))
def test_any_string_parses(value):
    agent = parse_user_agent(value)
    assert isinstance(agent.is_bot, bool)
