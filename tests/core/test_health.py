from __future__ import annotations

from fastapi.testclient import TestClient

from clicktrail.app import create_app
from clicktrail.core.settings import Settings


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_reports_a_dead_database(tmp_path):
    dead = Settings(database_url=f"sqlite:///{tmp_path}/missing-dir/x.db")
    with TestClient(create_app(dead)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def test_healthz_reports_an_unreachable_postgres():
    dead = Settings(database_url="postgresql://postgres@127.0.0.1:1/none")
    with TestClient(create_app(dead)) as client:
        assert client.get("/healthz").status_code == 503


def test_openapi_lists_routes(client):
    spec = client.get("/openapi.json").json()
    assert "/healthz" in spec["paths"] and "/admin/v1/config" in spec["paths"]
    assert client.get("/docs").status_code == 200
