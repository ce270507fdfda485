"""``DELETE /admin/v1/apps/{app}/users/{user_id}``: guarded, scoped to an existing app, problem+json."""

from __future__ import annotations

from ..helpers import ADMIN, configure


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
