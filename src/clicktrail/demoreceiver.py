"""The demo's own receiver: ``clicktrail demo`` listens where the demo document's loopback webhook points
(``http://127.0.0.1:9000`` in examples/demo.yaml, as do its survey callback and partner postback), so a
first run delivers instead of retrying into a closed port. Each message is one log line (its
``X-Clicktrail-Signature`` checked with the secret that signs it: the webhook's, the app's callback or
postback secret), and ``GET /`` there lists the last ones as JSON."""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections import deque
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .core.journeys import signing

log = logging.getLogger("clicktrail.demo")
KEPT = 100  # messages GET / lists
LOOPBACK = "127.0.0.1"


def _verified(secret: str, payload: bytes, header: str) -> bool:
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        expected = signing.signature(secret, payload.decode(), int(fields["t"]))
    except (ValueError, KeyError, UnicodeDecodeError):
        return False
    return hmac.compare_digest(expected, header)


class DemoReceiver:
    """An HTTP server on loopback that takes every request with a 204 and remembers what it was."""

    def __init__(self, port: int, secrets: dict[str, str], signers: dict[str, str] | None = None) -> None:
        self.port = port
        self.secrets = secrets  # webhook path → signing secret
        self.signers = signers or {}  # "callback", "postback" → the app's secret that signs them
        self.received: deque[dict[str, Any]] = deque(maxlen=KEPT)
        self.server = ThreadingHTTPServer((LOOPBACK, port), self._handler())

    def start(self) -> None:
        threading.Thread(
            target=self.server.serve_forever, name="clicktrail-demo-receiver", daemon=True
        ).start()
        log.info("demo receiver listening on http://%s:%d (GET / lists what it got)", LOOPBACK, self.port)

    def summary(self, method: str, target: str, headers: Any, body: bytes) -> dict[str, Any]:
        parts = urlsplit(target)
        entry: dict[str, Any] = {"at": datetime.now(UTC).isoformat(), "method": method, "path": parts.path}
        event = headers.get("X-Clicktrail-Event")
        if event is not None:
            secret = self.secrets.get(parts.path, "")
            header = headers.get(signing.SIGNATURE_HEADER) or ""
            entry |= {
                "kind": "webhook",
                "event": event,
                "signature_valid": _verified(secret, body, header) if secret else False,
            }
        else:  # a survey callback or a partner postback: what it reports is in its query, signed with it
            query = parse_qs(parts.query)
            kind = "callback" if "hash" in query else "postback"
            url = signing.url_payload("http", headers.get("Host") or "", target).encode()
            header = headers.get(signing.SIGNATURE_HEADER) or ""
            secret = self.signers.get(kind, "")
            entry |= {
                "kind": kind,
                "type": query.get("type", [None])[0],
                "signature_valid": _verified(secret, url, header) if secret else False,
            }
        return entry

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._record(body)

            def do_GET(self) -> None:
                if urlsplit(self.path).path == "/":
                    listed = json.dumps({"received": list(receiver.received)}, indent=2).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(listed)))
                    self.end_headers()
                    self.wfile.write(listed)
                    return
                self._record(b"")

            def _record(self, body: bytes) -> None:
                entry = receiver.summary(self.command, self.path, self.headers, body)
                receiver.received.append(entry)
                details = ", ".join(f"{k}={v}" for k, v in entry.items() if k not in ("at", "method", "path"))
                log.info("demo receiver got %s %s (%s)", entry["method"], entry["path"], details)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass  # one line of ours per message instead

        return Handler


def for_document(document: dict[str, Any]) -> DemoReceiver | None:
    """A receiver (not yet listening) for the document's first loopback webhook, or None if it has none;
    it checks that app's webhooks, callbacks and postbacks. Raises OSError when that port is taken."""
    for app in document.get("apps") or []:
        hooks = [
            (urlsplit(str(h.get("url", ""))), str(h.get("secret", ""))) for h in app.get("webhooks") or []
        ]
        local = [(url, secret) for url, secret in hooks if url.hostname == LOOPBACK and url.port]
        if local:
            port = local[0][0].port or 0
            paths = {url.path: secret for url, secret in local if url.port == port}
            return DemoReceiver(port, paths, _signers(app))
    return None


def _signers(app: dict[str, Any]) -> dict[str, str]:
    """The app's secrets that sign its callbacks and postbacks, where it has them."""
    found = {}
    for kind, name, key in (
        ("callback", "surveys", "callback_secret"),
        ("postback", "partners", "postback_secret"),
    ):
        section = app.get(name)
        if isinstance(section, dict) and section.get(key):
            found[kind] = str(section[key])
    return found
