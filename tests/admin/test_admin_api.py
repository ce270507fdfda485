"""The admin API: token guard, apps, credentials, config, events, problem+json."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clicktrail.core.journeys.events import record_event

from ..helpers import ADMIN, configure

DOC = {
    "apps": [
        {
            "id": "acme",
            "name": "Acme",
            "credentials": [{"name": "wall", "secret": "wall-secret-1", "scopes": ["surveys"]}],
        }
    ]
}


def assert_problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


class TestGuard:
    @pytest.mark.parametrize(
        "headers",
        [
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": "test-admin-token"},
            {"Authorization": "Basic dGVzdC1hZG1pbi10b2tlbg=="},
        ],
    )
    def test_missing_or_wrong_token(self, client, headers):
        assert_problem(client.get("/admin/v1/apps", headers=headers), 401)
        assert_problem(client.put("/admin/v1/config", json=DOC, headers=headers), 401)

    def test_credential_secret_is_not_an_admin_token(self, client):
        configure(client, DOC)
        assert_problem(client.get("/admin/v1/apps", headers={"Authorization": "Bearer wall-secret-1"}), 401)


class TestApps:
    def test_list_and_get(self, client):
        configure(client, DOC)
        assert [a["id"] for a in client.get("/admin/v1/apps", headers=ADMIN).json()] == ["acme"]
        app = client.get("/admin/v1/apps/acme", headers=ADMIN).json()
        assert app["credentials"][0]["name"] == "wall"
        assert "secret" not in app["credentials"][0] and "secret_hash" not in app["credentials"][0]

    def test_unknown_app(self, client):
        body = assert_problem(client.get("/admin/v1/apps/nope", headers=ADMIN), 404)
        assert body["detail"] == "app 'nope' not found"

    def test_put_config_reports_changes_then_nothing(self, client):
        assert configure(client, DOC)["changed"] is True
        assert configure(client, DOC) == {"changed": False, "changes": [], "generated_secrets": {}}

    def test_put_config_yaml(self, client):
        body = "apps:\n  - id: yml\n    name: From YAML\n"
        response = client.put(
            "/admin/v1/config", content=body, headers={**ADMIN, "Content-Type": "application/yaml"}
        )
        assert response.status_code == 200 and response.json()["changes"] == ["yml: app created"]

    def test_bad_config_lists_paths(self, client):
        bad = {"apps": [{"id": "acme", "name": "A", "credentials": [{"name": "x", "scopes": ["nope"]}]}]}
        body = assert_problem(client.put("/admin/v1/config", json=bad, headers=ADMIN), 400)
        assert body["errors"][0]["path"] == "apps[0].credentials[0].scopes[0]"
        assert client.get("/admin/v1/apps", headers=ADMIN).json() == []

    def test_malformed_json(self, client):
        response = client.put(
            "/admin/v1/config", content="{", headers={**ADMIN, "Content-Type": "application/json"}
        )
        assert "invalid JSON" in assert_problem(response, 400)["detail"]


class TestCredentials:
    def test_create_rotate_revoke(self, client):
        configure(client, DOC)
        created = client.post(
            "/admin/v1/apps/acme/credentials", headers=ADMIN, json={"name": "ib", "scopes": ["partners"]}
        )
        assert created.status_code == 201 and created.json()["secret"].startswith("ct_")
        chosen = client.post(
            "/admin/v1/apps/acme/credentials",
            headers=ADMIN,
            json={"name": "ib2", "scopes": ["partners"], "secret": "my-own-secret"},
        )
        assert chosen.json()["secret"] is None
        assert_problem(
            client.post(
                "/admin/v1/apps/acme/credentials", headers=ADMIN, json={"name": "ib", "scopes": ["partners"]}
            ),
            409,
        )
        assert_problem(
            client.post(
                "/admin/v1/apps/acme/credentials",
                headers=ADMIN,
                json={"name": "ib3", "scopes": ["partners"], "secret": "my-own-secret"},
            ),
            409,
        )
        bad_scope = assert_problem(
            client.post(
                "/admin/v1/apps/acme/credentials", headers=ADMIN, json={"name": "x", "scopes": ["survey"]}
            ),
            400,
        )
        assert "unknown scope 'survey'" in bad_scope["detail"]
        assert (
            client.post(
                "/admin/v1/apps/acme/credentials/ib/rotate", headers=ADMIN, json={"secret": "rotated-secret"}
            ).json()["secret"]
            is None
        )
        assert client.delete("/admin/v1/apps/acme/credentials/ib", headers=ADMIN).status_code == 204
        listed = {c["name"]: c for c in client.get("/admin/v1/apps/acme/credentials", headers=ADMIN).json()}
        assert listed["ib"]["revoked_at"] is not None and listed["wall"]["revoked_at"] is None
        assert_problem(client.delete("/admin/v1/apps/acme/credentials/nope", headers=ADMIN), 404)
        assert_problem(
            client.post(
                "/admin/v1/apps/nope/credentials", headers=ADMIN, json={"name": "ib", "scopes": ["partners"]}
            ),
            404,
        )


class TestEvents:
    @pytest.fixture
    def events(self, client):
        configure(client, {"apps": [{"id": "acme", "name": "Acme"}, {"id": "other", "name": "Other"}]})
        start = datetime(2026, 1, 1, tzinfo=UTC)
        with client.app.state.runtime.sessions() as session, session.begin():
            for i in range(7):
                record_event(
                    session,
                    app_id="acme",
                    family="surveys" if i % 2 else "signage",
                    journey_id=f"j{i}",
                    type="click.recorded" if i < 5 else "coupon.issued",
                    user_id="u-1" if i in (1, 2, 6) else None,
                    at=start + timedelta(hours=i),
                )
            record_event(
                session,
                app_id="other",
                family="surveys",
                journey_id="x",
                type="click.recorded",
                user_id="u-1",
            )
        return start

    def test_keyset_pages(self, client, events):
        seen, after = [], None
        while True:
            params = {"limit": 3} | ({"after": after} if after is not None else {})
            page = client.get("/admin/v1/apps/acme/events", params=params, headers=ADMIN).json()
            seen += [e["journey_id"] for e in page["items"]]
            after = page["next_after"]
            if after is None:
                break
        assert seen == [f"j{i}" for i in range(7)]

    def test_filters(self, client, events):
        def ids(**params):
            r = client.get("/admin/v1/apps/acme/events", params=params, headers=ADMIN)
            assert r.status_code == 200, r.text
            return [e["journey_id"] for e in r.json()["items"]]

        assert ids(family="surveys") == ["j1", "j3", "j5"]
        assert ids(type="coupon.issued") == ["j5", "j6"]
        assert ids(since="2026-01-01T02:00:00Z", until="2026-01-01T04:00:00Z") == ["j2", "j3", "j4"]
        assert ids(journey_id="j4") == ["j4"]
        assert ids(user_id="u-1") == ["j1", "j2", "j6"]  # one person, every family, this app only
        assert ids(user_id="u-1", family="signage") == ["j2", "j6"]
        assert ids(user_id="nobody") == []

    @pytest.mark.parametrize(
        "params",
        [
            {"family": "nope"},
            {"limit": 0},
            {"limit": 1001},
            {"after": -1},
            {"after": 2**63},  # past a 64-bit id: SQLite's driver would fail (a 500) on it
            {"since": "yesterday"},
            {"since": "2026-01-01T00:00:00"},
            {"user_id": "x" * 256},
        ],
    )
    def test_bad_parameters(self, client, events, params):
        assert_problem(client.get("/admin/v1/apps/acme/events", params=params, headers=ADMIN), 400)

    def test_other_apps_events_are_invisible(self, client, events):
        page = client.get("/admin/v1/apps/other/events", headers=ADMIN).json()
        assert [e["journey_id"] for e in page["items"]] == ["x"]


@pytest.mark.parametrize(
    ("path", "name"),
    [("/apps/acme/events", "type"), ("/apps/acme/events", "journey_id"), ("/apps/acme/deliveries", "topic")],
)
def test_nul_character_is_a_client_error_on_every_engine(client, path, name):
    """PostgreSQL refuses NUL in text where SQLite finds nothing: both answer the same 400, naming it."""
    configure(client, DOC)
    response = client.get(f"/admin/v1{path}", params={name: "a\x00b"}, headers=ADMIN)
    assert assert_problem(response, 400)["detail"] == f"{name}: must not contain a NUL character"


@pytest.mark.parametrize("until", ["0", "1700000000", "1e12"])
def test_an_events_bound_is_iso_8601_never_a_number(client, until):
    configure(client, {"apps": [{"id": "acme", "name": "Acme"}]})
    answer = client.get("/admin/v1/apps/acme/events", params={"until": until}, headers=ADMIN)
    assert answer.status_code == 400 and "until" in answer.json()["detail"], answer.text
    fine = client.get("/admin/v1/apps/acme/events", params={"until": "2026-01-01T00:00:00Z"}, headers=ADMIN)
    assert fine.status_code == 200


@pytest.mark.parametrize("body", ["null\n", "", "~"])
def test_an_empty_yaml_document_is_refused_over_http(client, body):
    headers = {**ADMIN, "Content-Type": "application/yaml"}
    answer = client.put("/admin/v1/config", content=body, headers=headers)
    assert answer.status_code == 400, answer.text
    assert "mapping" in answer.json()["detail"]


def test_an_app_id_with_a_nul_is_not_found_on_every_engine(client):
    configure(client, DOC)
    assert (
        assert_problem(client.get("/admin/v1/apps/a%00b", headers=ADMIN), 404)["detail"]
        == "app 'a\x00b' not found"
    )
