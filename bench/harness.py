"""Running things: throwaway databases, servers pinned to CPU 0, wrk pinned to CPU 1, RSS from /proc."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clicktrail.core.storage.db import normalize_url

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "bench" / "lua"
PG = os.environ.get("CLICKTRAIL_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
SERVER_CPU, WRK_CPU = "0", "1"


@contextmanager
def database(engine: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file in ``folder``, or a PostgreSQL database dropped afterwards."""
    if engine == "sqlite":
        yield f"sqlite:///{folder}/bench.db"
        return
    name = f"clicktrail_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(PG).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clicktrail(url: str, *args: str) -> None:
    """``python -m clicktrail ARGS`` against the database ``url``; raises with its output when it fails."""
    env = {**os.environ, "CLICKTRAIL_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "clicktrail", *args], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"clicktrail {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def count(url: str, sql: str) -> int:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def analyze(url: str) -> None:
    """Fresh planner statistics on PostgreSQL (SQLite plans from its indexes alone)."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    url: str

    def rss_mib(self) -> float:
        """VmRSS of the server process and all its descendants, in MiB."""
        total, pending = 0, [self.proc.pid]
        while pending:
            pid = pending.pop()
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                tasks = list(Path(f"/proc/{pid}/task").iterdir())
            except FileNotFoundError:
                continue
            total += sum(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in tasks:
                try:  # a thread that ended since the listing has no children to read: not the process's end
                    pending += [int(child) for child in (task / "children").read_text().split()]
                except FileNotFoundError:
                    continue
        return total / 1024


@contextmanager
def serve(command: list[str], env: dict[str, str], log: Path) -> Iterator[Server]:
    """Start ``command --port P`` on CPU 0 and wait for ``/healthz``; stop it on exit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            ["taskset", "-c", SERVER_CPU, *command, "--port", str(port)],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(command)} did not start; see {log}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield Server(proc, url)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Load:
    """What wrk measured (the JSON line of bench/lua/report.lua)."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    p999_ms: float
    socket_errors: int
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def answered(self, low: int, high: int) -> int:
        return sum(n for status, n in self.statuses.items() if low <= status < high)

    @property
    def errors(self) -> int:
        """Socket errors plus answers that are neither 2xx nor 3xx."""
        return self.socket_errors + self.requests - self.answered(200, 400)


def wrk(url: str, script: str, seconds: int, connections: int, args: list[str]) -> Load:
    command = ["taskset", "-c", WRK_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-s", str(LUA / script), url, "--", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    line = next((line for line in out.splitlines() if line.startswith("JSON ")), None)
    if line is None:
        raise RuntimeError(f"no JSON line in the output of {' '.join(command)}:\n{out}")
    data = json.loads(line[5:])
    return Load(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        p999_ms=data["p999_us"] / 1000,
        socket_errors=sum(data["errors"][k] for k in ("connect", "read", "write", "timeout")),
        statuses={int(status): n for status, n in data["statuses"].items()},
    )
