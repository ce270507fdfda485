"""HTTP/1.1 at the edge of a real ``clicktrail serve`` (uvicorn, httptools), over raw sockets: the header
block is capped (431), ``Upgrade: h2c`` is ignored and the body still read, and a request the parser
refuses is counted as the 400 its client got."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from urllib.parse import urlsplit

import httpx
import pytest

from ..helpers import ADMIN, wait_until
from ..partners.conftest import AUTH, document

pytestmark = pytest.mark.e2e
SIGNAGE_KEY = "signage-key"
CLICK = json.dumps({"ip": "10.0.0.1", "uri": "https://my.stage.org/register?referral=1"}).encode()
H2C = b"Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"


@pytest.fixture
def base(sqlite_template, tmp_path, start_server) -> str:
    path = tmp_path / "t.db"
    path.write_bytes(sqlite_template.read_bytes())
    url = start_server(f"sqlite:///{path}", env={"CLICKTRAIL_LOG_FORMAT": "json"})
    doc = document()
    doc["apps"][0]["credentials"].append({"name": "screens", "secret": SIGNAGE_KEY, "scopes": ["signage"]})
    doc["apps"][0]["signage"] = {
        "campaigns": [{"id": "spring", "form_url": "https://brand.example/form", "statuses": ["DONE"]}]
    }
    assert httpx.put(f"{url}/admin/v1/config", json=doc, headers=ADMIN, timeout=30).status_code == 200
    return url


def connect(base: str) -> socket.socket:
    address = urlsplit(base)
    return socket.create_connection((address.hostname, address.port), timeout=10)


def exchange(base: str, *parts: bytes) -> bytes:
    """Send ``parts`` (a pause between them, as separate segments), then read until the server closes."""
    with connect(base) as sock:
        for n, part in enumerate(parts):
            if n:
                time.sleep(0.2)
            sock.sendall(part)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


def post(path: str, body: bytes, headers: bytes = b"") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n"
    ).encode() + headers


# --- the header cap -------------------------------------------------------------------------------------


def test_a_header_block_beyond_16_kib_gets_431_and_the_connection_closes(base):
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    filler = b"X-Filler: " + b"a" * (16_384 - len(head) - 14) + b"\r\n\r\n"  # the block is 16 KiB exactly
    assert len(head + filler) == 16_384
    assert exchange(base, head + filler).startswith(b"HTTP/1.1 200 ")
    answer = exchange(base, head + b"X-Filler: " + b"a" * 20_000 + b"\r\n\r\n")
    assert answer == (
        b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    )


def test_many_headers_count_together(base):
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-%d: %s\r\n" % (n, b"b" * 90) for n in range(200)
    )
    assert exchange(base, head, b"\r\n").startswith(b"HTTP/1.1 431 ")


def test_a_huge_header_is_cut_off_without_growing_the_server(base, start_server):
    (server,) = start_server.processes
    before = rss_kib(server.pid)
    huge = b"a" * (1 << 20)

    def flood() -> None:
        with connect(base) as sock:
            try:
                sock.sendall(b"POST /ib/v1/clicks HTTP/1.1\r\nHost: x\r\nX-Huge: ")
                for _ in range(32):  # 32 MB, unless the server hangs up first
                    sock.sendall(huge)
            except (BrokenPipeError, ConnectionResetError):
                return
            pytest.fail("the server read 32 MB of one header")

    for _ in range(8):
        flood()
    assert httpx.get(f"{base}/healthz").status_code == 200
    assert rss_kib(server.pid) - before < 32 * 1024


def rss_kib(pid: int) -> int:
    status = subprocess.run(["cat", f"/proc/{pid}/status"], capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


# --- Upgrade: h2c ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("separate", [False, True], ids=["one-segment", "body-apart"])
def test_an_h2c_upgrade_is_ignored_and_the_body_read(base, separate):
    cases = [
        ("/ib/v1/clicks", CLICK, AUTH, b"HTTP/1.1 201 "),
        (
            "/smart-engage/post/create-session",
            b'{"campaign_id": "spring"}',
            {"API-KEY": SIGNAGE_KEY},
            b"HTTP/1.1 200 ",
        ),
        ("/admin/v1/webhooks/test", b'{"url": "http://127.0.0.1:9/"}', ADMIN, None),
    ]
    for path, body, auth, expected in cases:
        credentials = "".join(f"{k}: {v}\r\n" for k, v in auth.items()).encode()
        plain = exchange(base, post(path, body, credentials) + b"\r\n" + body)
        head = post(path, body, credentials + H2C) + b"\r\n"
        upgraded = exchange(base, head, body) if separate else exchange(base, head + body)
        assert upgraded.split(b"\r\n")[0] == plain.split(b"\r\n")[0], (path, upgraded)
        if expected is not None:
            assert upgraded.startswith(expected), upgraded


def test_curl_http2_against_http_posts_its_body(base):
    result = subprocess.run(
        ["curl", "-s", "--http2", "-o", "-", "-w", "\n%{http_code}", f"{base}/ib/v1/clicks",
         "-H", f"Authorization: {AUTH['Authorization']}", "-H", "Content-Type: application/json",
         "--data-binary", CLICK.decode()],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    body, status = result.stdout.rsplit("\n", 1)
    assert status == "201", result.stdout
    assert json.loads(body)["uri"] == "https://my.stage.org/register?referral=1"


# --- parser refusals are 400s in the log and the metrics -----------------------------------------------


CHUNKED = b"Transfer-Encoding: chunked\r\n"
REFUSED = [
    ("chunk size zz", CHUNKED, b"zz\r\nabc\r\n0\r\n\r\n"),
    ("overlong chunk size", CHUNKED, b"1" + b"0" * 40 + b"\r\nabc\r\n0\r\n\r\n"),
    ("transfer-encoding gzip", b"Transfer-Encoding: gzip\r\n", b"abc"),
]


def test_requests_the_parser_refuses_are_counted_as_400(base, tmp_path):
    for _, encoding, body in REFUSED:
        head = (
            b"POST /ib/v1/clicks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: {AUTH['Authorization']}\r\n".encode()
            + encoding
            + b"\r\n"
        )
        assert exchange(base, head + body).startswith(b"HTTP/1.1 400 ")

    def counted() -> dict[str, float]:
        metrics = httpx.get(f"{base}/metrics").text
        lines = [line for line in metrics.splitlines() if line.startswith("clicktrail_requests_total{")]
        return {
            line.split('status="')[1].split('"')[0]: float(line.rsplit(" ", 1)[1])
            for line in lines
            if 'family="partners"' in line
        }

    assert counted() == {"400": len(REFUSED)}
    (log,) = tmp_path.glob("server-*.log")

    def access_statuses() -> list[int]:
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
        return [line["status"] for line in lines if line.get("path") == "/ib/v1/clicks"]

    assert wait_until(lambda: len(access_statuses()) == len(REFUSED) or None)
    assert access_statuses() == [400] * len(REFUSED)


def test_connect_and_a_websocket_upgrade_are_still_answered(base):
    connect_answer = exchange(base, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    assert connect_answer.startswith(b"HTTP/1.1 4"), connect_answer
    websocket = (
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    with connect(base) as sock:
        sock.sendall(websocket)
        assert sock.recv(65536).startswith(b"HTTP/1.1 ")
