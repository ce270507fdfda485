"""One signature on everything sent: a webhook, a partner postback and a survey callback, each delivered by
the app's own outbox worker to a real HTTP receiver, carry ``X-Clicktrail-Signature`` that the verifiers
of docs/signatures.md (the Python and the Node code blocks, run as written) accept, and refuse once a byte
of what was signed changes. The callback keeps the vendor's hash beside it; no secret reaches a log or an
answer."""

from __future__ import annotations

import base64
import json
import logging
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from clicktrail.core.journeys.signing import SIGNATURE_HEADER, signature
from clicktrail.surveys.callbacks import sign

from ..helpers import ADMIN, Received, configure, wait_until
from ..partners.conftest import AUTH as IB_AUTH
from ..partners.conftest import SEED_PROFILE, seed_click
from ..partners.conftest import document as partners_document
from ..surveys.support import CALLBACK_SECRET, Wall, rows
from ..surveys.support import document as surveys_document

DOC = Path(__file__).parents[2] / "docs" / "signatures.md"
HOOK_SECRET = "whsec-signatures-0123"
POSTBACK_SECRET = "pb-signing-secret-7c1e"
WALL_TOKEN = "wall-secret-acme"  # the surveys credential of the partners test document's app


def block(language: str) -> str:
    """The page's one code block in ``language``, as a reader pastes it."""
    [code] = re.findall(rf"^```{language}\n(.*?)^```", DOC.read_text(), re.S | re.M)
    return code


def python_verifier() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(block("python"), str(DOC), "exec"), namespace)  # the documented code, as written
    return namespace


def document(receiver_url: str, *, postback_secret: str | None = POSTBACK_SECRET) -> dict:
    """One app that sends all three: a webhook on registrations, a link's postback and survey callbacks."""
    doc = partners_document()
    app = doc["apps"][0]
    link = app["partners"]["links"][0]
    link["postback_url"] = (
        f"{receiver_url}/postback?click={{click_id}}&profile={{profile_id}}&src={{utm_source}}"
    )
    if postback_secret is not None:
        app["partners"]["postback_secret"] = postback_secret
    app["webhooks"] = [
        {"url": f"{receiver_url}/hook", "secret": HOOK_SECRET, "events": ["partners.click.registered"]}
    ]
    callback = f"{receiver_url}/cb?uid=[%UID%]&val=[%VAL%]&raw=[%RAW%]&tx=[%TX%]&type=[%TYPE%]"
    app["surveys"] = surveys_document(callback_url=callback)["apps"][0]["surveys"]
    return doc


def send_one_of_each(client, receiver) -> dict[str, Received]:
    """A registration (its webhook and its postback) and a completed survey (its callback), as received."""
    created = client.post("/ib/v1/clicks", json=seed_click(), headers=IB_AUTH)
    assert created.status_code == 201, created.text
    registered = client.put(f"/ib/v1/clicks/{created.json()['clickId']}", json=SEED_PROFILE, headers=IB_AUTH)
    assert registered.status_code == 200, registered.text
    wall = Wall(client, user="alice 1/x", token=WALL_TOKEN)
    click = wall.click("srv-auto")
    wall.answer(click, "1980-01-01")
    wall.answer(click, "1")
    assert wall.answer(click, "12345")["redirect"]["type"] == "survey"
    target = f"/v2/server/clicks/{click}/complete?ts=1"
    assert client.get(f"{target}&hash={sign(target, CALLBACK_SECRET)}").status_code == 200
    received = {urlsplit(r.path).path: r for r in receiver.wait_for(3)}
    assert set(received) == {"/hook", "/postback", "/cb"}
    return received


def url_of(request: Received) -> str:
    """What a GET signs, rebuilt the way the page tells a receiver to: scheme, Host header, target."""
    return f"http://{request.headers['Host']}{request.path}"


def test_everything_sent_is_signed_and_the_documented_verifier_checks_it(
    client, receiver, database_url, caplog
):
    caplog.set_level(logging.DEBUG)
    configure(client, document(receiver.url))
    got = send_one_of_each(client, receiver)
    verify, signed_url = python_verifier()["verify"], python_verifier()["signed_url"]
    hook, postback, callback = got["/hook"], got["/postback"], got["/cb"]

    assert verify(HOOK_SECRET, hook.headers[SIGNATURE_HEADER], hook.body)
    assert not verify(HOOK_SECRET, hook.headers[SIGNATURE_HEADER], hook.body.replace(b"acme", b"acmf"))
    for request, secret in ((postback, POSTBACK_SECRET), (callback, CALLBACK_SECRET)):
        assert (request.method, request.body) == ("GET", b"")
        header = request.headers[SIGNATURE_HEADER]
        assert verify(secret, header, signed_url("http", request.headers["Host"], request.path))
        assert not verify(secret, header, url_of(request).replace("=", "=1", 1).encode())  # tampered
        assert not verify("another-secret-1", header, url_of(request).encode())
        assert not verify(HOOK_SECRET, header, url_of(request).encode())  # each kind has its own secret
    # The vendor's hash is unchanged beside ours: HMAC-SHA1 over the URL up to &hash=, as stored.
    head, _, digest = url_of(callback).rpartition("&hash=")
    assert sign(head, CALLBACK_SECRET) == digest
    [(stored,)] = rows(database_url, "SELECT url FROM outbox WHERE topic = 'surveys.callback'")
    assert stored == url_of(callback)
    assert urlsplit(postback.path).query.startswith("click=")

    answer = wait_until(lambda: _all_delivered(client))
    for secret in (HOOK_SECRET, POSTBACK_SECRET, CALLBACK_SECRET):
        assert secret not in answer and secret not in caplog.text
        assert secret not in client.get("/admin/v1/apps/acme", headers=ADMIN).text


def _all_delivered(client) -> str | None:
    answer = client.get("/admin/v1/apps/acme/deliveries", headers=ADMIN)
    items = answer.json()["items"]
    done = len(items) == 3 and all(d["status"] == "delivered" for d in items)
    return answer.text if done else None


def test_a_stale_or_future_signature_is_refused(client):
    verify = python_verifier()["verify"]
    body = b'{"id": "msg_1"}'
    now = int(time.time())
    assert verify(HOOK_SECRET, signature(HOOK_SECRET, body.decode(), now - 60), body)
    assert not verify(HOOK_SECRET, signature(HOOK_SECRET, body.decode(), now - 301), body)
    assert not verify(HOOK_SECRET, signature(HOOK_SECRET, body.decode(), now + 301), body)
    for broken in ("", "v1=00", "t=,v1=", f"t={now}", "t=²,v1=00", f"t={now},v1=zz"):
        assert not verify(HOOK_SECRET, broken, body)


def test_postbacks_without_a_secret_are_sent_unsigned(client, receiver):
    """A document from before postback secrets still applies; its postbacks go out as they did."""
    configure(client, document(receiver.url, postback_secret=None))
    got = send_one_of_each(client, receiver)
    assert SIGNATURE_HEADER not in got["/postback"].headers
    assert SIGNATURE_HEADER in got["/hook"].headers and SIGNATURE_HEADER in got["/cb"].headers


def test_the_documented_node_verifier_agrees(client, receiver, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the Node verifier of docs/signatures.md is not run")
    configure(client, document(receiver.url))
    got = send_one_of_each(client, receiver)
    hook, postback, callback = got["/hook"], got["/postback"], got["/cb"]
    stale = signature(HOOK_SECRET, hook.body.decode(), int(time.time()) - 301)
    cases = [
        (_body(HOOK_SECRET, hook.headers[SIGNATURE_HEADER], hook.body), True),
        (_body(HOOK_SECRET, hook.headers[SIGNATURE_HEADER], hook.body + b" "), False),
        (_body(HOOK_SECRET, stale, hook.body), False),
        (_body("another-secret-1", hook.headers[SIGNATURE_HEADER], hook.body), False),
        (_url(POSTBACK_SECRET, postback, postback.path), True),
        (_url(POSTBACK_SECRET, postback, postback.path.replace("click=", "click=x")), False),
        (_url(CALLBACK_SECRET, callback, callback.path), True),
        (_url(CALLBACK_SECRET, callback, callback.path.replace("val=120", "val=999")), False),
        (_url(POSTBACK_SECRET, callback, callback.path), False),
    ]
    harness = """
const cases = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const results = cases.map((c) => c.target === undefined
  ? verify(c.secret, c.header, Buffer.from(c.body, "base64"))
  : verify(c.secret, c.header, signedUrl("http", c.host, c.target)));
process.stdout.write(JSON.stringify(results));
"""
    script = tmp_path / "verify.js"
    script.write_text(block("js") + harness)
    done = subprocess.run(
        [node, str(script)],
        input=json.dumps([c for c, _ in cases]),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [expected for _, expected in cases]


def _body(secret: str, header: str, body: bytes) -> dict[str, str]:
    return {"secret": secret, "header": header, "body": base64.b64encode(body).decode()}


def _url(secret: str, request: Received, target: str) -> dict[str, str]:
    header = request.headers[SIGNATURE_HEADER]
    return {"secret": secret, "header": header, "host": request.headers["Host"], "target": target}
