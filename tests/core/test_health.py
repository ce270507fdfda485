from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings

from ..conftest import POSTGRES_URL
from ..helpers import scratch_postgres


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


def test_readyz_answers_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ready"}


def test_readyz_reports_a_sqlite_database_it_cannot_open(tmp_path):
    dead = Settings(database_url=f"sqlite:///{tmp_path}/missing-dir/x.db")
    with TestClient(create_app(dead)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "detail": "database unreachable: OperationalError; sqlite: unable to open database file",
    }


def test_readyz_reports_a_postgres_database_dropped_after_startup():
    if not POSTGRES_URL:
        pytest.skip("CLICKTRAIL_TEST_POSTGRES_URL is not set")
    admin = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with (
        scratch_postgres(POSTGRES_URL, "clicktrail_readyz") as url,
        TestClient(create_app(Settings(database_url=url))) as client,
    ):
        assert client.get("/readyz").status_code == 200
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)')
        response = client.get("/readyz")
    assert response.status_code == 503
    # the error's kind; the driver's own text (database name, host) stays inside
    assert response.json() == {"status": "unavailable", "detail": "database unreachable: OperationalError"}
