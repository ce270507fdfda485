"""The dashboard in Chromium: sign in with the admin token, open every family's page on seeded data, read
the numbers shown, search a journey, and check that no page asked anything of another host. Screenshots at
desktop and phone width go to artifacts/ (git-ignored)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..helpers import ADMIN, ADMIN_TOKEN
from .chromium import chromium

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
IB = {"Authorization": "Bearer dash-ib-secret"}
KEY = {"API-KEY": "dash-signage-secret"}
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0"

DOCUMENT = {
    "apps": [
        {
            "id": "shop",
            "name": "Shop",
            "credentials": [
                {"name": "ib", "secret": "dash-ib-secret", "scopes": ["partners"]},
                {"name": "signage", "secret": "dash-signage-secret", "scopes": ["signage"]},
            ],
            "partners": {"links": [{"id": "6006dda272f002519c3eb505", "uri": "https://broker.example/join"}]},
            "signage": {
                "campaigns": [
                    {
                        "id": "spring",
                        "form_url": "https://brand.example/form",
                        "statuses": ["FORM_SUBMITTED", "FORM_APPROVED"],
                        "coupons": {"codes": ["SPRING-1", "SPRING-2"]},
                    }
                ]
            },
        }
    ]
}


@pytest.fixture
def browser() -> Iterator[object]:
    with chromium(logs=("performance",)) as driver:
        yield driver


def seed(base: str, configure: bool = True) -> str:
    """Five partner clicks (one from a bot) and three scans, one stepped to FORM_APPROVED; a click's id."""
    if configure:
        assert httpx.put(f"{base}/admin/v1/config", json=DOCUMENT, headers=ADMIN).status_code == 200
    click = ""
    for i, agent in enumerate([BROWSER_UA] * 4 + [BOT]):
        body = {
            "ip": f"81.2.69.{140 + i}",
            "uri": "https://broker.example/join?utm_source=news",
            "userAgent": agent,
        }
        answer = httpx.post(f"{base}/ib/v1/clicks", json=body, headers=IB)
        assert answer.status_code == 201, answer.text
        click = click or answer.json()["clickId"]
    sessions = []
    for _ in range(3):  # a phone's browser: httpx's own agent would be a bot scan, not counted in scans
        phone = {"User-Agent": BROWSER_UA}
        scanned = httpx.get(f"{base}/smart-engage/scan/shop/spring", headers=phone, follow_redirects=False)
        sessions.append(scanned.headers["location"].split("session_id=")[1])
    for status in ("FORM_SUBMITTED", "FORM_APPROVED"):
        body = {"session_id": sessions[0], "new_status": status}
        assert (
            httpx.post(f"{base}/smart-engage/post/update-session-status", json=body, headers=KEY).status_code
            == 200
        )
    return click


def requested_hosts(driver) -> set[str]:
    hosts = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        url = message["params"].get("request", {}).get("url", "")
        # data: URLs are drawn in the page (Chromium's own date-picker icon), not asked of any host
        if message["method"] == "Network.requestWillBeSent" and not url.startswith("data:"):
            hosts.add(httpx.URL(url).host)
    return hosts


def measure(driver, name: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'#totals [data-measure="{name}"]').text


def test_dashboard_in_chromium(tmp_path, sqlite_template, start_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    database = tmp_path / "dashboard.db"
    shutil.copy(sqlite_template, database)
    base = start_server(f"sqlite:///{database}")
    click = seed(base)
    ARTIFACTS.mkdir(exist_ok=True)
    driver = browser

    driver.get(f"{base}/dashboard")  # no session: the sign-in page, and no data
    assert driver.current_url.startswith(f"{base}/dashboard/login")
    assert "Shop" not in driver.page_source
    driver.find_element(By.ID, "token").send_keys(ADMIN_TOKEN)
    driver.find_element(By.CSS_SELECTOR, "#token-form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url == f"{base}/dashboard")
    overview = driver.find_element(By.ID, "app-shop")
    assert overview.find_element(By.CSS_SELECTOR, '[data-family="partners"] .value').text == "5"
    assert overview.find_element(By.CSS_SELECTOR, '[data-family="signage"] .value').text == "3"
    driver.save_screenshot(str(ARTIFACTS / "dashboard-1-overview.png"))

    driver.get(f"{base}/dashboard/apps/shop/families/partners")
    assert measure(driver, "clicks") == "5" and measure(driver, "bot_clicks") == "1"
    verdicts = driver.find_element(By.CSS_SELECTOR, 'table[data-grouping="verdict"]').text
    assert "bot" in verdicts
    assert driver.find_elements(By.CSS_SELECTOR, "svg.chart")
    driver.save_screenshot(str(ARTIFACTS / "dashboard-2-partners.png"))

    driver.get(f"{base}/dashboard/apps/shop/families/signage")
    assert measure(driver, "scans") == "3" and measure(driver, "bot_scans") == "0"
    assert measure(driver, "unique_scans") == "1"  # one phone, three scans: two are its repeats
    funnel = driver.find_element(By.CSS_SELECTOR, "table.funnel").text
    assert "FORM_SUBMITTED" in funnel and "FORM_APPROVED" in funnel
    driver.save_screenshot(str(ARTIFACTS / "dashboard-3-signage.png"))

    for family in ("surveys", "loyalty"):
        driver.get(f"{base}/dashboard/apps/shop/families/{family}")
        assert driver.find_element(By.TAG_NAME, "h1").text.startswith(family.capitalize())
        assert not driver.find_elements(By.CSS_SELECTOR, ".error")

    driver.get(f"{base}/dashboard/apps/shop/journeys?id={click}")
    assert "click.created" in driver.find_element(By.ID, "timeline").text

    driver.set_window_size(390, 844)  # a phone: everything fits, nothing scrolls sideways
    driver.get(f"{base}/dashboard/apps/shop/families/partners")
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    driver.save_screenshot(str(ARTIFACTS / "dashboard-4-phone.png"))

    assert requested_hosts(driver) == {"127.0.0.1"}  # no page asked anything of another host
    driver.find_element(By.CSS_SELECTOR, "header form button").click()  # sign out
    WebDriverWait(driver, 10).until(lambda d: "/dashboard/login" in d.current_url)
    driver.get(f"{base}/dashboard/apps/shop/families/partners")
    assert driver.current_url.startswith(f"{base}/dashboard/login")
