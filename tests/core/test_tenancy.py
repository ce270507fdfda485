"""Credentials: scopes, tenant isolation, revocation, rotation, tokens, constant-time paths."""

from __future__ import annotations

import copy

import pytest

from clicktrail.core.tenancy.apps import read_basic, read_bearer
from clicktrail.core.web.errors import Unauthorized

from ..helpers import ADMIN, configure

DOC = {
    "apps": [
        {
            "id": "alpha",
            "name": "Alpha",
            "credentials": [
                {
                    "name": "main",
                    "client_id": "alpha-client",
                    "secret": "alpha-secret",
                    "scopes": ["surveys", "partners"],
                }
            ],
        },
        {
            "id": "beta",
            "name": "Beta",
            "credentials": [
                {"name": "main", "client_id": "beta-client", "secret": "beta-secret", "scopes": ["surveys"]}
            ],
        },
    ]
}


@pytest.fixture
def auth(client):
    configure(client, DOC)
    return client.app.state.runtime.auth


class TestAuthenticate:
    def test_secret_authenticates_for_its_own_app_only(self, auth):
        assert auth.authenticate("alpha-secret", "surveys").app_id == "alpha"
        assert auth.authenticate("beta-secret", "surveys").app_id == "beta"

    @pytest.mark.parametrize("presented", [None, "", "nope", "alpha-secre", "alpha-secret "])
    def test_unknown_secrets_fail(self, auth, presented):
        with pytest.raises(Unauthorized):
            auth.authenticate(presented, "surveys")

    def test_scope_is_required(self, auth):
        with pytest.raises(Unauthorized, match="lacks the 'partners' scope"):
            auth.authenticate("beta-secret", "partners")

    def test_revoked_credential_fails_at_once(self, client, auth):
        assert auth.authenticate("alpha-secret", "surveys")  # now cached
        assert client.delete("/admin/v1/apps/alpha/credentials/main", headers=ADMIN).status_code == 204
        with pytest.raises(Unauthorized):
            auth.authenticate("alpha-secret", "surveys")
        assert auth.authenticate("beta-secret", "surveys").app_id == "beta"

    def test_rotation_replaces_the_secret(self, client, auth):
        response = client.post("/admin/v1/apps/alpha/credentials/main/rotate", headers=ADMIN)
        assert response.status_code == 200
        new = response.json()["secret"]
        assert new.startswith("ct_")
        with pytest.raises(Unauthorized):
            auth.authenticate("alpha-secret", "surveys")
        assert auth.authenticate(new, "surveys").app_id == "alpha"


class TestTokens:
    def test_client_credentials_issue_a_scoped_token(self, auth):
        principal = auth.authenticate_client("alpha-client", "alpha-secret", "partners")
        token, expires_in = auth.issue_token(principal, "partners")
        assert expires_in == 3600
        assert auth.authenticate(token, "partners").app_id == "alpha"
        with pytest.raises(Unauthorized):  # a token carries only the scope it was issued for
            auth.authenticate(token, "surveys")

    @pytest.mark.parametrize(
        ("client_id", "secret"), [("alpha-client", "beta-secret"), ("nobody", "alpha-secret")]
    )
    def test_wrong_client_credentials(self, auth, client_id, secret):
        with pytest.raises(Unauthorized):
            auth.authenticate_client(client_id, secret, "partners")

    def test_token_dies_with_its_credential(self, client, auth):
        principal = auth.authenticate_client("alpha-client", "alpha-secret", "partners")
        token, _ = auth.issue_token(principal, "partners")
        client.delete("/admin/v1/apps/alpha/credentials/main", headers=ADMIN)
        with pytest.raises(Unauthorized):
            auth.authenticate(token, "partners")


def partners_token(client):
    response = client.post(
        "/ib/v1/tokens", json={"grant_type": "client_credentials"}, auth=("alpha-client", "alpha-secret")
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def rotate_by_apply(client):
    changed = copy.deepcopy(DOC)
    changed["apps"][0]["credentials"][0]["secret"] = "alpha-secret-2"
    assert configure(client, changed)["changes"] == ["alpha: credential 'main' updated (secret)"]


def rotate_by_admin_api(client):
    body = {"secret": "alpha-secret-2"}
    response = client.post("/admin/v1/apps/alpha/credentials/main/rotate", json=body, headers=ADMIN)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("rotate", [rotate_by_apply, rotate_by_admin_api])
def test_a_new_secret_ends_the_tokens_issued_before(client, auth, rotate):
    bearer = partners_token(client)
    assert client.get("/ib/v1/clicks", headers=bearer).status_code == 200
    rotate(client)
    assert client.get("/ib/v1/clicks", headers=bearer).status_code == 401
    assert client.get("/ib/v1/clicks", headers={"Authorization": "Bearer alpha-secret-2"}).status_code == 200


def test_reapplying_the_same_secret_keeps_the_tokens(client, auth):
    bearer = partners_token(client)
    assert configure(client, DOC)["changed"] is False
    assert client.get("/ib/v1/clicks", headers=bearer).status_code == 200


def test_a_client_id_clash_is_a_conflict_with_the_field(client, auth):
    body = {"name": "copy", "client_id": "beta-client", "scopes": ["partners"]}
    response = client.post("/admin/v1/apps/alpha/credentials", json=body, headers=ADMIN)
    assert response.status_code == 409 and "client_id 'beta-client'" in response.text
    clash = copy.deepcopy(DOC)
    clash["apps"][0]["credentials"][0]["client_id"] = "beta-client"
    response = client.put("/admin/v1/config", json=clash, headers=ADMIN)
    assert response.status_code == 400
    assert "apps[0].credentials[0].client_id" in response.text


class TestHeaderReaders:
    def test_bearer(self):
        assert read_bearer("Bearer abc") == "abc"
        assert read_bearer("bearer  abc ") == "abc"
        assert read_bearer("Basic abc") is None
        assert read_bearer("Bearer ") is None
        assert read_bearer(None) is None

    def test_basic(self):
        assert read_basic("Basic YWxpY2U6czpl") == ("alice", "s:e")
        assert read_basic("Basic !!!") is None
        assert read_basic("Basic OnNlY3JldA==") is None  # empty client id
        assert read_basic("Bearer x") is None
