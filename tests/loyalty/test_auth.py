"""POST /oauth/token (client credentials, RFC 6749 bodies) and bearer auth on every loyalty route."""

from __future__ import annotations

import base64
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.storage.db import normalize_url
from clicktrail.core.storage.ids import utcnow

from ..helpers import ADMIN_TOKEN, configure
from .conftest import DOC, SECRET, new_cid


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def session_with(client, headers) -> int:
    return client.post(
        "/client/users/anonymous/sessions", json={"correlationId": new_cid()}, headers=headers
    ).status_code


class TestTokenEndpoint:
    def test_form_credentials_issue_a_bearer_token(self, shop):
        response = shop.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": "pos-1", "client_secret": SECRET},
        )
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "Bearer"
        assert body["expires_in"] == 3600
        assert body["scope"] == "loyalty"
        assert response.headers["cache-control"] == "no-store"
        assert session_with(shop, {"Authorization": f"Bearer {body['access_token']}"}) == 200

    def test_basic_credentials_issue_a_token(self, shop):
        response = shop.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": "loyalty"},
            headers=basic("pos-1", SECRET),
        )
        assert response.status_code == 200
        assert session_with(shop, {"Authorization": f"Bearer {response.json()['access_token']}"}) == 200

    def test_wrong_client_credentials_are_invalid_client(self, shop):
        cases = [
            ({"grant_type": "client_credentials", "client_id": "pos-1", "client_secret": "wrong-secret"}, {}),
            ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": SECRET}, {}),
            ({"grant_type": "client_credentials", "client_id": "pos-1"}, {}),
            ({"grant_type": "client_credentials"}, basic("pos-1", "wrong-secret")),
            ({"grant_type": "client_credentials"}, {}),
        ]
        for data, headers in cases:
            response = shop.post("/oauth/token", data=data, headers=headers)
            assert response.status_code == 401
            assert response.json() == {
                "error": "invalid_client",
                "error_description": "client authentication failed",
            }
            assert response.headers["www-authenticate"].startswith("Basic")

    def test_rfc6749_errors(self, shop):
        cases = [
            ({"client_id": "pos-1", "client_secret": SECRET}, "invalid_request"),
            (
                {"grant_type": "password", "client_id": "pos-1", "client_secret": SECRET},
                "unsupported_grant_type",
            ),
            (
                {
                    "grant_type": "client_credentials",
                    "client_id": "pos-1",
                    "client_secret": SECRET,
                    "scope": "admin",
                },
                "invalid_scope",
            ),
            (
                {"grant_type": "client_credentials", "client_id": "wall-1", "client_secret": "wall-secret-1"},
                "invalid_scope",
            ),
        ]
        for data, error in cases:
            response = shop.post("/oauth/token", data=data)
            assert response.status_code == 400
            assert response.json()["error"] == error
            assert response.json()["error_description"]

    def test_json_body_is_invalid_request(self, shop):
        response = shop.post(
            "/oauth/token",
            json={"grant_type": "client_credentials", "client_id": "pos-1", "client_secret": SECRET},
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"

    def test_credentials_in_two_places_are_refused(self, shop):
        response = shop.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": "pos-1", "client_secret": SECRET},
            headers=basic("pos-1", SECRET),
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"


class TestBearer:
    def test_the_credential_secret_is_accepted(self, shop):
        assert session_with(shop, {"Authorization": f"Bearer {SECRET}"}) == 200

    def test_unauthorized_in_the_es_envelope(self, shop):
        cases = [
            ({}, "Missing or malformed Authorization header (expected Bearer)"),
            ({"Authorization": SECRET}, "Missing or malformed Authorization header (expected Bearer)"),
            ({"Authorization": "Bearer not-a-secret"}, "invalid credentials"),
            ({"Authorization": "Bearer wall-secret-1"}, "credential lacks the 'loyalty' scope"),
        ]
        for headers, message in cases:
            response = shop.post(
                "/client/users/anonymous/sessions", json={"correlationId": new_cid()}, headers=headers
            )
            assert response.status_code == 401
            assert response.json() == {
                "statusCode": 401,
                "errorMessage": message,
                "errorCode": "UNAUTHORIZED",
            }

    def test_every_route_requires_auth(self, shop):
        cid = new_cid()
        calls = [
            shop.post("/client/users/m1/sessions", json={"correlationId": cid}),
            shop.post(f"/client/users/{cid}/activity/trial/v2", json={}),
            shop.put(f"/client/users/{cid}/prompts/p1", json={"response": "accepted"}),
            shop.post(f"/client/users/{cid}/activity/finalize/v2", json={}),
            shop.get(f"/client/users/{cid}/transactions/history/v2"),
        ]
        assert [r.status_code for r in calls] == [401] * 5
        assert all(r.json()["errorCode"] == "UNAUTHORIZED" for r in calls)


def test_expired_token_is_refused(database_url):
    settings = Settings(
        database_url=database_url, admin_token=ADMIN_TOKEN, geoip_db=None, auth_cache_seconds=0
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        configure(client, DOC)
        token = client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": "pos-1", "client_secret": SECRET},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert session_with(client, headers) == 200
        engine = create_engine(normalize_url(database_url))
        try:
            with engine.begin() as conn:
                conn.execute(
                    text("UPDATE access_tokens SET expires_at = :past"),
                    {"past": (utcnow() - timedelta(seconds=1)).replace(tzinfo=None)},
                )
        finally:
            engine.dispose()
        response = client.post(
            "/client/users/anonymous/sessions", json={"correlationId": new_cid()}, headers=headers
        )
        assert response.status_code == 401
        assert response.json()["errorCode"] == "UNAUTHORIZED"
