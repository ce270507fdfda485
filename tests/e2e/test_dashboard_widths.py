"""Every dashboard page (signed in with an email and password, as an owner: users and audit included) in
Chromium at a phone's width (390 px) and a desktop's (1280 px): nothing scrolls sideways, chart labels are
at least 11 px on screen, the journey timeline is cards whose event is in view, and a long webhook URL does
not make the deliveries page kilometres tall (it is shortened in the middle). Screenshots go to artifacts/;
with CLICKTRAIL_UPDATE_SCREENSHOTS=1 a few also go to docs/screenshots/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest

from ..helpers import ADMIN
from .test_dashboard_browser import DOCUMENT, browser, seed

__all__ = ["browser"]
pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
DOCS = ROOT / "docs" / "screenshots"
KEPT = {"partners-1280", "partners-390", "journeys-390", "deliveries-390"}
LONG_PATH = "/hooks/" + "a-very-long-segment/" * 12 + "end?token=abc&campaign=spring-2026"
FITS = "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
LABEL_PX = """return Math.min(999, ...[...document.querySelectorAll('svg.chart')].flatMap(svg =>
  [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize)
  * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)))"""


def pages(click: str) -> dict[str, str]:
    families = {
        f: f"/dashboard/apps/shop/families/{f}" for f in ("partners", "surveys", "loyalty", "signage")
    }
    return {
        "overview": "/dashboard",
        **families,
        "partners-filtered": "/dashboard/apps/shop/families/partners?range=7d&filter%5Bcountry%5D=GB",
        "journeys": f"/dashboard/apps/shop/journeys?id={click}",
        "deliveries": "/dashboard/apps/shop/deliveries",
        "journeys-list": "/dashboard/apps/shop/journeys",
        "live": "/dashboard/apps/shop/live",
        "person": "/dashboard/apps/shop/people/shopper-with-a-rather-long-user-id-0123456789",
        "message": "/dashboard/apps/shop/families/partners?range=fortnight",
        "users": "/dashboard/users",
        "audit": "/dashboard/audit",
    }


def test_every_page_fits_a_phone_and_a_desktop(tmp_path, sqlite_template, start_server, browser, receiver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    database = tmp_path / "widths.db"
    shutil.copy(sqlite_template, database)
    base = start_server(f"sqlite:///{database}")
    document = {
        "apps": [
            {
                **DOCUMENT["apps"][0],
                "webhooks": [
                    {"url": receiver.url + LONG_PATH, "secret": "widths-hook-secret", "events": ["*"]}
                ],
            }
        ]
    }
    assert httpx.put(f"{base}/admin/v1/config", json=document, headers=ADMIN).status_code == 200
    click = seed(base, configure=False)
    ARTIFACTS.mkdir(exist_ok=True)
    driver = browser
    for width in (390, 1280):  # the sign-in page, before there is a session
        driver.set_window_size(width, 900)
        driver.get(f"{base}/dashboard/login")
        assert driver.execute_script(FITS), f"the sign-in page scrolls sideways at {width} px"
    owner = {"email": "owner.with.a.long.address@example.com", "password": "widths-password", "role": "owner"}
    assert httpx.post(f"{base}/admin/v1/users", json=owner, headers=ADMIN).status_code == 201
    viewer = {**owner, "email": "viewer@example.com", "role": "viewer", "apps": ["shop"]}
    assert httpx.post(f"{base}/admin/v1/users", json=viewer, headers=ADMIN).status_code == 201
    driver.get(f"{base}/dashboard/login")  # signing in with an email and password, in the browser
    driver.find_element(By.ID, "email").send_keys(owner["email"])
    driver.find_element(By.ID, "password").send_keys(owner["password"])
    driver.find_element(By.CSS_SELECTOR, "#user-form button[type=submit]").click()
    signed_in = WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "who"))
    assert owner["email"] in signed_in[0].text
    keep = os.environ.get("CLICKTRAIL_UPDATE_SCREENSHOTS") == "1"
    for width in (390, 1280):
        driver.set_window_size(width, 900)
        for name, path in pages(click).items():
            driver.get(base + path)
            assert driver.find_element(By.TAG_NAME, "main").text, name
            viewport = driver.execute_script("return document.documentElement.clientWidth")
            overflow = driver.execute_script("return document.documentElement.scrollWidth")
            assert overflow <= viewport, f"{name} at {width} px scrolls sideways ({overflow} > {viewport})"
            if driver.find_elements(By.CSS_SELECTOR, "svg.chart text"):
                assert driver.execute_script(LABEL_PX) >= 11, f"{name} at {width} px: chart labels < 11 px"
            shot = f"{name}-{width}.png"
            driver.save_screenshot(str(ARTIFACTS / f"widths-{shot}"))
            if keep and shot.removesuffix(".png") in KEPT:
                DOCS.mkdir(exist_ok=True)
                driver.save_screenshot(str(DOCS / shot))
        check_timeline(driver, base, click, width)
        check_deliveries(driver, base, width)


def check_timeline(driver, base: str, click: str, width: int) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/dashboard/apps/shop/journeys?id={click}")
    event = driver.find_element(By.CSS_SELECTOR, "#timeline [data-type]")
    right = driver.execute_script("return arguments[0].getBoundingClientRect().right", event)
    assert event.is_displayed() and right <= width, f"the event is out of view at {width} px"


def check_deliveries(driver, base: str, width: int) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/dashboard/apps/shop/deliveries")
    rows = driver.find_elements(By.CSS_SELECTOR, "#deliveries tr[data-status]")
    assert rows, "no deliveries to show"
    url = driver.find_element(By.CSS_SELECTOR, "#deliveries td.url code")
    assert url.get_attribute("title").endswith("&campaign=********") and "…" in url.text
    tallest = max(row.size["height"] for row in rows)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    assert tallest <= 260, f"a delivery is {tallest} px tall at {width} px"
    assert height <= 600 + 260 * len(rows), f"the deliveries page is {height} px tall at {width} px"
