"""Debian's chromium driven by its chromedriver (never a browser download): one way to open it for every
browser test, skipped where the two are not installed (.ci/run installs them)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = next(
    (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))), None
)
CHROMEDRIVER = shutil.which("chromedriver")


@contextmanager
def chromium(width: int = 1280, height: int = 900, *args: str, logs: tuple[str, ...] = ()) -> Iterator[Any]:
    """A headless browser of that window size; ``logs``: the log types to keep ("performance" has every
    request, "browser" the console)."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("chromium and chromedriver are not installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}", *args):
        options.add_argument(arg)
    if logs:
        options.set_capability("goog:loggingPrefs", dict.fromkeys(logs, "ALL"))
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_window_size(width, height)
    try:
        yield driver
    finally:
        driver.quit()
