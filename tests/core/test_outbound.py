"""Outbound deliveries (webhooks, survey callbacks, partner postbacks) never reach inside: internal addresses
in any spelling are refused in config and at send time (after DNS, connecting to the address checked),
unless CLICKTRAIL_OUTBOUND_ALLOW covers them; errors never tell port states apart; URL credentials are
never shown."""

from __future__ import annotations

import logging
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from clicktrail.app import create_app
from clicktrail.core.journeys import outbound
from clicktrail.core.journeys.outbox import OutboxMessage, deliver_due, enqueue
from clicktrail.core.storage.db import create_db_engine, make_sessionmaker

from ..helpers import ADMIN, LOOPBACK, configure, free_port, wait_until
from ..partners.conftest import document as partners_document
from ..signage.support import document as signage_document
from ..signage.support import scan
from ..surveys.support import document as surveys_document

# Every way of writing an internal address that reached a local receiver, and their kin.
SPELLINGS = [
    "127.0.0.1",
    "localhost",
    "0.0.0.0",
    "2130706433",  # 127.0.0.1 as one decimal number
    "127.1",  # short form
    "0x7f.1",  # hex
    "0177.0.0.1",  # octal
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::127.0.0.1]",  # IPv4-compatible
    "[64:ff9b::127.0.0.1]",  # NAT64
    "[2002:7f00:1::]",  # 6to4
    "user:pw@127.0.0.1",
    "[::1]",
    "[::]",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.20",
    "169.254.169.254",  # cloud metadata
    "[fe80::1]",
    "[fd00::1]",
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "100.64.0.1",  # carrier-grade NAT
]
HOOK_SECRET = "whsec-test-0123456789"
LOOPBACK_NETS = outbound.parse_networks(LOOPBACK)


@pytest.fixture
def closed(settings) -> Iterator[TestClient]:
    """The app as an operator runs it by default: no internal range allowed."""
    with TestClient(create_app(settings.model_copy(update={"outbound_allow": None}))) as client:
        yield client


def refusal(client: TestClient, document: dict) -> dict[str, str]:
    response = client.put("/admin/v1/config", json=document, headers=ADMIN)
    assert response.status_code == 400, response.text
    return {e["path"]: e["message"] for e in response.json()["errors"]}


def test_every_spelling_is_refused_in_a_webhook_url(closed):
    document = signage_document()
    document["apps"][0]["webhooks"] = [
        {"url": f"http://{host}:9/hook", "secret": HOOK_SECRET} for host in SPELLINGS
    ]
    errors = refusal(closed, document)
    for i, host in enumerate(SPELLINGS):
        message = errors[f"apps[0].webhooks[{i}].url"]
        assert message.startswith("refused: ") and "internal address" in message, host
        assert "CLICKTRAIL_OUTBOUND_ALLOW" in message
    assert closed.get("/admin/v1/apps/demo", headers=ADMIN).status_code == 404  # nothing half-written


@pytest.mark.parametrize("host", SPELLINGS)
def test_every_spelling_is_refused_in_callbacks_and_postbacks(closed, host):
    surveys = surveys_document()
    surveys["apps"][0]["surveys"]["callback_url"] = f"http://{host}/cb?uid=[%UID%]"
    assert "refused: " in refusal(closed, surveys)["apps[0].surveys.callback_url"]
    partners = partners_document()
    partners["apps"][0]["partners"]["links"][0]["postback_url"] = f"http://{host}/pb?click={{click_id}}"
    assert "refused: " in refusal(closed, partners)["apps[0].partners.links[0].postback_url"]


def test_a_placeholder_may_not_pick_the_host(closed):
    surveys = surveys_document()
    surveys["apps"][0]["surveys"]["callback_url"] = "http://[%UID%].example/cb"
    assert "placeholder" in refusal(closed, surveys)["apps[0].surveys.callback_url"]
    partners = partners_document()
    partners["apps"][0]["partners"]["links"][0]["postback_url"] = "http://{utm_source}/pb"
    assert "placeholder" in refusal(closed, partners)["apps[0].partners.links[0].postback_url"]


def test_public_hosts_are_accepted(closed):
    document = signage_document()
    document["apps"][0]["webhooks"] = [
        {"url": "https://hooks.example/in", "secret": HOOK_SECRET},
        {"url": "http://8.8.8.8/in", "secret": HOOK_SECRET},
        {"url": "http://[2606:4700::1111]/in", "secret": HOOK_SECRET},
    ]
    configure(closed, document)


def test_the_allow_list_lets_an_internal_receiver_through(client, receiver):
    """``client`` runs with CLICKTRAIL_OUTBOUND_ALLOW=127.0.0.0/8,::1/128 (conftest)."""
    document = signage_document()
    document["apps"][0]["webhooks"] = [{"url": f"{receiver.url}/in", "secret": HOOK_SECRET}]
    configure(client, document)
    scan(client)
    [hook] = receiver.wait_for(1)
    assert hook.path == "/in"


def send_time_spellings(port: int) -> list[str]:
    return [
        f"http://127.0.0.1:{port}/x",
        f"http://localhost:{port}/x",
        f"http://0.0.0.0:{port}/x",
        f"http://2130706433:{port}/x",
        f"http://127.1:{port}/x",
        f"http://0x7f.1:{port}/x",
        f"http://[::ffff:127.0.0.1]:{port}/x",
        f"http://user:pw@127.0.0.1:{port}/x",
    ]


def test_every_spelling_is_refused_at_send_time_and_reaches_loopback_when_allowed(receiver):
    port = int(receiver.url.rsplit(":", 1)[1])
    with outbound.client() as closed:
        for url in send_time_spellings(port):
            with pytest.raises(outbound.Refused):
                closed.get(url)
    assert receiver.received == []
    # The same URLs do reach the receiver once allowed: the refusals above are the guard's doing.
    with outbound.client(outbound.parse_networks("127.0.0.0/8,0.0.0.0/32")) as allowed:
        for url in send_time_spellings(port):
            assert allowed.get(url).status_code == 200, url
    assert len(receiver.received) == len(send_time_spellings(port))


def test_a_name_that_resolves_inside_is_refused_when_sent(settings, receiver, database_url):
    """``localhost`` configured while allowed, then the server runs without the allowance: its messages
    end with "refused: private address", and nothing reaches the receiver."""
    port = receiver.url.rsplit(":", 1)[1]
    quick = settings.model_copy(update={"outbox_poll_seconds": 0.05})
    document = signage_document()
    document["apps"][0]["webhooks"] = [{"url": f"http://localhost:{port}/in", "secret": HOOK_SECRET}]
    with TestClient(create_app(quick)) as client:
        configure(client, document)
    with TestClient(create_app(quick.model_copy(update={"outbound_allow": None}))) as client:
        scan(client)
        [message] = wait_until(
            lambda: (
                client.get("/admin/v1/apps/demo/deliveries", headers=ADMIN).json()["items"]
                if client.get("/admin/v1/apps/demo/deliveries", headers=ADMIN).json()["items"][0]["attempts"]
                else None
            )
        )
    assert message["last_error"] == "refused: private address"
    assert receiver.received == []


def test_the_checked_address_is_the_one_connected(receiver):
    """DNS rebinding: the name is resolved once, by the guard, and the connection goes to that answer.
    ``rebind.test`` is unknown to the system resolver, so reaching the receiver proves no second lookup;
    a later answer (an internal address not allowed) is never asked for."""
    port = int(receiver.url.rsplit(":", 1)[1])
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]])
    asked: list[str] = []

    def resolve(host: str, _port: int) -> list[str]:
        asked.append(host)
        return next(answers)

    with outbound.client(outbound.parse_networks("127.0.0.1/32"), resolve=resolve) as http:
        response = http.get(f"http://rebind.test:{port}/x")
    assert response.status_code == 200 and asked == ["rebind.test"]
    [request] = receiver.received
    assert request.headers["Host"] == f"rebind.test:{port}"  # the name kept, the address checked


def test_every_resolved_address_is_checked(receiver):
    port = int(receiver.url.rsplit(":", 1)[1])
    allowed = outbound.parse_networks("127.0.0.1/32")
    two_answers = outbound.client(allowed, resolve=lambda host, _: ["127.0.0.1", "10.0.0.1"])
    with two_answers as http, pytest.raises(outbound.Refused):
        http.get(f"http://two-answers.test:{port}/x")
    assert receiver.received == []


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[int, ssl.SSLContext]]:
    """An HTTPS server on loopback whose certificate names only ``hooks.test``; the context trusts it."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hooks.test",
         "-addext", "subjectAltName=DNS:hooks.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], ssl.create_default_context(cafile=str(cert))
    server.shutdown()
    server.server_close()


def test_tls_verifies_the_certificate_for_the_name_not_the_address(tls_receiver):
    port, trust = tls_receiver
    allowed = outbound.parse_networks("127.0.0.1/32")
    with outbound.client(allowed, resolve=lambda host, _: ["127.0.0.1"], verify=trust) as http:
        assert http.get(f"https://hooks.test:{port}/x").status_code == 204
        with pytest.raises(httpx.ConnectError):  # the certificate does not name the address
            http.get(f"https://127.0.0.1:{port}/x")


@pytest.fixture
def garbage_port() -> Iterator[int]:
    """A TCP service that answers HTTP with something else (a database port, say)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.recv(1024)
            conn.sendall(b"\x00\x01not http\r\n\r\n")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def sessions(database_url):
    engine = create_db_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def last_errors(sessions) -> dict[str, str | None]:
    with sessions() as session:
        return {m.url: m.last_error for m in session.scalars(select(OutboxMessage))}


def test_last_error_never_tells_port_states_apart(sessions, garbage_port):
    closed_port, refused = f"http://127.0.0.1:{free_port()}/", "http://10.0.0.1/"
    speaks_garbage = f"http://127.0.0.1:{garbage_port}/"
    with sessions() as session, session.begin():
        for url in (closed_port, speaks_garbage, refused):
            enqueue(session, app_id="a", topic="t", url=url)
    with outbound.client(LOOPBACK_NETS, timeout=5) as http:
        assert deliver_due(sessions, http) == 3
    assert last_errors(sessions) == {
        closed_port: "connection failed",
        speaks_garbage: "connection failed",
        refused: "refused: private address",
    }


def test_the_log_line_names_scheme_host_and_path_only(sessions, receiver, caplog):
    url = receiver.url.replace("http://", "http://user:pw@") + "/in?key=s3cret&uid=alice"
    with sessions() as session, session.begin():
        enqueue(session, app_id="a", topic="t", url=url)
    with caplog.at_level(logging.INFO, logger="clicktrail.outbox"), outbound.client(LOOPBACK_NETS) as http:
        deliver_due(sessions, http)
    lines = [r.getMessage() for r in caplog.records if r.name == "clicktrail.outbox"]
    assert lines == [f"delivery 1 (t, app a) to {receiver.url}/in: delivered"]


def test_url_credentials_are_masked_in_every_answer(client, receiver):
    with_credentials = receiver.url.replace("http://", "http://hookuser:hookpass@") + "/in"
    document = signage_document()
    document["apps"][0]["webhooks"] = [{"url": with_credentials, "secret": HOOK_SECRET}]
    surveys = surveys_document()["apps"][0]
    surveys["id"], surveys["credentials"] = "wall", []
    surveys["surveys"]["callback_url"] = "http://cbuser:cbpass@127.0.0.1:9/cb?uid=[%UID%]"
    document["apps"].append(surveys)
    applied = client.put("/admin/v1/config", json=document, headers=ADMIN)
    assert applied.status_code == 200 and "hookpass" not in applied.text
    scan(client)
    receiver.wait_for(1)
    app = client.get("/admin/v1/apps/demo", headers=ADMIN).json()
    assert app["webhooks"][0]["url"] == receiver.url.replace("http://", "http://********@") + "/in"
    deliveries = client.get("/admin/v1/apps/demo/deliveries", headers=ADMIN).json()["items"]
    assert deliveries and all(d["url"].startswith("http://********@") for d in deliveries)
    wall = client.get("/admin/v1/apps/wall", headers=ADMIN).json()
    assert wall["config"]["surveys"]["callback_url"].startswith("http://********@127.0.0.1:9/cb")
    answers = applied.text + str(app) + str(deliveries) + str(wall)
    assert "hookpass" not in answers and "cbpass" not in answers and "hookuser" not in answers
