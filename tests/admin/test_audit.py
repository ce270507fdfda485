"""The audit log: every admin write route (walked from /openapi.json, so a new one without its audit row
fails here) writes exactly one row, in the change's own transaction (a refused change writes none), naming
who, what and which app and never a secret; ``GET /admin/v1/audit`` pages it newest first, an admin
limited to apps sees theirs only; the dashboard's Audit page shows the same rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings

from ..helpers import ADMIN, ADMIN_TOKEN, configure, wait_until
from ..signage.support import document as signage_document
from .test_roles import PASSWORD, add_user, bearer, session_of

Call = Callable[[TestClient, dict[str, Any]], Any]


@pytest.fixture
def quick_client(settings: Settings) -> Iterator[TestClient]:
    """One attempt per message and a fast poll: a failing webhook's message is dead at once."""
    quick = settings.model_copy(update={"outbox_max_attempts": 1, "outbox_poll_seconds": 0.05})
    with TestClient(create_app(quick), raise_server_exceptions=False) as client:
        yield client


def entries(client: TestClient, headers: dict[str, str] = ADMIN, **params: Any) -> list[dict[str, Any]]:
    answer = client.get("/admin/v1/audit", params={"limit": 500, **params}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def dead_delivery(client: TestClient, ctx: dict[str, Any]) -> int:
    sent = client.post("/admin/v1/apps/demo/webhooks/test", headers=ADMIN).json()["deliveries"][0]
    page = "/admin/v1/apps/demo/deliveries?status=dead"
    wait_until(lambda: any(d["id"] == sent for d in client.get(page, headers=ADMIN).json()["items"]), 15)
    return int(sent)


def _user_id(client: TestClient, ctx: dict[str, Any]) -> int:
    if "user" not in ctx:
        ctx["user"] = add_user(client, "ana@example.com", "viewer")["id"]
    return int(ctx["user"])


# (method, path template) → (the call, the action its row names, the app its row names)
WRITES: dict[tuple[str, str], tuple[Call, str, str | None]] = {
    ("PUT", "/admin/v1/config"): (
        lambda c, x: c.put("/admin/v1/config", json=x["renamed"], headers=ADMIN),
        "config.apply",
        "demo",
    ),
    ("POST", "/admin/v1/apps/{app_id}/credentials"): (
        lambda c, x: c.post(
            "/admin/v1/apps/demo/credentials", json={"name": "kiosk", "scopes": ["metrics"]}, headers=ADMIN
        ),
        "credential.create",
        "demo",
    ),
    ("POST", "/admin/v1/apps/{app_id}/credentials/{name}/rotate"): (
        lambda c, x: c.post("/admin/v1/apps/demo/credentials/wall/rotate", headers=ADMIN),
        "credential.rotate",
        "demo",
    ),
    ("DELETE", "/admin/v1/apps/{app_id}/credentials/{name}"): (
        lambda c, x: c.delete("/admin/v1/apps/demo/credentials/wall", headers=ADMIN),
        "credential.revoke",
        "demo",
    ),
    ("POST", "/admin/v1/apps/{app_id}/webhooks/test"): (
        lambda c, x: c.post("/admin/v1/apps/demo/webhooks/test", headers=ADMIN),
        "webhook.test",
        "demo",
    ),
    ("POST", "/admin/v1/apps/{app_id}/deliveries/{delivery_id}/replay"): (
        lambda c, x: c.post(f"/admin/v1/apps/demo/deliveries/{x['dead']}/replay", headers=ADMIN),
        "delivery.replay",
        "demo",
    ),
    ("POST", "/admin/v1/apps/{app_id}/deliveries/replay"): (
        lambda c, x: c.post("/admin/v1/apps/demo/deliveries/replay", headers=ADMIN),
        "delivery.replay",
        "demo",
    ),
    ("DELETE", "/admin/v1/apps/{app_id}/users/{user_id}"): (
        lambda c, x: c.delete("/admin/v1/apps/demo/users/shopper-1", headers=ADMIN),
        "user.erase",
        "demo",
    ),
    ("POST", "/admin/v1/users"): (
        lambda c, x: c.post(
            "/admin/v1/users",
            json={"email": "bo@example.com", "password": PASSWORD, "role": "admin", "apps": ["demo"]},
            headers=ADMIN,
        ),
        "user.add",
        None,
    ),
    ("PATCH", "/admin/v1/users/{user_id}"): (
        lambda c, x: c.patch(f"/admin/v1/users/{_user_id(c, x)}", json={"role": "admin"}, headers=ADMIN),
        "user.update",
        None,
    ),
    ("DELETE", "/admin/v1/users/{user_id}"): (
        lambda c, x: c.delete(f"/admin/v1/users/{_user_id(c, x)}", headers=ADMIN),
        "user.remove",
        None,
    ),
}


def admin_writes(client: TestClient) -> set[tuple[str, str]]:
    paths = client.get("/openapi.json").json()["paths"]
    return {
        (method.upper(), path.replace("{user_id:path}", "{user_id}"))
        for path, operations in paths.items()
        if path.startswith("/admin/")
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }


def test_every_admin_write_route_writes_one_audit_row(quick_client, receiver):
    client = quick_client
    receiver.status = 500
    document = signage_document()
    document["apps"] = document["apps"][:1]
    document["apps"][0]["webhooks"] = [{"url": receiver.url, "secret": "audit-hook-secret"}]
    configure(client, document)
    renamed = {"apps": [{**document["apps"][0], "name": "Demo renamed"}]}
    ctx: dict[str, Any] = {"renamed": renamed}
    assert admin_writes(client) == set(WRITES), "an admin write route without its audit check"
    for (method, path), (call, action, app_id) in WRITES.items():
        if path.endswith("{delivery_id}/replay"):
            ctx["dead"] = dead_delivery(client, ctx)
        if "{user_id}" in path and path.startswith("/admin/v1/users"):
            _user_id(client, ctx)
        before = entries(client)
        answer = call(client, ctx)
        assert answer.status_code < 300, (method, path, answer.text)
        after = entries(client)
        new = after[: len(after) - len(before)]
        assert len(new) == 1, (method, path, new)
        assert new[0]["action"] == action and new[0]["app_id"] == app_id, (method, path, new[0])
        assert new[0]["actor"] == "admin token" and new[0]["actor_kind"] == "token"
        secret = answer.json().get("secret") if answer.content else None
        everything = client.get("/admin/v1/audit", params={"limit": 500}, headers=ADMIN).text
        assert PASSWORD not in everything and "audit-hook-secret" not in everything
        assert not secret or secret not in everything
        assert "shopper-1" not in everything  # an erased person stays erased: the log keeps a digest


def test_a_refused_change_writes_no_row_and_a_user_is_named(client):
    configure(client, signage_document())
    before = entries(client)
    taken = client.post(
        "/admin/v1/apps/demo/credentials", json={"name": "wall", "scopes": ["surveys"]}, headers=ADMIN
    )
    assert taken.status_code == 409
    assert entries(client) == before
    add_user(client, "al@example.com", "admin", apps=["demo"])
    limited = bearer(session_of(client, "al@example.com"))
    created = client.post(
        "/admin/v1/apps/demo/credentials", json={"name": "kiosk", "scopes": ["surveys"]}, headers=limited
    )
    assert created.status_code == 201
    newest = entries(client)[0]
    assert (newest["actor"], newest["actor_kind"], newest["action"], newest["target"]) == (
        "al@example.com", "user", "credential.create", "kiosk",
    )  # fmt: skip


def test_audit_pages_newest_first_and_admins_see_only_their_apps(client):
    configure(client, signage_document())  # demo and other: one config.apply row each
    for name in ("a", "b", "c"):
        for app_id in ("demo", "other"):
            body = {"name": name, "scopes": ["surveys"]}
            assert (
                client.post(f"/admin/v1/apps/{app_id}/credentials", json=body, headers=ADMIN).status_code
                == 201
            )
    add_user(client, "al@example.com", "admin", apps=["demo"])
    everything = entries(client)
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids, reverse=True) and len(ids) == 2 + 6 + 1
    first = client.get("/admin/v1/audit", params={"limit": 4}, headers=ADMIN).json()
    second = client.get("/admin/v1/audit", params={"limit": 4, "before": first["next_before"]}, headers=ADMIN)
    assert [e["id"] for e in first["items"] + second.json()["items"]] == ids[:8]
    limited = bearer(session_of(client, "al@example.com"))
    theirs = entries(client, limited)
    assert theirs == [e for e in everything if e["app_id"] == "demo"] and len(theirs) == 4
    page = client.get("/dashboard/audit")  # the same user's dashboard page shows the same rows
    assert page.status_code == 200 and page.text.count("<tr data-action=") == len(theirs)
    client.cookies.clear()
    client.post("/dashboard/login", data={"token": ADMIN_TOKEN}, follow_redirects=False)
    owner_page = client.get("/dashboard/audit")
    assert owner_page.text.count("<tr data-action=") == len(everything)
    assert "user.add" in owner_page.text and "al@example.com" in owner_page.text
