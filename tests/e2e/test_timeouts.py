"""Slow clients against a real ``clicktrail serve``: stalled headers and stalled bodies are cut off."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e
TIMEOUTS = {"CLICKTRAIL_HEADER_TIMEOUT_SECONDS": "1", "CLICKTRAIL_BODY_TIMEOUT_SECONDS": "1"}


def stall(base: str, sent: bytes, wait: float = 5) -> tuple[bytes, float]:
    """Send ``sent``, then nothing; what the server answered before closing, and when it closed."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=wait) as sock:
        sock.sendall(sent)
        began = time.monotonic()
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
        return answer, time.monotonic() - began


def test_headers_that_stall_are_cut_off(sqlite_template, tmp_path, start_server):
    path = tmp_path / "t.db"
    path.write_bytes(sqlite_template.read_bytes())
    base = start_server(f"sqlite:///{path}", env=TIMEOUTS)
    answer, seconds = stall(base, b"POST /ib/v1/clicks HTTP/1.1\r\nHost: x\r\nContent-Ty")
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert 0.8 < seconds < 3


def test_a_body_that_stalls_is_cut_off(sqlite_template, tmp_path, start_server):
    path = tmp_path / "t.db"
    path.write_bytes(sqlite_template.read_bytes())
    base = start_server(f"sqlite:///{path}", env=TIMEOUTS)
    head = b"POST /ib/v1/clicks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    answer, seconds = stall(base, head + b'Content-Length: 100\r\n\r\n{"ip":')
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"message":"the request body took too long to arrive"' in answer
    assert 0.8 < seconds < 3


def test_an_idle_connection_is_closed(sqlite_template, tmp_path, start_server):
    path = tmp_path / "t.db"
    path.write_bytes(sqlite_template.read_bytes())
    base = start_server(f"sqlite:///{path}", env={**TIMEOUTS, "CLICKTRAIL_KEEP_ALIVE_SECONDS": "1"})
    answer, seconds = stall(base, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert seconds < 3
