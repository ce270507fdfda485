"""Webhooks fire: every journey event a subscription matches is delivered to a real HTTP receiver, signed,
retried with backoff, then kept as a dead letter an operator can list and replay."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.journeys.outbox import OutboxMessage
from clicktrail.core.storage.db import create_db_engine
from clicktrail.core.storage.ids import utcnow

from ..helpers import ADMIN, configure, wait_until
from ..partners.conftest import AUTH as IB_AUTH
from ..partners.conftest import document as partners_document
from ..signage.support import document as signage_document
from ..signage.support import scan, set_status

SECRET = "whsec-test-0123456789"


def verify(secret: str, body: bytes, header: str, tolerance: int = 300) -> bool:
    """The receiver's side, as docs/signatures.md shows it: HMAC-SHA256 of "t.body", and a fresh t."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) <= tolerance


def with_webhooks(document: dict, url: str, *patterns: str, app: int = 0) -> dict:
    document["apps"][app]["webhooks"] = [{"url": url, "secret": SECRET, "events": list(patterns) or ["*"]}]
    return document


def test_a_click_fires_a_signed_webhook(client, receiver):
    configure(client, with_webhooks(partners_document(), f"{receiver.url}/hooks", "*"))
    created = client.post(
        "/ib/v1/clicks", json={"ip": "185.155.96.190", "uri": "https://x.example/"}, headers=IB_AUTH
    )
    assert created.status_code == 201
    [hook] = receiver.wait_for(1)
    assert (hook.method, hook.path) == ("POST", "/hooks")
    assert hook.headers["Content-Type"] == "application/json"
    assert verify(SECRET, hook.body, hook.headers["X-Clicktrail-Signature"])
    assert not verify("another-secret-123", hook.body, hook.headers["X-Clicktrail-Signature"])
    body = json.loads(hook.body)
    assert body["type"] == hook.headers["X-Clicktrail-Event"] == "click.created"
    assert body["id"] == hook.headers["X-Clicktrail-Delivery"] and body["id"].startswith("msg_")
    assert (body["app_id"], body["family"], body["journey_id"]) == (
        "acme",
        "partners",
        created.json()["clickId"],
    )
    assert body["payload"]["click_id"] == created.json()["clickId"]
    delivered = wait_until(  # the worker records the delivery just after the receiver answered
        lambda: client.get(
            "/admin/v1/apps/acme/deliveries", params={"status": "delivered"}, headers=ADMIN
        ).json()["items"]
    )
    assert [d["event"] for d in delivered] == ["click.created"]


def test_patterns_choose_the_events(client, receiver):
    configure(client, with_webhooks(signage_document(), receiver.url, "status.changed", "signage.coupon.*"))
    session = scan(client)  # scan.recorded: not subscribed
    assert set_status(client, session, "FORM_SUBMITTED").status_code == 200
    [hook] = receiver.wait_for(1)
    assert json.loads(hook.body)["type"] == "status.changed"
    time.sleep(0.3)
    assert len(receiver.received) == 1


def test_an_event_that_is_not_written_sends_nothing(client, receiver, database_url):
    """Events and their messages commit together: a refused step writes neither."""
    configure(client, with_webhooks(signage_document(), receiver.url))
    session = scan(client)
    receiver.wait_for(1)
    refused = set_status(client, session, "NO_SUCH_STATUS")
    assert refused.status_code == 400
    time.sleep(0.3)
    assert [json.loads(r.body)["type"] for r in receiver.received] == ["scan.recorded"]


@pytest.fixture
def impatient(settings: Settings) -> Iterator[TestClient]:
    """The app with two attempts per message and a fast poll."""
    quick = settings.model_copy(update={"outbox_max_attempts": 2, "outbox_poll_seconds": 0.05})
    with TestClient(create_app(quick), raise_server_exceptions=False) as client:
        yield client


def make_due(database_url: str) -> None:
    """Skip the backoff wait (seconds) of every pending message."""
    engine = create_db_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            update(OutboxMessage).where(OutboxMessage.status == "pending").values(next_attempt_at=utcnow())
        )
    engine.dispose()


def deliveries(client, **params) -> list[dict]:
    response = client.get("/admin/v1/apps/demo/deliveries", params=params, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_failures_back_off_then_dead_letter_then_replay(impatient, receiver, database_url, caplog):
    client = impatient
    receiver.status = 503
    configure(client, with_webhooks(signage_document(), receiver.url))
    scan(client)
    receiver.wait_for(1)
    [pending] = wait_until(lambda: [d for d in deliveries(client) if d["attempts"] == 1])
    assert pending["status"] == "pending" and pending["last_error"] == "HTTP 503"
    assert pending["next_attempt_at"] is not None
    make_due(database_url)
    receiver.wait_for(2)
    [dead] = wait_until(lambda: deliveries(client, status="dead"))
    assert (dead["attempts"], dead["last_error"], dead["event"]) == (2, "HTTP 503", "scan.recorded")
    assert "now a dead letter" in caplog.text and SECRET not in caplog.text

    receiver.status = 200
    busy = client.post(f"/admin/v1/apps/demo/deliveries/{dead['id']}/replay", headers=ADMIN)
    assert busy.status_code == 200 and busy.json() == {"replayed": 1}
    third = receiver.wait_for(3)[2]
    assert verify(SECRET, third.body, third.headers["X-Clicktrail-Signature"])
    assert third.headers["X-Clicktrail-Delivery"] == json.loads(third.body)["id"]
    wait_until(lambda: deliveries(client, status="delivered"))
    again = client.post(f"/admin/v1/apps/demo/deliveries/{dead['id']}/replay", headers=ADMIN)
    assert again.status_code == 409


def test_replay_every_dead_letter_of_one_app_only(impatient, receiver, database_url):
    client = impatient
    receiver.status = 500
    document = with_webhooks(signage_document(), receiver.url)
    document["apps"][1]["webhooks"] = [{"url": receiver.url, "secret": SECRET}]
    configure(client, document)
    scan(client)
    scan(client, app_id="other", campaign_id="other-form")
    receiver.wait_for(2)
    make_due(database_url)
    wait_until(lambda: len(deliveries(client, status="dead")) == 1)
    other = wait_until(lambda: other_app_deliveries(client, status="dead"))
    # one app never sees nor replays another's deliveries
    assert {d["id"] for d in other}.isdisjoint({d["id"] for d in deliveries(client)})
    assert (
        client.post(f"/admin/v1/apps/demo/deliveries/{other[0]['id']}/replay", headers=ADMIN).status_code
        == 404
    )
    receiver.status = 200
    replayed = client.post("/admin/v1/apps/demo/deliveries/replay", headers=ADMIN)
    assert replayed.json() == {"replayed": 1}
    wait_until(lambda: deliveries(client, status="delivered"))
    assert other_app_deliveries(client, status="dead")  # untouched


def other_app_deliveries(client, **params) -> list[dict]:
    return client.get("/admin/v1/apps/other/deliveries", params=params, headers=ADMIN).json()["items"]


def test_a_test_event_reaches_every_webhook(client, receiver):
    document = signage_document()
    document["apps"][0]["webhooks"] = [
        {"url": f"{receiver.url}/a", "secret": SECRET, "events": ["coupon.issued"]},
        {"url": f"{receiver.url}/b", "secret": SECRET, "events": ["status.changed"]},
    ]
    configure(client, document)
    sent = client.post("/admin/v1/apps/demo/webhooks/test", headers=ADMIN)
    assert sent.status_code == 202 and len(sent.json()["deliveries"]) == 2
    hooks = receiver.wait_for(2)
    assert sorted(h.path for h in hooks) == ["/a", "/b"]
    assert {json.loads(h.body)["type"] for h in hooks} == {"webhook.test"}
    one = client.post("/admin/v1/apps/demo/webhooks/test", json={"url": f"{receiver.url}/b"}, headers=ADMIN)
    assert len(one.json()["deliveries"]) == 1
    missing = client.post(
        "/admin/v1/apps/demo/webhooks/test", json={"url": "https://nowhere.example/"}, headers=ADMIN
    )
    assert missing.status_code == 404


def test_a_removed_subscription_cancels_its_pending_messages(impatient, receiver, database_url):
    """A removed webhook's messages are not retried (the first run's hundreds of warnings): they end
    cancelled, in the transaction that removes it."""
    client = impatient
    receiver.status = 500
    configure(client, with_webhooks(signage_document(), receiver.url))
    scan(client)
    receiver.wait_for(1)
    wait_until(lambda: [d for d in deliveries(client) if d["attempts"] == 1])
    applied = client.put("/admin/v1/config", json=signage_document(), headers=ADMIN)  # the webhook is gone
    assert "1 pending messages cancelled" in applied.text
    [cancelled] = deliveries(client, status="cancelled")
    assert cancelled["last_error"] == "the webhook was removed" and cancelled["next_attempt_at"] is None
    assert deliveries(client, status="pending") == deliveries(client, status="dead") == []
    make_due(database_url)
    time.sleep(0.5)  # ten polls of the worker
    assert len(receiver.received) == 1


def test_bad_event_patterns_are_refused(client):
    document = with_webhooks(signage_document(), "https://hooks.example/", "Status Changed")
    refused = client.put("/admin/v1/config", json=document, headers=ADMIN)
    assert refused.status_code == 400 and "events" in refused.text
