"""Users and roles over HTTP (the real app, both engines): signing in with an email and password, what each
role may read and change (the server refuses: 403 problem+json on the admin API, a 403 page on the
dashboard), apps a user is limited to, the ``metrics`` credential scope, and sessions that end when their
user is removed or changed."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from clicktrail.core.tenancy.signin import COOKIE

from ..dashboard.test_dashboard import csrf_of
from ..helpers import ADMIN, configure
from ..signage.support import KEY
from ..signage.support import document as signage_document

PASSWORD = "correct horse battery"
METRICS_SECRET = "metrics-secret-0001"
PROBLEM = "application/problem+json"


def setup(client) -> None:
    document = signage_document()
    document["apps"][0]["credentials"].append(
        {"name": "reader", "secret": METRICS_SECRET, "scopes": ["metrics"]}
    )
    configure(client, document)


def add_user(client, email: str, role: str, apps: list[str] | None = None) -> dict[str, Any]:
    body = {"email": email, "password": PASSWORD, "role": role, "apps": apps}
    answer = client.post("/admin/v1/users", json=body, headers=ADMIN)
    assert answer.status_code == 201, answer.text
    return answer.json()


def sign_in(client, email: str, password: str = PASSWORD, next: str = "/dashboard"):
    data = {"email": email, "password": password, "next": next}
    return client.post("/dashboard/login", data=data, follow_redirects=False)


def session_of(client, email: str) -> str:
    """Sign in as the user; the cookie's value (also what the dashboard presents to the admin API)."""
    answer = sign_in(client, email)
    assert answer.status_code == 303, answer.text
    return answer.cookies[COOKIE]


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def refused(answer, status: int = 403) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["status"] == status


def test_signing_in_with_email_and_password_over_http(client):
    setup(client)
    add_user(client, "Ana@Example.com", "viewer")
    answer = sign_in(client, "ana@example.com", next="/dashboard/apps/demo/deliveries")
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard/apps/demo/deliveries"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/dashboard" in cookie
    assert PASSWORD not in answer.headers["set-cookie"]
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert re.search(r'id="who">ana@example.com · viewer<', page.text)
    assert ">Users<" not in page.text and ">Audit<" not in page.text  # a viewer is offered neither


@pytest.mark.parametrize(
    "email, password", [("ana@example.com", "wrong password!"), ("nobody@example.com", PASSWORD)]
)
def test_a_wrong_password_or_an_unknown_email_signs_nobody_in(client, email, password):
    add_user(client, "ana@example.com", "owner")
    answer = sign_in(client, email, password)
    assert answer.status_code == 401 and "Wrong email or password." in answer.text
    assert "set-cookie" not in answer.headers
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_the_admin_token_still_signs_in_as_an_owner(client):
    setup(client)
    answer = client.post(
        "/dashboard/login", data={"token": ADMIN["Authorization"][7:]}, follow_redirects=False
    )
    assert answer.status_code == 303
    page = client.get("/dashboard/users")
    assert page.status_code == 200 and 'id="who">admin token · owner<' in page.text


def test_a_viewer_reads_but_changes_nothing_on_the_api(client):
    setup(client)
    add_user(client, "vic@example.com", "viewer")
    viewer = bearer(session_of(client, "vic@example.com"))
    assert client.get("/admin/v1/apps", headers=viewer).status_code == 200
    assert client.get("/admin/v1/apps/other", headers=viewer).status_code == 200
    metrics = client.get("/admin/v1/apps/demo/metrics", params={"family": "signage"}, headers=viewer)
    assert metrics.status_code == 200
    credential = {"name": "new", "scopes": ["surveys"]}
    refused(client.post("/admin/v1/apps/demo/credentials", json=credential, headers=viewer))
    refused(client.delete("/admin/v1/apps/demo/credentials/wall", headers=viewer))
    refused(client.put("/admin/v1/config", json=signage_document(), headers=viewer))
    refused(client.delete("/admin/v1/apps/demo/users/someone", headers=viewer))
    refused(client.post("/admin/v1/apps/demo/deliveries/replay", headers=viewer))
    refused(client.get("/admin/v1/users", headers=viewer))
    refused(client.get("/admin/v1/audit", headers=viewer))
    names = [c["name"] for c in client.get("/admin/v1/apps/demo/credentials", headers=ADMIN).json()]
    assert "new" not in names and "wall" in names


def test_a_viewer_changes_nothing_on_the_dashboard(client):
    setup(client)
    add_user(client, "vic@example.com", "viewer")
    session_of(client, "vic@example.com")
    page = client.get("/dashboard/apps/demo/deliveries")
    assert page.status_code == 200
    replay = client.post(
        "/dashboard/apps/demo/deliveries/1/replay", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert replay.status_code == 403 and "read only" in replay.text
    add = client.post(
        "/dashboard/users",
        data={"csrf": csrf_of(page.text), "email": "eve@example.com", "password": PASSWORD, "role": "owner"},
    )
    assert add.status_code == 403
    assert client.get("/dashboard/users").status_code == 403
    assert client.get("/dashboard/audit").status_code == 403
    assert [u["email"] for u in client.get("/admin/v1/users", headers=ADMIN).json()] == ["vic@example.com"]


def test_a_user_limited_to_apps_sees_and_changes_only_those(client):
    setup(client)
    add_user(client, "al@example.com", "admin", apps=["demo"])
    limited = bearer(session_of(client, "al@example.com"))
    assert [a["id"] for a in client.get("/admin/v1/apps", headers=limited).json()] == ["demo"]
    refused(client.get("/admin/v1/apps/other", headers=limited))
    refused(client.get("/admin/v1/apps/other/metrics", params={"family": "signage"}, headers=limited))
    refused(client.get("/admin/v1/apps/nonexistent", headers=limited))  # the same answer: nothing leaks
    refused(
        client.post(
            "/admin/v1/apps/other/credentials", json={"name": "x", "scopes": ["surveys"]}, headers=limited
        )
    )
    refused(client.put("/admin/v1/config", json=signage_document(), headers=limited))  # names app other
    mine = {"apps": [signage_document()["apps"][0]]}
    mine["apps"][0]["name"] = "Demo renamed"
    assert client.put("/admin/v1/config", json=mine, headers=limited).status_code == 200
    created = client.post(
        "/admin/v1/apps/demo/credentials", json={"name": "x", "scopes": ["surveys"]}, headers=limited
    )
    assert created.status_code == 201
    refused(client.get("/admin/v1/users", headers=limited))  # an admin manages no users
    home = client.get("/dashboard")
    assert home.status_code == 200 and "/dashboard/apps/demo/" in home.text
    assert "/dashboard/apps/other/" not in home.text
    assert client.get("/dashboard/apps/other/deliveries").status_code == 403
    assert client.get("/dashboard/apps/other/families/signage").status_code == 403
    assert client.get("/dashboard/apps/other/live/stream").status_code == 403


def test_a_metrics_credential_reads_its_own_apps_analytics_only(client):
    setup(client)
    reader = bearer(METRICS_SECRET)
    own = "/admin/v1/apps/demo"
    assert client.get(f"{own}/metrics", params={"family": "signage"}, headers=reader).status_code == 200
    funnel = {"family": "signage", "steps": "scan.recorded,coupon.issued"}
    assert client.get(f"{own}/funnels", params=funnel, headers=reader).status_code == 200
    assert client.get(f"{own}/events", headers=reader).status_code == 200
    assert client.get(f"{own}/export/signage.csv", headers=reader).status_code == 200
    refused(client.get("/admin/v1/apps/other/metrics", params={"family": "signage"}, headers=reader))
    refused(client.get("/admin/v1/apps/other/events", headers=reader))
    for method, path in (
        ("GET", "/admin/v1/apps"),
        ("GET", own),
        ("GET", f"{own}/credentials"),
        ("GET", f"{own}/deliveries"),
        ("POST", f"{own}/deliveries/replay"),
        ("DELETE", f"{own}/credentials/wall"),
        ("PUT", "/admin/v1/config"),
        ("GET", "/admin/v1/audit"),
    ):
        refused(client.request(method, path, headers=reader))
    # It grants nothing on the family wire APIs either (each answers in its own envelope).
    wire = client.post(
        "/smart-engage/post/create-session",
        json={"campaign_id": "spring-form"},
        headers={"API-KEY": METRICS_SECRET},
    )
    assert wire.status_code == 401
    assert (
        client.post(
            "/smart-engage/post/create-session", json={"campaign_id": "spring-form"}, headers={"API-KEY": KEY}
        ).status_code
        == 200
    )


def test_a_removed_users_session_ends(client):
    setup(client)
    user = add_user(client, "ana@example.com", "owner")
    cookie = session_of(client, "ana@example.com")
    assert client.get("/dashboard", follow_redirects=False).status_code == 200
    assert client.delete(f"/admin/v1/users/{user['id']}", headers=ADMIN).status_code == 204
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    refused(client.get("/admin/v1/apps", headers=bearer(cookie)), 401)


@pytest.mark.parametrize("change", [{"role": "viewer"}, {"apps": ["demo"]}, {"password": "another password"}])
def test_a_role_apps_or_password_change_ends_the_users_sessions(client, change):
    setup(client)
    user = add_user(client, "ana@example.com", "admin")
    cookie = session_of(client, "ana@example.com")
    assert client.get("/admin/v1/apps", headers=bearer(cookie)).status_code == 200
    answer = client.patch(f"/admin/v1/users/{user['id']}", json=change, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    refused(client.get("/admin/v1/apps", headers=bearer(cookie)), 401)
    if "password" not in change:
        assert (
            client.get("/admin/v1/apps", headers=bearer(session_of(client, "ana@example.com"))).status_code
            == 200
        )


def test_users_api_never_shows_a_password_and_refuses_bad_input(client):
    setup(client)
    user = add_user(client, "Ana@Example.COM", "viewer", apps=["demo"])
    assert user["email"] == "ana@example.com" and user["apps"] == ["demo"]
    listed = client.get("/admin/v1/users", headers=ADMIN)
    assert PASSWORD not in listed.text and "argon2" not in listed.text and "hash" not in listed.text
    assert client.get(f"/admin/v1/users/{user['id']}", headers=ADMIN).json() == user
    for body, status in (
        ({"email": "ana@example.com", "password": PASSWORD, "role": "viewer"}, 409),
        ({"email": "not-an-email", "password": PASSWORD, "role": "viewer"}, 400),
        ({"email": "b@example.com", "password": "short", "role": "viewer"}, 400),
        ({"email": "b@example.com", "password": PASSWORD, "role": "boss"}, 400),
        ({"email": "b@example.com", "password": PASSWORD, "role": "owner", "apps": ["demo"]}, 400),
        ({"email": "b@example.com", "password": PASSWORD, "role": "viewer", "apps": ["nope"]}, 400),
    ):
        refused(client.post("/admin/v1/users", json=body, headers=ADMIN), status)
    refused(client.get("/admin/v1/users/999", headers=ADMIN), 404)
    refused(client.patch("/admin/v1/users/999", json={"role": "admin"}, headers=ADMIN), 404)
    refused(client.delete("/admin/v1/users/999", headers=ADMIN), 404)


def test_guessing_a_password_is_slowed_down_like_any_failed_authentication(client):
    """Each wrong password is a 401, which counts against the address (20 a minute, refilled as the minute
    goes: argon2's own cost makes a guess take a while too)."""
    add_user(client, "ana@example.com", "owner")
    statuses = []
    while 429 not in statuses and len(statuses) < 60:
        statuses.append(sign_in(client, "ana@example.com", f"guess-{len(statuses):04d}").status_code)
    assert statuses[-1] == 429 and set(statuses[:-1]) == {401} and len(statuses) > 20
    assert sign_in(client, "ana@example.com").status_code == 429  # the right one waits too, from there


def test_the_cli_apply_is_audited_as_the_command_line(database_url, tmp_path, client):
    from typer.testing import CliRunner

    from clicktrail.cli import cli

    document = tmp_path / "apps.json"
    document.write_text(json.dumps(signage_document()))
    result = CliRunner().invoke(cli, ["apply", str(document)], env={"CLICKTRAIL_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    rows = client.get("/admin/v1/audit", headers=ADMIN).json()["items"]
    assert sorted((r["actor"], r["action"], r["app_id"]) for r in rows) == [
        ("command line", "config.apply", "demo"),
        ("command line", "config.apply", "other"),
    ]


def test_an_owner_adds_changes_and_removes_users_on_the_dashboard(client):
    setup(client)
    add_user(client, "owner@example.com", "owner")
    session_of(client, "owner@example.com")
    page = client.get("/dashboard/users")
    assert page.status_code == 200 and "owner@example.com" in page.text
    csrf = csrf_of(page.text)
    form = {
        "csrf": csrf,
        "email": "Vic@Example.com",
        "password": PASSWORD,
        "role": "viewer",
        "apps": ["demo"],
    }
    assert client.post("/dashboard/users", data=form, follow_redirects=False).status_code == 303
    short = client.post("/dashboard/users", data={**form, "email": "x@example.com", "password": "short"})
    assert short.status_code == 400 and "password" in short.text  # the API's refusal, on the page
    vic = next(
        u for u in client.get("/admin/v1/users", headers=ADMIN).json() if u["email"] == "vic@example.com"
    )
    assert (vic["role"], vic["apps"]) == ("viewer", ["demo"])
    changed = client.post(f"/dashboard/users/{vic['id']}/role", data={"csrf": csrf, "role": "admin"})
    assert changed.status_code == 200  # followed to the users page
    assert client.get(f"/admin/v1/users/{vic['id']}", headers=ADMIN).json()["role"] == "admin"
    forged = client.post(f"/dashboard/users/{vic['id']}/remove", data={"csrf": "forged"})
    assert forged.status_code == 403
    removed = client.post(f"/dashboard/users/{vic['id']}/remove", data={"csrf": csrf}, follow_redirects=False)
    assert removed.status_code == 303
    assert [u["email"] for u in client.get("/admin/v1/users", headers=ADMIN).json()] == ["owner@example.com"]
    newest = client.get("/admin/v1/audit", headers=ADMIN).json()["items"][:3]
    assert [(e["action"], e["actor"]) for e in newest] == [
        ("user.remove", "owner@example.com"),
        ("user.update", "owner@example.com"),
        ("user.add", "owner@example.com"),
    ]
