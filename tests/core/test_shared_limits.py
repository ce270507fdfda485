"""With CLICKTRAIL_REDIS_URL every process counts the rate limits and failed authentications in one
Redis: two apps (two processes' worth of state) and two real server processes share one limit; without
Redis, or while it is away, each counts its own."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.web.limits import SharedCounters

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
    caplog.set_level(logging.WARNING, logger="clicktrail.core.web.limits")
    for (client,) in apps(settings, 1, rate_per_ip=0.01, burst_per_ip=3, **away):
        configure(client, surveys_document())
        assert [client.get(PUBLIC).status_code for _ in range(5)] == [200, 200, 200, 429, 429]
    warnings = [r.getMessage() for r in caplog.records if r.name == "clicktrail.core.web.limits"]
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


class Cable:
    """A TCP relay to Redis that the test can cut and mend: Redis itself is shared, so it stays up."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self.links: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def mend(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        for sock in [self.listener, *self.links]:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
        self.links.clear()

    def _accept(self, listener: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while True:
                near, _ = listener.accept()
                far = socket.create_connection(self.target)
                self.links += [near, far]
                for a, b in ((near, far), (far, near)):
                    threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)


def test_redis_cut_off_then_back_limits_go_local_then_shared_again(settings, redis_limits, caplog):
    target = urlsplit(redis_limits["redis_url"])
    cable = Cable((target.hostname or "127.0.0.1", target.port or 6379))
    cable.mend()
    via_cable = {**redis_limits, "redis_url": f"redis://127.0.0.1:{cable.port}/0"}
    caplog.set_level(logging.WARNING, logger="clicktrail.core.web.limits")
    try:
        for (client,) in apps(settings, 1, rate_per_ip=0.01, burst_per_ip=3, **via_cable):
            configure(client, surveys_document())
            assert [client.get(PUBLIC).status_code for _ in range(2)] == [200, 200]  # 2 of 3, in Redis
            cable.cut()
            assert [client.get(PUBLIC).status_code for _ in range(4)] == [200, 200, 200, 429]  # local
            cable.mend()
            time.sleep(SharedCounters.RETRY_SECONDS + 0.1)
            assert [client.get(PUBLIC).status_code for _ in range(2)] == [200, 429]  # Redis: 3 of 3
    finally:
        cable.cut()
    said = [r.getMessage() for r in caplog.records if r.name == "clicktrail.core.web.limits"]
    assert len(said) == 2 and "counted per process" in said[0] and "shared again" in said[1]
