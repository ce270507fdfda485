"""The first run is quiet: `clicktrail demo` receives its own webhooks (signed, checked), so nothing retries
into a closed port, with no CLICKTRAIL_OUTBOUND_ALLOW set by the operator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import yaml

from clicktrail import demoreceiver
from clicktrail.core.journeys.signing import SIGNATURE_HEADER, signature

from ..helpers import ADMIN, ADMIN_TOKEN, free_port, wait_until

DEMO = Path(__file__).parents[2] / "examples" / "demo.yaml"


def healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_the_demo_receives_its_own_webhooks(tmp_path):
    receiver_port, port = free_port(), free_port()
    document = tmp_path / "demo.yaml"  # the demo document, its receiver moved off the shared :9000
    document.write_text(DEMO.read_text().replace("127.0.0.1:9000", f"127.0.0.1:{receiver_port}"))
    env = {k: v for k, v in os.environ.items() if k != "CLICKTRAIL_OUTBOUND_ALLOW"}
    env |= {"CLICKTRAIL_DATABASE_URL": f"sqlite:///{tmp_path}/demo.db", "CLICKTRAIL_ADMIN_TOKEN": ADMIN_TOKEN}
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen(
            [sys.executable, "-m", "clicktrail", "demo", str(document), "--port", str(port)],
            env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: healthy(base) or demo.poll() is not None, timeout=60)
        assert demo.poll() is None, log.read_text()
        assert httpx.get(f"{base}/smart-engage/scan/demo/spring-form").status_code == 302
        received = wait_until(lambda: httpx.get(f"http://127.0.0.1:{receiver_port}/").json()["received"])
        assert [(r["kind"], r["event"], r["signature_valid"]) for r in received] == [
            ("webhook", "scan.recorded", True)
        ]
        deliveries = httpx.get(f"{base}/admin/v1/apps/demo/deliveries", headers=ADMIN).json()["items"]
        assert [(d["status"], d["last_error"]) for d in deliveries] == [("delivered", None)]
    finally:
        demo.terminate()
        demo.wait(timeout=15)
    text = log.read_text()
    assert f"curl -s http://127.0.0.1:{receiver_port}/" in text
    assert "demo receiver got POST /hook (kind=webhook, event=scan.recorded, signature_valid=True)" in text
    assert " WARNING " not in text


def test_the_demo_receiver_checks_callbacks_and_postbacks_with_their_secrets():
    port = free_port()
    document = yaml.safe_load(DEMO.read_text().replace("127.0.0.1:9000", f"127.0.0.1:{port}"))
    receiver = demoreceiver.for_document(document)
    assert receiver is not None
    receiver.start()
    try:
        base = f"http://127.0.0.1:{port}"
        sent = [
            (f"{base}/callback?uid=alice&type=COMPLETE&hash=00", "demo-callback-secret"),
            (f"{base}/postback?click=c1&profile=p1", "demo-postback-secret"),
            (f"{base}/postback?click=c2", "another-secret"),  # signed with the wrong secret
        ]
        for url, secret in sent:
            httpx.get(url, headers={SIGNATURE_HEADER: signature(secret, url)})
        httpx.get(f"{base}/postback?click=c3")  # unsigned
        received = httpx.get(f"{base}/").json()["received"]
        assert [(r["kind"], r["signature_valid"]) for r in received] == [
            ("callback", True),
            ("postback", True),
            ("postback", False),
            ("postback", False),
        ]
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
