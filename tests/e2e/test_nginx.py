"""deploy/nginx.conf with Debian's own nginx: it passes ``nginx -t``, and run for real in front of a real
``clicktrail serve`` it redirects HTTP to HTTPS, speaks HTTP/2, hides /metrics and forwards the scheme.
Then a proxy under a path prefix (``location /track/``): the dashboard, the hosted pages and their links
work through it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from ..helpers import ADMIN_TOKEN, LOOPBACK, free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx.conf"
CERTS = "/etc/letsencrypt/live/track.example.com/"


def _nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=True, env=env)
        found = shutil.which("nginx", path="/usr/sbin:/sbin:/usr/bin")
    if found is None:
        pytest.fail("nginx is needed (Debian: apt-get install nginx-light)")
    return found


@pytest.fixture(scope="session")
def nginx() -> str:
    return _nginx_binary()


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    """A self-signed certificate for 127.0.0.1, where the site expects Let's Encrypt's files."""
    where = tmp_path / "certs"
    where.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(where / "privkey.pem"),
         "-out", str(where / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return where


def _wrapper(tmp_path: Path, site: str) -> Path:
    """A main nginx.conf that includes ``site`` under http{}, as /etc/nginx/sites-enabled is, with every
    path of its own in ``tmp_path``."""
    (tmp_path / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's files
    temp = "".join(
        f"    {kind}_temp_path {tmp_path}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi")
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n    access_log off;\n{temp}    include {tmp_path}/site.conf;\n}}\n"
    )
    return conf


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/nginx.conf no longer has {old!r}: update this test"
    return text.replace(old, new)


@pytest.fixture
def run_nginx(nginx: str, tmp_path: Path) -> Iterator[Callable[[str, int], None]]:
    processes: list[subprocess.Popen[bytes]] = []

    def run(site: str, port: int) -> None:
        conf = _wrapper(tmp_path, site)
        command = [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)]
        tested = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert tested.returncode == 0, tested.stderr
        proc = subprocess.Popen([*command, "-g", "daemon off;"])
        processes.append(proc)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "error.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nginx did not start listening")

    yield run
    for proc in processes:
        proc.send_signal(signal.SIGQUIT)  # graceful stop, workers included
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def server(tmp_path: Path, sqlite_template: Path, start_server) -> Callable[..., str]:
    """A real ``clicktrail serve`` on a migrated SQLite file with the demo app."""

    def start(**env: str) -> str:
        database = tmp_path / "served.db"
        shutil.copy(sqlite_template, database)
        url = f"sqlite:///{database}"
        applied = subprocess.run(
            [sys.executable, "-m", "clicktrail", "apply", str(ROOT / "examples" / "demo.yaml")],
            env={**os.environ, "CLICKTRAIL_DATABASE_URL": url, "CLICKTRAIL_OUTBOUND_ALLOW": LOOPBACK},
            capture_output=True, text=True,
        )  # fmt: skip
        assert applied.returncode == 0, applied.stderr
        return start_server(url, env=env)

    return start


def _debian_main(tmp_path: Path, site: str) -> Path:
    """Debian's own /etc/nginx/nginx.conf (gzip, its ssl_protocols, mime types, modules), with the site
    where sites-enabled/ would hold it and its pid and logs in ``tmp_path``."""
    debian = Path("/etc/nginx/nginx.conf")
    if not debian.is_file():
        pytest.skip("no /etc/nginx/nginx.conf (not Debian's nginx package)")
    (tmp_path / "site.conf").write_text(site)
    conf = debian.read_text()
    for old, new in [
        ("include /etc/nginx/sites-enabled/*;", f"include {tmp_path}/site.conf;"),
        ("pid /run/nginx.pid;", f"pid {tmp_path}/nginx.pid;"),
        ("error_log /var/log/nginx/error.log;", f"error_log {tmp_path}/error.log;"),
        ("access_log /var/log/nginx/access.log;", f"access_log {tmp_path}/access.log;"),
    ]:
        assert old in conf, f"/etc/nginx/nginx.conf has no {old!r}"
        conf = conf.replace(old, new)
    main = tmp_path / "debian-nginx.conf"
    main.write_text(conf)
    return main


@pytest.mark.parametrize("layout", ["own main config", "Debian's nginx.conf"])
def test_the_site_passes_nginx_t(nginx, tmp_path, certificate, layout):
    site = _replace(SITE.read_text(), CERTS, f"{certificate}/")
    conf = _wrapper(tmp_path, site) if layout == "own main config" else _debian_main(tmp_path, site)
    # Debian's modules load from nginx's own prefix; ours keeps everything in tmp_path.
    prefix = ["-p", str(tmp_path)] if layout == "own main config" else []
    result = subprocess.run(
        [nginx, "-t", *prefix, "-e", str(tmp_path / "error.log"), "-c", str(conf)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_site_in_front_of_a_real_server(tmp_path, certificate, run_nginx, server):
    base = server(FORWARDED_ALLOW_IPS="127.0.0.1")
    upstream = int(base.rsplit(":", 1)[1])
    http, https = free_port(), free_port()
    site = SITE.read_text()
    for old, new in [
        (CERTS, f"{certificate}/"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{http};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
    ]:
        site = _replace(site, old, new)
    run_nginx(site, https)
    front = f"https://127.0.0.1:{https}"
    tls = ssl.create_default_context(cafile=str(certificate / "fullchain.pem"))
    with httpx.Client(verify=tls, timeout=10) as client:
        assert client.get(f"{front}/healthz").json() == {"status": "ok"}
        assert client.get(f"{front}/metrics").status_code == 404  # nginx's own answer
        moved = client.get(f"http://127.0.0.1:{http}/healthz")
        assert moved.status_code == 301
        assert moved.headers["location"] == "https://127.0.0.1/healthz"
        # X-Forwarded-Proto reached the server: the session cookie of an HTTPS sign-in is Secure.
        signed = client.post(f"{front}/dashboard/login", data={"token": ADMIN_TOKEN, "next": "/dashboard"})
        assert signed.status_code == 303
        assert "secure" in signed.headers["set-cookie"].lower()
        assert client.get(f"{front}/healthz").headers["x-request-id"]
    tls.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", https)) as raw,
        tls.wrap_socket(raw, server_hostname="127.0.0.1") as wrapped,
    ):
        assert wrapped.selected_alpn_protocol() == "h2"


PREFIXED = """server {{
    listen 127.0.0.1:{port};
    location /track/ {{
        proxy_pass http://127.0.0.1:{upstream}/;
        proxy_set_header X-Forwarded-For $remote_addr;
    }}
}}
"""


def test_everything_works_behind_a_path_prefix(run_nginx, server):
    port = free_port()
    front = f"http://127.0.0.1:{port}/track"
    base = server(CLICKTRAIL_PUBLIC_URL=f"{front}/")
    run_nginx(PREFIXED.format(port=port, upstream=base.rsplit(":", 1)[1]), port)
    with httpx.Client(base_url=front, timeout=10) as client:
        to_login = client.get("/dashboard")
        assert to_login.status_code == 303
        assert to_login.headers["location"] == "/track/dashboard/login?next=/dashboard"
        form = client.get("/dashboard/login").text
        assert 'action="/track/dashboard/login"' in form
        signed = client.post("/dashboard/login", data={"token": ADMIN_TOKEN, "next": "/dashboard"})
        assert signed.status_code == 303
        assert signed.headers["location"] == "/track/dashboard"
        assert "path=/track/dashboard" in signed.headers["set-cookie"].lower()
        home = client.get("/dashboard")
        assert home.status_code == 200
        links = re.findall(r'(?:href|action)="(/[^"]*)"', home.text)
        assert links and all(link.startswith("/track/") for link in links), links  # pages and API calls
        app_page = next(link for link in links if "/apps/demo/" in link)
        assert client.get(app_page.removeprefix("/track")).status_code == 200

        wall = {"X-Api-Token": "wall-secret", "X-User-Id": "alice"}
        surveys = client.get("/v2/client/surveys", headers=wall).json()["data"]["surveys"]
        click_url = surveys[0]["click_url"]
        assert click_url.startswith(f"{front}/v2/client/clicks?")
        opened = client.get(click_url.removeprefix(front))
        assert opened.status_code == 302
        page = opened.headers["location"]
        assert page.startswith(f"{front}/v2/client/clicks/") and page.endswith("/page")
        question = client.get(page.removeprefix(front))
        assert question.status_code == 200
        assert f'action="{page}' in question.text

        offerwall = client.get("/offerwall", params={"token": "wall-secret", "uid": "alice"}).text
        assert f'data-click-url="{front}/v2/client/clicks?' in offerwall
        assert '"clicksPath": "/track/v2/client/clicks/"' in offerwall.replace('":"', '": "')
