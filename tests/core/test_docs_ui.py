"""/docs and /redoc render without internet access: every script and stylesheet they load is ours."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ASSET = re.compile(r'<(?:script|link)[^>]*?(?:src|href)="([^"]+)"')
CONTENT_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_page_loads_only_local_assets(client, page):
    answer = client.get(page)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    urls = ASSET.findall(answer.text)
    assert urls and "googleapis" not in answer.text
    for url in urls:
        assert url.startswith("/"), f"{url} is not served by us"
        asset = client.get(url)
        kind = next(v for k, v in CONTENT_TYPES.items() if url.endswith(k))
        assert asset.status_code == 200 and kind in asset.headers["content-type"], url


def test_swagger_ui_oauth2_redirect_page(client):
    assert client.get("/docs/oauth2-redirect").status_code == 200


@pytest.mark.e2e
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_swagger_ui_renders_the_operations_offline(start_server, sqlite_template, tmp_path):
    shutil.copy(sqlite_template, tmp_path / "docs.db")
    base = start_server(f"sqlite:///{tmp_path}/docs.db")
    # Every host but loopback goes to a dead proxy: a page that needs a CDN shows nothing.
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--proxy-server=http://127.0.0.1:9",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--virtual-time-budget=20000",
            "--dump-dom",
            f"{base}/docs",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert 'class="swagger-ui' in dom
    for path in ("/v2/client/surveys", "/ib/v1/clicks", "/oauth/token", "/smart-engage/post/create-session"):
        assert f'data-path="{path}"' in dom, path
    assert "btn authorize" in dom  # the security schemes give the page its Authorize button


def test_no_docs_page_or_asset_names_another_host(client):
    redoc = client.get("/docs/assets/redoc.standalone.js")
    assert redoc.status_code == 200 and b"cdn.redoc.ly" not in redoc.content
    for page in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        policy = client.get(page).headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self' 'nonce-" in policy, page
        assert "validator.swagger.io" not in client.get(page).text
