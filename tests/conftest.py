"""Fixtures shared by every test.

``database_url`` runs a test on a fresh SQLite file and, when CLICKTRAIL_TEST_POSTGRES_URL is set, on
PostgreSQL too: one database is created and migrated per test run (dropped after) and emptied before each
test. ``client`` is the real ASGI app over httpx with real credentials, configured through the admin API."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from mmdb_writer import MmdbF64, MMDBWriter
from netaddr import IPSet
from sqlalchemy import create_engine, text

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.journeys import outbound
from clicktrail.core.storage.db import normalize_url
from clicktrail.core.storage.migrate import upgrade
from clicktrail.families import migration_dirs

from . import tenancy_guard
from .helpers import ADMIN_TOKEN, LOOPBACK, Receiver, free_port, scratch_postgres

tenancy_guard.install()

POSTGRES_URL = os.environ.get("CLICKTRAIL_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    upgrade(f"sqlite:///{path}", migration_dirs())
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("CLICKTRAIL_TEST_POSTGRES_URL is not set")
    with scratch_postgres(POSTGRES_URL, "clicktrail_test") as url:
        yield url


def _truncate_all(url: str) -> None:
    engine = create_engine(normalize_url(url))
    try:
        with engine.begin() as conn:
            tables = (
                conn.execute(
                    text(
                        "SELECT tablename FROM pg_tables"
                        " WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                    )
                )
                .scalars()
                .all()
            )
            if tables:
                quoted = ", ".join(f'"{t}"' for t in tables)
                conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database on each engine."""
    if request.param == "sqlite":
        path = tmp_path / "clicktrail.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    _truncate_all(url)
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url, admin_token=ADMIN_TOKEN, geoip_db=None, outbound_allow=LOOPBACK
    )


@pytest.fixture(autouse=True)
def outbound_allow_reset() -> Iterator[None]:
    """What config may name is per process (set by ``create_app``, also at import by modules that build an
    app): no test inherits a list from elsewhere."""
    outbound.allow(None)
    yield
    outbound.allow(None)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start ``clicktrail serve`` as a real process; returns its base URL. Stopped after the test."""
    processes: list[subprocess.Popen[bytes]] = []
    logs: list = []

    def start(database_url: str, *, workers: int = 1, env: dict[str, str] | None = None) -> str:
        port = free_port()
        full_env = {
            **os.environ,
            "CLICKTRAIL_DATABASE_URL": database_url,
            "CLICKTRAIL_ADMIN_TOKEN": ADMIN_TOKEN,
            "CLICKTRAIL_OUTBOUND_ALLOW": LOOPBACK,  # test documents name loopback receivers
            **(env or {}),
        }
        log = open(tmp_path / f"server-{port}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [sys.executable, "-m", "clicktrail", "serve", "--port", str(port), "--workers", str(workers)],
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(proc)
        logs.append(log)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError((tmp_path / f"server-{port}.log").read_text())
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return base
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"server on {base} did not become healthy")

    start.processes = processes  # type: ignore[attr-defined]  # for tests that kill a server
    yield start
    for proc in processes:
        proc.terminate()
    for proc in processes:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    for log in logs:
        log.close()


@pytest.fixture(scope="session")
def geoip_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A city database with a few networks (IPv4 and IPv6, with and without a location)."""
    writer = MMDBWriter(ip_version=6, database_type="GeoIP2-City", ipv4_compatible=True)
    writer.insert_network(
        IPSet(["185.155.96.0/22"]),
        {
            "country": {"iso_code": "US", "names": {"en": "United States"}},
            "city": {"names": {"en": "Wichita"}},
            "location": {"latitude": MmdbF64(37.751), "longitude": MmdbF64(-97.822)},
        },
    )
    writer.insert_network(
        IPSet(["2a02:2e0::/32"]),
        {
            "country": {"iso_code": "NL", "names": {"en": "Netherlands"}},
            "city": {"names": {"en": "Amsterdam"}},
            "location": {"latitude": MmdbF64(52.37), "longitude": MmdbF64(4.89)},
        },
    )
    writer.insert_network(
        IPSet(["81.2.69.0/24"]), {"country": {"iso_code": "GB", "names": {"en": "United Kingdom"}}}
    )
    writer.insert_network(
        IPSet(["5.9.0.0/16"]),
        {
            "country": {"iso_code": "DE", "names": {"en": "Germany"}},
            "location": {"latitude": MmdbF64(51.3), "longitude": MmdbF64(9.49)},
        },
    )
    path = tmp_path_factory.mktemp("geo") / "city.mmdb"
    writer.to_db_file(str(path))
    return str(path)


@pytest.fixture(autouse=True)
def every_query_stays_in_its_tenant() -> Iterator[None]:
    """Fails the test whose requests ran a statement on a tenant table not scoped to one app (see
    tests/tenancy_guard.py)."""
    tenancy_guard.violations.clear()
    yield
    found, tenancy_guard.violations[:] = list(dict.fromkeys(tenancy_guard.violations)), []
    assert not found, "unscoped tenant queries:\n" + "\n".join(found)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on loopback that records what it is sent (webhooks, callbacks, postbacks)."""
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def redis_limits() -> Iterator[dict[str, str]]:
    """Settings that count the limits in the test Redis (CLICKTRAIL_TEST_REDIS_URL, else 127.0.0.1:6379)
    under a key prefix of this test's own, removed afterwards."""
    import uuid

    import redis

    url = os.environ.get("CLICKTRAIL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    prefix = f"clicktrail-test-{uuid.uuid4().hex[:12]}"
    yield {"redis_url": url, "redis_key_prefix": prefix}
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()
