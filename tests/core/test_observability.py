"""/metrics: request counts and latency per family and route (lean routes too), the writer's batches, the
outbox backlog and failures, cache hit counts; who may read it; request ids; the access log switch."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import event

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.web.observability import ClientAnonymizer

from ..helpers import ADMIN, ADMIN_TOKEN, LOOPBACK, configure

SECRET = "ib-secret-metrics"
DOCUMENT = {
    "apps": [
        {
            "id": "acme",
            "name": "Acme",
            "credentials": [{"name": "ib", "secret": SECRET, "scopes": ["partners"]}],
            "webhooks": [{"url": "http://127.0.0.1:9/hook", "secret": "hook-secret", "events": ["*"]}],
        }
    ]
}


def serve(settings: Settings, host: str = "127.0.0.1") -> TestClient:
    return TestClient(create_app(settings), raise_server_exceptions=False, client=(host, 50000))


@pytest.fixture
def local(database_url: str) -> Iterator[TestClient]:
    """The app, called from loopback (the default CLICKTRAIL_METRICS answers only that)."""
    settings = Settings(
        database_url=database_url, admin_token=ADMIN_TOKEN, outbox_poll_seconds=0.2, outbound_allow=LOOPBACK
    )
    with serve(settings) as client:
        yield client


def samples(client: TestClient, **headers: str) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def test_requests_counted_per_family_and_route_template(local):
    configure(local, DOCUMENT)
    for _ in range(3):  # a lean route, answered before FastAPI's middleware
        assert local.post("/ib/v1/clicks", content=b"{}").status_code == 401
    assert local.get("/ib/v1/clicks/6006dda272f002519c3eb505", headers=ADMIN).status_code == 401
    assert local.get("/healthz").status_code == 200
    assert local.get("/no/such/path/123").status_code == 404
    found = samples(local)
    clicks = {"family": "partners", "route": "/ib/v1/clicks"}
    assert value(found, "clicktrail_requests_total", **clicks, method="POST", status="401") == 3
    assert value(found, "clicktrail_request_duration_seconds_count", **clicks) == 3
    assert value(found, "clicktrail_request_duration_seconds_bucket", **clicks, le="+Inf") == 3
    one = {"family": "partners", "route": "/ib/v1/clicks/{clickId}", "method": "GET", "status": "401"}
    assert value(found, "clicktrail_requests_total", **one) == 1
    health = {"family": "other", "route": "/healthz", "method": "GET", "status": "200"}
    assert value(found, "clicktrail_requests_total", **health) == 1
    assert (
        value(
            found, "clicktrail_requests_total", family="other", route="unmatched", method="GET", status="404"
        )
        == 1
    )
    assert not any("123" in str(labels) for _, labels in found)  # raw paths never become labels
    admin = {"family": "admin", "route": "/admin/v1/config", "method": "PUT", "status": "200"}
    assert value(found, "clicktrail_requests_total", **admin) == 1


def test_writer_batches_and_cache_hits(local):
    configure(local, DOCUMENT)
    runtime = local.app.state.runtime
    runtime.writer.run(lambda tx: None)
    bearer = {"Authorization": f"Bearer {SECRET}"}
    for _ in range(3):  # the first looks the credential up, the next two are answered from memory
        assert local.post("/ib/v1/clicks", content=b"{", headers=bearer).status_code == 400
    found = samples(local)
    assert value(found, "clicktrail_writer_batch_size_count") >= 1
    assert value(found, "clicktrail_writer_batch_size_bucket", le="1.0") >= 1
    assert value(found, "clicktrail_writer_batch_seconds_count") >= 1
    assert value(found, "clicktrail_cache_misses_total", cache="credentials") == 1
    assert value(found, "clicktrail_cache_hits_total", cache="credentials") == 2
    assert ("clicktrail_cache_hits_total", frozenset({("cache", "config")})) in found


def test_outbox_backlog_and_delivery_failures(local):
    configure(local, DOCUMENT)
    assert local.post("/admin/v1/apps/acme/webhooks/test", headers=ADMIN, json={}).status_code in (200, 202)
    deadline = time.monotonic() + 10
    while True:  # port 9 refuses: the message stays pending, its failed attempt is counted
        found = samples(local)
        if value(found, "clicktrail_outbox_delivery_failures_total", topic="webhook") >= 1:
            break
        assert time.monotonic() < deadline, "no delivery failure counted"
        time.sleep(0.2)
    assert value(found, "clicktrail_outbox_messages", topic="webhook", status="pending") == 1


@pytest.mark.parametrize(
    ("mode", "host", "headers", "status"),
    [
        ("loopback", "127.0.0.1", {}, 200),
        ("loopback", "::1", {}, 200),
        ("loopback", "203.0.113.9", {}, 403),
        ("off", "127.0.0.1", {}, 404),
        ("token", "203.0.113.9", {}, 401),
        ("token", "203.0.113.9", {"Authorization": "Bearer wrong"}, 401),
        ("token", "203.0.113.9", ADMIN, 200),
    ],
)
def test_who_may_read_metrics(database_url, mode, host, headers, status):
    settings = Settings(
        database_url=database_url, admin_token=ADMIN_TOKEN, metrics=mode, outbound_allow=LOOPBACK
    )
    with serve(settings, host) as client:
        response = client.get("/metrics", headers=headers)
    assert response.status_code == status
    if status != 200:
        assert response.headers["content-type"] == "application/problem+json"


def test_request_id_kept_when_sane_else_made(client):
    given = client.get("/healthz", headers={"X-Request-Id": "lb-7f3a.1"})
    assert given.headers["x-request-id"] == "lb-7f3a.1"
    made = client.get("/healthz", headers={"X-Request-Id": "bad id\twith spaces"})
    assert made.headers["x-request-id"] != "bad id\twith spaces"
    assert len(made.headers["x-request-id"]) == 16
    lean = client.post("/ib/v1/clicks", content=b"{}")
    assert len(lean.headers["x-request-id"]) == 16


@pytest.mark.parametrize("enabled", [True, False])
def test_access_log_switch(database_url, caplog, enabled):
    settings = Settings(database_url=database_url, access_log=enabled)
    caplog.set_level(logging.INFO, logger="clicktrail.access")
    with serve(settings) as client:
        client.post("/ib/v1/clicks?api_key=s3cret&x=1", content=b"{}")
    lines = [r for r in caplog.records if r.name == "clicktrail.access"]
    if not enabled:
        assert lines == []
        return
    (line,) = lines
    assert line.path == "/ib/v1/clicks?api_key=*&x=*"
    assert (line.status, line.family, line.route) == (401, "partners", "/ib/v1/clicks")
    assert "s3cret" not in caplog.text


def test_access_lines_show_the_client_cut_to_its_network_once_an_app_asks(database_url, caplog):
    settings = Settings(
        database_url=database_url, admin_token=ADMIN_TOKEN, config_cache_seconds=60, outbound_allow=LOOPBACK
    )
    caplog.set_level(logging.INFO, logger="clicktrail.access")
    private = {**DOCUMENT["apps"][0], "privacy": {"anonymize_ip": True}}
    with serve(settings, host="81.2.69.142") as client:
        assert client.get("/healthz").status_code == 200
        configure(client, {"apps": [private]})  # a local apply is seen at once, whatever the cache's age
        assert client.get("/healthz").status_code == 200
        configure(client, {"apps": [{**private, "privacy": {}}]})
        assert client.get("/healthz").status_code == 200
    lines = [(r.route, r.client) for r in caplog.records if r.name == "clicktrail.access"]
    assert lines == [
        ("/healthz", "81.2.69.142"),
        ("/admin/v1/config", "81.2.69.142"),
        ("/healthz", "81.2.69.0"),
        ("/admin/v1/config", "81.2.69.0"),
        ("/healthz", "81.2.69.142"),
    ]
    assert "client=81.2.69.0 " in caplog.text


def test_the_access_log_reads_every_apps_privacy_in_one_statement(local):
    """The request that re-reads the setting after an apply waits for it: 30 apps (or 10,000) are one read."""
    apps = [{"id": f"app-{i:02d}", "name": "App", "privacy": {"anonymize_ip": i == 29}} for i in range(30)]
    configure(local, {"apps": apps})
    runtime = local.app.state.runtime  # type: ignore[attr-defined]
    clients = ClientAnonymizer(runtime.sessions, ttl=60)
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(runtime.engine, "before_cursor_execute", record)
    try:
        assert clients.claim_refresh()
        clients.refresh()
    finally:
        event.remove(runtime.engine, "before_cursor_execute", record)
    assert clients.anonymize is True and len(seen) == 1
    configure(local, {"apps": [{**apps[29], "privacy": {"anonymize_ip": False}}]})
    assert clients.claim_refresh()  # the apply moved the generation: read again
    clients.refresh()
    assert clients.anonymize is False
