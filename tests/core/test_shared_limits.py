"""With CLICKTRAIL_REDIS_URL every process counts the rate limits and failed authentications in one
Redis: two apps (two processes' worth of state) and two real server processes share one limit; without
Redis, or while it is away, each counts its own."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from fastapi.testclient import TestClient

from clicktrail.app import create_app
from clicktrail.core.settings import Settings

from ..helpers import ADMIN, configure, free_port
from ..surveys.support import TOKEN
from ..surveys.support import document as surveys_document

PUBLIC = "/api/public/v1/apps/" + TOKEN  # credential-less: limited per address


def apps(settings: Settings, count: int, **overrides: object) -> Iterator[list[TestClient]]:
    with ExitStack() as stack:
        yield [
            stack.enter_context(TestClient(create_app(settings.model_copy(update=overrides))))
            for _ in range(count)
        ]


@pytest.fixture
def pair(settings: Settings, redis_limits: dict[str, str]) -> Iterator[list[TestClient]]:
    yield from apps(settings, 2, rate_per_ip=0.01, burst_per_ip=4, auth_failures_per_minute=2, **redis_limits)


def test_two_processes_share_one_address_limit(pair):
    configure(pair[0], surveys_document())
    statuses = [pair[n % 2].get(PUBLIC).status_code for n in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    refused = pair[1].get(PUBLIC)
    assert refused.headers["ratelimit-limit"] == "4" and refused.headers["ratelimit-remaining"] == "0"
    assert int(refused.headers["retry-after"]) >= 1


def test_without_redis_each_process_counts_its_own(settings):
    for pair in apps(settings, 2, rate_per_ip=0.01, burst_per_ip=4):
        configure(pair[0], surveys_document())
        assert [pair[n % 2].get(PUBLIC).status_code for n in range(8)] == [200] * 8


def test_two_processes_share_the_failure_count(pair):
    configure(pair[0], surveys_document())
    for client in pair:
        assert client.get("/v2/client/surveys", headers={"X-Api-Token": "guess"}).status_code == 401
    slowed = pair[0].get("/v2/client/surveys", headers={"X-Api-Token": "guess-again"})
    assert slowed.status_code == 429
    assert slowed.json()["error"]["details"]["msg"] == "too many failed authentications; slow down"


def test_redis_away_means_limits_per_process_and_one_warning(settings, caplog):
    away = {"redis_url": f"redis://127.0.0.1:{free_port()}/0", "redis_key_prefix": "away"}
    caplog.set_level(logging.WARNING, logger="clicktrail.core.limits")
    for (client,) in apps(settings, 1, rate_per_ip=0.01, burst_per_ip=3, **away):
        configure(client, surveys_document())
        assert [client.get(PUBLIC).status_code for _ in range(5)] == [200, 200, 200, 429, 429]
    warnings = [r.getMessage() for r in caplog.records if r.name == "clicktrail.core.limits"]
    assert len(warnings) == 1 and "counted per process" in warnings[0]
    assert "127.0.0.1" in warnings[0] and "redis://" not in warnings[0]


@pytest.mark.e2e
def test_two_server_processes_share_one_limit(database_url, redis_limits, start_server):
    env = {
        "CLICKTRAIL_REDIS_URL": redis_limits["redis_url"],
        "CLICKTRAIL_REDIS_KEY_PREFIX": redis_limits["redis_key_prefix"],
        "CLICKTRAIL_RATE_PER_IP": "0.01",
        "CLICKTRAIL_BURST_PER_IP": "4",
    }
    servers = [start_server(database_url, env=env) for _ in range(2)]
    applied = httpx.put(servers[0] + "/admin/v1/config", json=surveys_document(), headers=ADMIN)
    assert applied.status_code == 200, applied.text
    statuses = [httpx.get(servers[n % 2] + PUBLIC).status_code for n in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
