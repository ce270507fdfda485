"""No configured secret appears in any admin answer: views, apply reports, deliveries, errors.

The only secrets an answer may hold are the ones the server generates and shows once (a credential
created without a secret, a rotation without one)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from ..helpers import ADMIN
from ..partners.conftest import SEED_PROFILE, seed_click

DEMO = yaml.safe_load((Path(__file__).parents[2] / "examples" / "demo.yaml").read_text())
POSTBACK_KEY = "pb-key-4f1e9c"


def full_document() -> dict:
    """The demo app (every family, webhooks, a callback and a postback secret) with a keyed postback and a
    generated credential."""
    doc = copy.deepcopy(DEMO)
    app = doc["apps"][0]
    app["credentials"].append({"name": "generated", "scopes": ["signage"]})
    link = app["partners"]["links"][0]
    link["postback_url"] = f"https://ads.example/pb?key={POSTBACK_KEY}&click={{click_id}}"
    return doc


def configured_secrets(doc: dict) -> set[str]:
    app = doc["apps"][0]
    found = {c["secret"] for c in app["credentials"] if c.get("secret")}
    found |= {hook["secret"] for hook in app["webhooks"]}
    found |= {app["surveys"]["callback_secret"], app["partners"]["postback_secret"], POSTBACK_KEY}
    return found


@pytest.fixture
def doc(client):
    doc = full_document()
    response = client.put("/admin/v1/config", json=doc, headers=ADMIN)
    assert response.status_code == 200, response.text
    report = response.json()
    [(_, generated)] = report["generated_secrets"].items()  # shown once, as documented
    assert_clean(report, doc, allowed=generated)
    return doc


def assert_clean(answer, doc, allowed=None):
    text = answer if isinstance(answer, str) else repr(answer)
    if allowed:
        text = text.replace(allowed, "")
    for secret in configured_secrets(doc):
        assert secret not in text, f"{secret!r} is in an answer: {text[:2000]}"


def queue_a_postback(client):
    ib = {"Authorization": "Bearer ib-secret"}
    created = client.post("/ib/v1/clicks", json=seed_click(), headers=ib)
    assert created.status_code == 201, created.text
    put = client.put(f"/ib/v1/clicks/{created.json()['clickId']}", json=SEED_PROFILE, headers=ib)
    assert put.status_code == 200, put.text


def test_no_admin_answer_holds_a_configured_secret(client, doc):
    queue_a_postback(client)
    assert client.post("/admin/v1/apps/demo/webhooks/test", headers=ADMIN).status_code == 202
    answers = []
    for path in [
        "/apps",
        "/apps/demo",
        "/apps/demo/credentials",
        "/apps/demo/events",
        "/apps/demo/deliveries",
    ]:
        response = client.get(f"/admin/v1{path}", headers=ADMIN)
        assert response.status_code == 200, (path, response.text)
        answers.append(response.text)
    assert "********" in answers[1]  # the callback secret, redacted, not left out
    postbacks = [d for d in client.get("/admin/v1/apps/demo/deliveries", headers=ADMIN).json()["items"]]
    assert any(d["topic"] == "partners.postback" and "key=********" in d["url"] for d in postbacks)
    reapplied = client.put("/admin/v1/config", json=doc, headers=ADMIN)
    assert reapplied.json()["generated_secrets"] == {}
    answers.append(reapplied.text)
    for answer in answers:
        assert_clean(answer, doc)


def test_refusals_hold_no_secret(client, doc):
    broken = copy.deepcopy(doc)
    broken["apps"][0]["webhooks"][0]["events"] = ["NOT AN EVENT"]
    broken["apps"][0]["surveys"]["callback_url"] = None  # the callback secret then stands alone
    broken["apps"][0]["credentials"].append({"name": "copy", "secret": "wall-secret", "scopes": ["surveys"]})
    for method, path, body in [
        ("PUT", "/admin/v1/config", broken),
        (
            "POST",
            "/admin/v1/apps/demo/credentials",
            {"name": "x", "secret": "ib-secret", "scopes": ["surveys"]},
        ),
        ("POST", "/admin/v1/apps/demo/credentials/pos/rotate", {"secret": "wall-secret"}),
    ]:
        response = client.request(method, path, json=body, headers=ADMIN)
        assert response.status_code in (400, 409), (path, response.text)
        assert_clean(response.text, doc)
