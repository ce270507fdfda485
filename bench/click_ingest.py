"""Click ingest (``POST /ib/v1/clicks``: auth, UTM, geo-IP, user agent, verdicts, link, click row and
journey event) against a bare one-row INSERT on the same framework, server and database, in one run.

Each target is a real server process on loopback (one uvicorn worker); the load generator is a bounded
number of threads, each with its own keep-alive connection, for a bounded time. Prints requests/s, latency
percentiles and the rows really written.

    python -m bench.click_ingest [--seconds 10] [--concurrency 8] [--engine sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import create_engine, func, select, table
from sqlalchemy.engine import make_url

from clicktrail.core.db import normalize_url

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("CLICKTRAIL_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
]
URI = "https://my.stage.org/register?referral=1&utm_source=bench&utm_campaign=c{}"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(args: list[str], env: dict[str, str], health: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        args, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(health, timeout=1).status_code < 500:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{args} did not start")


def load(url: str, headers: dict[str, str], seconds: float, concurrency: int) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        nonlocal failures
        rng = random.Random(seed)
        mine, bad = [], 0
        with httpx.Client(headers=headers, timeout=10) as client:
            while time.monotonic() < stop:
                octets = (rng.randint(1, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
                body = {
                    "ip": ".".join(map(str, octets)),
                    "uri": URI.format(rng.randint(1, 9)),
                    "userAgent": rng.choice(AGENTS),
                }
                began = time.perf_counter()
                response = client.post(url, json=body)
                mine.append(time.perf_counter() - began)
                bad += response.status_code >= 300
        with lock:
            latencies.extend(mine)
            failures += bad

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures, int((time.monotonic() - began) * 1000)


def count(url: str, name: str) -> int:
    engine = create_engine(normalize_url(url))
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(table(name))).scalar_one()
    engine.dispose()
    return n


def report(name: str, latencies: list[float], failures: int, elapsed_ms: int, written: int) -> None:
    lat = sorted(latencies)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000  # noqa: E731
    print(
        f"{name:<26} {len(lat) * 1000 / elapsed_ms:>7.0f} req/s   p50 {pct(0.5):6.2f} ms"
        f"   p99 {pct(0.99):7.2f} ms   non-2xx {failures}   rows written {written}"
    )


def database(engine_name: str, folder: str) -> tuple[str, callable]:
    if engine_name == "sqlite":
        return f"sqlite:///{folder}/bench.db", lambda: None
    name = f"clicktrail_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(PG).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return make_url(PG).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url, drop = database(args.engine, folder)
        env = {"CLICKTRAIL_DATABASE_URL": url, "CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"}
        cli = [sys.executable, "-m", "clicktrail"]
        try:
            subprocess.run([*cli, "migrate"], env={**os.environ, **env}, check=True, capture_output=True)
            subprocess.run(
                [*cli, "apply", str(ROOT / "examples/demo.yaml")],
                env={**os.environ, **env},
                check=True,
                capture_output=True,
            )
            print(f"{args.engine}, {args.concurrency} connections, {args.seconds:.0f} s per target")
            port = free_port()
            bare = start(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "bench.bare_app:app",
                    "--port",
                    str(port),
                    "--no-access-log",
                ],
                env | {"PYTHONPATH": str(ROOT)},
                f"http://127.0.0.1:{port}/",
            )
            try:
                result = load(f"http://127.0.0.1:{port}/clicks", {}, args.seconds, args.concurrency)
            finally:
                bare.terminate()
                bare.wait()
            report("bare one-row INSERT", *result, count(url, "bench_bare_clicks"))
            port = free_port()
            server = start([*cli, "serve", "--port", str(port)], env, f"http://127.0.0.1:{port}/healthz")
            try:
                result = load(
                    f"http://127.0.0.1:{port}/ib/v1/clicks",
                    {"Authorization": "Bearer ib-secret"},
                    args.seconds,
                    args.concurrency,
                )
            finally:
                server.terminate()
                server.wait()
            report("clicktrail click ingest", *result, count(url, "partner_clicks"))
        finally:
            drop()


if __name__ == "__main__":
    main()
