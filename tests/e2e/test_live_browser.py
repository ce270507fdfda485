"""The dashboard's Live page in Chromium: its own script, under the page's strict policy, adds an event
another server process commits, within a second, with no CSP violation and no request elsewhere."""

from __future__ import annotations

import time

import httpx
import pytest

from ..helpers import ADMIN, ADMIN_TOKEN
from ..surveys.support import Wall, document
from .test_pages_offline_browser import browser, csp_violations, network

pytestmark = pytest.mark.e2e
__all__ = ["browser"]  # the fixture, shared


def test_the_live_page_adds_each_event_as_it_commits(database_url, start_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    shown, writer = start_server(database_url), start_server(database_url)
    assert httpx.put(f"{writer}/admin/v1/config", json=document(), headers=ADMIN).status_code == 200
    driver, wait = browser, WebDriverWait(browser, 20)
    driver.get(f"{shown}/dashboard/login?next=/dashboard/apps/acme/live")
    driver.find_element(By.ID, "token").send_keys(ADMIN_TOKEN)
    driver.find_element(By.CSS_SELECTOR, "#token-form button[type=submit]").click()
    wait.until(lambda d: d.find_elements(By.ID, "live"))
    wait.until(lambda d: d.find_element(By.ID, "live-state").text.startswith("Live:"))
    assert driver.find_elements(By.CSS_SELECTOR, "#live tr[data-id]") == []
    with httpx.Client(base_url=writer) as http:
        started = time.monotonic()
        Wall(http).click("srv-auto")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#live td[data-type="click.created"]'))
    assert time.monotonic() - started < 1.5  # a second from commit, plus the browser's own work
    assert driver.find_element(By.ID, "visitors").text == "1"
    assert csp_violations(driver) == []
    urls, blocked = network(driver)
    assert [u for u in urls if not u.startswith(shown)] == [] and blocked == []
