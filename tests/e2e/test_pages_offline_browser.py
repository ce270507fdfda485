"""Every HTML page the server serves, in Chromium with the DevTools network log on: each carries a strict
Content-Security-Policy, renders, breaks no rule of its policy, and asks nothing of any host but this
server (no CDN, no logo, no validator, no font)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest

from ..helpers import ADMIN, ADMIN_TOKEN
from ..surveys.support import TOKEN, Wall, document
from .chromium import chromium

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser() -> Iterator[object]:
    with chromium(logs=("performance", "browser")) as driver:
        yield driver


def network(driver) -> tuple[list[str], list[str]]:
    """(every URL the pages requested, every request the browser blocked), from the DevTools events."""
    urls, blocked = [], []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.loadingFailed" and message["params"].get("blockedReason"):
            blocked.append(message["params"]["blockedReason"])
    return urls, blocked


def csp_violations(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def test_no_page_asks_anything_of_another_host(tmp_path, sqlite_template, start_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    database = tmp_path / "pages.db"
    shutil.copy(sqlite_template, database)
    base = start_server(f"sqlite:///{database}")
    assert httpx.put(f"{base}/admin/v1/config", json=document(), headers=ADMIN).status_code == 200
    with httpx.Client(base_url=base) as http:
        click = Wall(http).click("srv-auto")
    driver, wait = browser, WebDriverWait(browser, 20)
    pages = {
        "/offerwall?" + urlencode({"token": TOKEN, "uid": "user-1"}): (By.CSS_SELECTOR, ".survey"),
        "/offerwall?" + urlencode({"token": TOKEN, "uid": "u" * 201}): (By.TAG_NAME, "main"),
        f"/v2/client/clicks/{click}/page": (By.TAG_NAME, "form"),
        "/docs": (By.CSS_SELECTOR, ".opblock"),
        "/redoc": (By.CSS_SELECTOR, "[data-section-id]"),
        "/dashboard/login": (By.ID, "token"),
    }
    for path, (by, shown) in pages.items():
        policy = httpx.get(f"{base}{path}").headers["content-security-policy"]
        assert "default-src 'none'" in policy, path  # what no directive names, the page may not load
        scripts = next((d for d in policy.split("; ") if d.startswith("script-src")), "")
        assert "unsafe" not in scripts and "http" not in scripts, path
        driver.get(f"{base}{path}")
        wait.until(lambda d, by=by, shown=shown: d.find_elements(by, shown), message=path)
        assert csp_violations(driver) == [], path
    driver.find_element(By.ID, "token").send_keys(ADMIN_TOKEN)
    driver.find_element(By.CSS_SELECTOR, "#token-form button[type=submit]").click()
    wait.until(lambda d: d.current_url == f"{base}/dashboard")
    assert driver.find_elements(By.ID, "app-acme")
    urls, blocked = network(driver)
    assert len(urls) > len(pages)
    assert [u for u in urls if not u.startswith((base, "data:", "blob:"))] == []
    assert blocked == []  # nothing was even tried and refused
