"""``make soak``: the SIGKILL test, longer. On each engine, N rounds of: start ``clicktrail serve`` on
loopback, send clicks from 8 threads, SIGKILL the server at a random moment; then count what the
acknowledged clicks became. Prints requests, kills survived, writes lost and duplicates; exits 1 when a
write was lost or duplicated. Bounded: about kills x seconds per engine."""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select

from clicktrail.core.storage.db import normalize_url
from clicktrail.core.storage.migrate import upgrade
from clicktrail.families import migration_dirs
from clicktrail.partners.models import PartnerClick

from ..helpers import ADMIN_TOKEN, LOOPBACK, free_port, scratch_postgres
from ..partners.conftest import AUTH
from .test_write_path import UNLIMITED, click_body, configure, stored


@contextmanager
def database(engine: str, folder: Path) -> Iterator[str]:
    if engine == "sqlite":
        url = f"sqlite:///{folder}/soak.db"
        upgrade(url, migration_dirs())
        yield url
        return
    with scratch_postgres(os.environ["CLICKTRAIL_TEST_POSTGRES_URL"], "clicktrail_soak") as url:
        yield url


def serve(url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "CLICKTRAIL_DATABASE_URL": url,
        "CLICKTRAIL_ADMIN_TOKEN": ADMIN_TOKEN,
        "CLICKTRAIL_OUTBOUND_ALLOW": LOOPBACK,  # the partners document's postbacks name a loopback receiver
        **UNLIMITED,
    }
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "clicktrail", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"the server did not start: see {log}")


def load(base: str, seconds: float, workers: int = 8) -> tuple[int, list[str], int]:
    """Clicks, each with its own uuid, until time is up or the server is gone: (requests, acknowledged
    click ids, 5xx answers)."""
    requests, acked, errors = 0, [], 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work(worker: int) -> None:
        nonlocal requests, errors
        with httpx.Client(timeout=30) as http:
            n = 0
            while time.monotonic() < stop:
                n += 1
                body = {**click_body(worker, n), "uuid": str(uuid.uuid4())}
                try:
                    r = http.post(f"{base}/ib/v1/clicks", json=body, headers=AUTH)
                except httpx.TransportError:
                    return
                with lock:
                    requests += 1
                    errors += r.status_code >= 500
                    if r.status_code == 201:
                        acked.append(r.json()["clickId"])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return requests, acked, errors


def duplicates(url: str) -> int:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.scalar(select(func.count()).select_from(PartnerClick))
            distinct = conn.scalar(select(func.count(func.distinct(PartnerClick.uuid))))
            return rows - distinct
    finally:
        engine.dispose()


def soak(engine: str, kills: int, seconds: float, folder: Path) -> bool:
    with database(engine, folder) as url:
        totals = {"requests": 0, "acknowledged": 0, "kills survived": 0, "lost": 0, "5xx": 0}
        for round_ in range(kills):
            proc, base = serve(url, folder / f"{engine}.log")
            if round_ == 0:
                configure(base)
            killer = threading.Timer(random.uniform(0.5, seconds - 0.5), os.kill, (proc.pid, signal.SIGKILL))
            killer.start()
            requests, acked, errors = load(base, seconds)
            killer.join()
            proc.wait(timeout=10)
            lost = len(acked) - stored(url, PartnerClick, acked)
            totals["requests"] += requests
            totals["acknowledged"] += len(acked)
            totals["kills survived"] += lost == 0
            totals["lost"] += lost
            totals["5xx"] += errors
            print(
                f"  {engine} kill {round_ + 1}/{kills}: {requests} requests, {len(acked)} acked, {lost} lost"
            )
        dup = duplicates(url)
    summary = ", ".join(f"{k} {v}" for k, v in totals.items())
    print(f"{engine}: {summary}, duplicates {dup}")
    return totals["lost"] == 0 and dup == 0 and totals["5xx"] == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=5, help="SIGKILLs per engine")
    parser.add_argument("--seconds", type=float, default=6, help="load per round, killed within it")
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    if "postgresql" in engines and not os.environ.get("CLICKTRAIL_TEST_POSTGRES_URL"):
        print("CLICKTRAIL_TEST_POSTGRES_URL is not set: SQLite only")
        engines.remove("postgresql")
    with tempfile.TemporaryDirectory() as folder:
        ok = all([soak(engine, args.kills, max(args.seconds, 2), Path(folder)) for engine in engines])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
