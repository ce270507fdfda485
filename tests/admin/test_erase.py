"""``DELETE /admin/v1/apps/{app}/users/{user_id}``: guarded, scoped to an existing app, problem+json."""

from __future__ import annotations

import json
import time

import pytest

from clicktrail.admin.erase import _mentions

from ..core.test_webhooks import with_webhooks
from ..helpers import ADMIN, configure, wait_until
from ..retention_support import sql
from ..surveys.support import Wall
from ..surveys.support import document as surveys_document


def test_needs_the_admin_token_and_an_existing_app(client):
    configure(client, {"apps": [{"id": "acme", "name": "Acme"}]})
    assert client.delete("/admin/v1/apps/acme/users/alice").status_code == 401
    missing = client.delete("/admin/v1/apps/nope/users/alice", headers=ADMIN)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_a_user_id_may_hold_a_slash_and_every_erasing_family_answers(client):
    configure(client, {"apps": [{"id": "acme", "name": "Acme"}]})
    response = client.delete("/admin/v1/apps/acme/users/team/alice", headers=ADMIN)
    assert response.status_code == 200
    body = response.json()
    assert body["user_id"] == "team/alice" and body["erased"] is False
    assert set(body["removed"]) == {"surveys", "partners", "loyalty", "core"}  # signage stores no user id


def _carries(text: str | bytes | None, person: str) -> bool:
    if text is None:
        return False
    return person in (text.decode() if isinstance(text, bytes) else text)


def test_erased_data_is_never_sent_again_not_even_by_a_replay(client, database_url, receiver):
    """Erase takes every message naming the person, delivered and dead too; replaying every dead letter
    afterwards sends the other users' messages and nothing of the erased person."""
    doc = surveys_document()
    doc["apps"][0]["surveys"]["callback_url"] = f"{receiver.url}/cb?uid=[%UID%]&val=[%VAL%]&tx=[%TX%]"
    configure(client, with_webhooks(doc, f"{receiver.url}/hooks", "*"))
    for user in ("alice-erased", "bob-kept-1"):
        wall = Wall(client, user=user)
        click = wall.click("start-bonus")
        for answer in ("1990-01-01", "10001", "2"):
            wall.answer(click, answer)
    wait_until(lambda: not sql(database_url, "SELECT id FROM outbox WHERE status = 'pending'"))
    messages = sql(database_url, "SELECT id, url, body FROM outbox ORDER BY id")
    alices = [
        i for i, url, body in messages if _carries(url, "alice-erased") or _carries(body, "alice-erased")
    ]
    assert len(alices) >= 2 and len(alices) < len(messages)
    # Half of each user's messages were given up on: dead letters an operator could replay.
    sql(database_url, "UPDATE outbox SET status = 'dead' WHERE MOD(id, 2) = 0")
    dead = {i for (i,) in sql(database_url, "SELECT id FROM outbox WHERE status = 'dead'")}

    receipt = client.delete("/admin/v1/apps/acme/users/alice-erased", headers=ADMIN).json()
    assert receipt["removed"]["core"] == {
        "outbox_pending": 0,
        "outbox_delivered": len(set(alices) - dead),
        "outbox_dead": len(set(alices) & dead),
    }
    left = sql(database_url, "SELECT url, body FROM outbox")
    assert not any(_carries(url, "alice-erased") or _carries(body, "alice-erased") for url, body in left)

    receiver.received.clear()
    replayed = client.post("/admin/v1/apps/acme/deliveries/replay", headers=ADMIN)
    assert replayed.json() == {"replayed": len(dead - set(alices))} and replayed.json()["replayed"] > 0
    sent = receiver.wait_for(len(dead - set(alices)))
    time.sleep(0.3)  # anything more would come now
    assert len(receiver.received) == len(sent)
    assert all(_carries(r.path, "bob-kept-1") or _carries(r.body, "bob-kept-1") for r in receiver.received)
    assert not any(
        _carries(r.path, "alice-erased") or _carries(r.body, "alice-erased") for r in receiver.received
    )


@pytest.mark.parametrize(
    ("url", "payload", "named"),
    [
        ("https://r.example/hook", {"click_id": "c1"}, True),  # an id field: any length
        ("https://r.example/hook", {"deep": [{"accountId": "a1"}]}, True),  # at any depth
        ("https://r.example/hook", {"note": "alice-erased"}, True),  # another field: a long id
        ("https://r.example/hook", {"answers": ["a1"]}, False),  # a short id is no answer code
        ("https://r.example/hook", {"country": "c1"}, False),
        ("https://r.example/cb?uid=alice-erased", {}, True),
        ("https://r.example/cb?uid=c1", {}, False),  # a short id in a URL: another value, maybe
        ("https://r.example/hook", {"click_id": "alice-erased-not"}, False),  # never a substring
    ],
)
def test_a_message_names_the_person_exactly(url, payload, named):
    body = json.dumps({"id": "msg_1", "app_id": "acme", "user_id": "u-other", "payload": payload})
    assert _mentions(url, body, {"c1", "a1", "alice-erased"}) is named
