"""Credentials: scopes, tenant isolation, revocation, rotation, tokens, constant-time paths."""

from __future__ import annotations

import pytest

from clicktrail.core.errors import Unauthorized
from clicktrail.core.tenancy import read_basic, read_bearer

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
