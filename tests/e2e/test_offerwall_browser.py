"""The hosted offerwall in Chromium at phone width, framed by a publisher page as an app's web view would
show it: pick a survey, answer its two questions (one refusal on the way), land on the survey; earn the
start bonus; and watch the hook messages the page posts to its parent."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from ..helpers import ADMIN
from .chromium import chromium

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
TOKEN = "wall-browser-1"


class Publisher(BaseHTTPRequestHandler):
    """The publisher's page framing the offerwall, and the survey side's entry page."""

    offerwall_url = ""

    def do_GET(self) -> None:
        if self.path.startswith("/entered"):
            body = "<!doctype html><title>survey</title><h1 id='entered'>In the survey</h1>"
        else:
            body = f"""<!doctype html><html><head><meta name="viewport" content="width=device-width">
<style>html,body{{margin:0;height:100%}}iframe{{border:0;width:100%;height:100%;display:block}}</style>
<script>window.hooks = []; window.addEventListener("message", e => window.hooks.push(e.data));</script>
</head><body><iframe id="wall" src="{self.offerwall_url}"></iframe></body></html>"""
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def publisher() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Publisher)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def tiny_app(entry: str) -> dict:
    return {
        "apps": [
            {
                "id": "tiny",
                "name": "Tiny",
                "credentials": [{"name": "wall", "secret": TOKEN, "scopes": ["surveys"]}],
                "surveys": {
                    "currency_factor": 100,
                    "termination_url": "https://publisher.example/back",
                    "start_bonus_url": "https://publisher.example/bonus",
                    "app_settings": {
                        "light": {"navigation_color": "#6200ee", "interaction_color": "#018786"},
                        "currency": {"symbol": "Coins"},
                    },
                    "questions": [
                        {
                            "id": "q-color",
                            "type": "SINGLE",
                            "text": {"en": "Favorite color?", "de": "Lieblingsfarbe?"},
                            "answers": [
                                {"code": "1", "text": {"en": "Red"}},
                                {"code": "2", "text": {"en": "Blue"}},
                            ],
                        },
                        {
                            "id": "q-zip",
                            "type": "TEXT",
                            "text": {"en": "Your ZIP code?"},
                            "example": "10001",
                            "validation": {"min": 5, "max": 5, "regex": "^[0-9]+$"},
                        },
                    ],
                    "start_bonus": {"reward": "0.50", "questions": ["q-color"]},
                    "list": [
                        {
                            "id": "srv-two",
                            "cpi": "1.20",
                            "loi": 4,
                            "country": "US",
                            "language": "en",
                            "rating": 4,
                            "category": {"name": "Automotive", "name_internal": "automotive"},
                            "entry_url": f"{entry}/entered?click={{click_id}}",
                            "questions": [{"id": "q-color", "qualifying": ["1"]}, {"id": "q-zip"}],
                        }
                    ],
                },
            }
        ]
    }


@pytest.fixture
def browser() -> Iterator[object]:
    with chromium(390, 844, "--lang=en-US") as driver:
        yield driver


def hooks(driver) -> list[dict]:
    driver.switch_to.default_content()
    return [h for h in driver.execute_script("return window.hooks") if h.get("type") == "hook"]


def names(driver) -> list[str]:
    return [h["name"] for h in hooks(driver) if h["name"].startswith("offerwall-core:")]


def test_offerwall_walk_in_chromium(tmp_path, sqlite_template, start_server, publisher, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import WebDriverWait

    database = tmp_path / "browser.db"
    shutil.copy(sqlite_template, database)
    base = start_server(f"sqlite:///{database}")
    r = httpx.put(f"{base}/admin/v1/config", json=tiny_app(publisher), headers=ADMIN)
    assert r.status_code == 200, r.text
    Publisher.offerwall_url = f"{base}/offerwall?" + urlencode(
        {"token": TOKEN, "uid": "phone-user", "sdk": "WEB"}
    )
    ARTIFACTS.mkdir(exist_ok=True)
    driver, wait = browser, WebDriverWait(browser, 10)

    def in_wall() -> None:
        driver.switch_to.default_content()
        driver.switch_to.frame("wall")

    driver.get(publisher)
    wait.until(lambda d: "offerwall-core:init" in names(d))
    in_wall()
    cards = driver.find_elements(By.CSS_SELECTOR, ".survey")
    assert len(cards) == 2  # the start bonus and srv-two
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert driver.find_element(By.ID, "close").is_displayed()  # framed: the app may close it
    driver.save_screenshot(str(ARTIFACTS / "offerwall-1-list.png"))

    # srv-two: Red qualifies, the ZIP code is refused once, then the survey opens.
    driver.find_element(By.CSS_SELECTOR, '.survey[data-survey-id="srv-two"]').click()
    wait.until(seen.text_to_be_present_in_element((By.ID, "question-text"), "Favorite color?"))
    assert driver.find_element(By.ID, "progress-text").text == "Question 1 of 2"
    leave, next_ = driver.find_element(By.ID, "leave"), driver.find_element(By.ID, "next")
    assert leave.value_of_css_property("background-color") != next_.value_of_css_property("background-color")
    driver.save_screenshot(str(ARTIFACTS / "offerwall-2-question.png"))
    leave.click()  # asks first; cancelling keeps the survey going
    wait.until(seen.visibility_of_element_located((By.ID, "leave-dialog")))
    assert len(driver.find_elements(By.CSS_SELECTOR, '#reasons input[name="reason"]')) == 5
    driver.save_screenshot(str(ARTIFACTS / "offerwall-3-leave.png"))
    driver.find_element(By.ID, "leave-cancel").click()
    driver.find_element(By.XPATH, "//label[contains(., 'Red')]").click()
    next_.click()
    wait.until(seen.text_to_be_present_in_element((By.ID, "question-text"), "Your ZIP code?"))
    assert len(driver.find_elements(By.XPATH, "//*[text()='Your ZIP code?']")) == 1  # shown once
    zip_code = driver.find_element(By.ID, "answer")
    zip_code.send_keys("12")
    driver.find_element(By.ID, "next").click()
    wait.until(seen.text_to_be_present_in_element((By.ID, "error"), "at least 5 characters"))
    assert zip_code.get_attribute("value") == "12"  # what the user typed stays
    driver.save_screenshot(str(ARTIFACTS / "offerwall-4-refused.png"))
    zip_code.send_keys("345")
    driver.find_element(By.ID, "next").click()
    wait.until(seen.presence_of_element_located((By.ID, "entered")))
    click_id = driver.execute_script("return location.href").split("click=")[1]
    driver.save_screenshot(str(ARTIFACTS / "offerwall-5-survey.png"))
    start = [h for h in hooks(driver) if h["name"] == "offerwall-core:survey.start"]
    assert start == [{"type": "hook", "name": "offerwall-core:survey.start", "args": [start[0]["args"][0]]}]
    assert start[0]["args"][0]["clickId"] == click_id and start[0]["args"][0]["linkId"] == "srv-two"

    # The start bonus: one question, then the reward reaches the app.
    driver.switch_to.default_content()
    driver.execute_script("document.getElementById('wall').src = arguments[0]", Publisher.offerwall_url)
    wait.until(lambda d: names(d).count("offerwall-core:init") == 2)
    in_wall()
    driver.find_element(By.CSS_SELECTOR, '.survey[data-survey-id="start-bonus"]').click()
    wait.until(seen.text_to_be_present_in_element((By.ID, "question-text"), "Favorite color?"))
    driver.find_element(By.XPATH, "//label[contains(., 'Blue')]").click()
    driver.find_element(By.ID, "next").click()
    wait.until(seen.visibility_of_element_located((By.ID, "result")))
    assert "50" in driver.find_element(By.ID, "result-reward").text
    driver.save_screenshot(str(ARTIFACTS / "offerwall-6-bonus.png"))
    assert names(driver) == [
        "offerwall-core:init",
        "offerwall-core:survey.start",
        "offerwall-core:init",
        "offerwall-core:survey.start",
        "offerwall-core:survey.startBonus",
    ]
    assert hooks(driver)[-2:] == [
        {"type": "hook", "name": "offerwall-core:survey.startBonus", "args": [{"reward": 50}]},
        {"type": "hook", "name": "offerwall-surveys:survey.start-bonus", "args": [{"reward": 50}]},
    ]
    in_wall()
    driver.find_element(By.ID, "close").click()
    wait.until(lambda d: names(d)[-1] == "offerwall-core:sdk.close")
