"""``python -m bench --listing`` (or ``python -m bench.listing``): the clicks list over a million clicks.

Per engine: a fresh database, ``clicktrail seed-clicks`` (reports its rate), ``clicktrail serve`` on CPU 0,
then wrk on CPU 1 with one connection (the time of one answer; with more, a one-process server's queue
adds to it) on first pages of ``GET /ib/v1/clicks``. The target
(issue 6/9) is a filtered first page at p95 ≤ 30 ms; for a query above it the plans of its two statements
(the page and its COUNT) are printed with their times.

``--sqlite-url``/``--postgresql-url`` reuse a database seeded before (``clicktrail migrate``, ``apply
bench/bench.yaml``, ``seed-clicks bench --count 1000000 --seed 1``; it is migrated again, so new indexes
land) instead of seeding a fresh one each run: for iterating on a query."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import create_engine

from clicktrail.core.storage.db import normalize_url
from clicktrail.partners.listing import build_select, parse_list_query

from .harness import LUA, ROOT, WRK_CPU, analyze, clicktrail, database, serve
from .scenarios import APP, IB_SECRET

CLICKS = 1_000_000
CONNECTIONS = 1
TARGET_P95_MS = 30.0


def queries() -> dict[str, list[tuple[str, str]]]:
    """Name → query parameters of a first page; the time range is a day among the seeded 30."""
    now = datetime.now(UTC).replace(microsecond=0)
    day = [
        ("filter[clickStartTime]", (now - timedelta(days=3)).isoformat().replace("+00:00", "Z")),
        ("filter[clickEndTime]", (now - timedelta(days=2)).isoformat().replace("+00:00", "Z")),
    ]
    return {
        "countryCode=DE": [("filter[countryCode]", "DE"), ("limit", "50")],
        "one day (time range)": [*day, ("limit", "50")],
        "DE + one day": [("filter[countryCode]", "DE"), *day, ("limit", "50")],
        "verdict=bot": [("filter[verdict]", "bot"), ("limit", "50")],
        "unfiltered": [("limit", "50")],
    }


@dataclass
class Row:
    engine: str
    query: str
    total: int
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int


def measure(base: str, path: str, seconds: int) -> tuple[float, float, float, float, int]:
    """req/s, p50, p95, p99 (ms) and errors (socket errors and non-2xx) of wrk on one path."""
    command = ["taskset", "-c", WRK_CPU, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    command += ["-s", str(LUA / "listing.lua"), base, "--", IB_SECRET, path]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    lines = out.splitlines()
    data = json.loads(next(line for line in lines if line.startswith("JSON "))[5:])
    p95 = int(next(line for line in lines if line.startswith("P95 ")).split()[1])
    ok = sum(n for status, n in data["statuses"].items() if 200 <= int(status) < 300)
    errors = sum(data["errors"][k] for k in ("connect", "read", "write", "timeout")) + data["requests"] - ok
    rps = data["requests"] / (data["duration_us"] / 1e6)
    return rps, data["p50_us"] / 1000, p95 / 1000, data["p99_us"] / 1000, errors


def seed(url: str, clicks: int) -> str:
    """``clicktrail seed-clicks``; returns its summary line."""
    env = {**os.environ, "CLICKTRAIL_DATABASE_URL": url}
    command = [sys.executable, "-m", "clicktrail", "seed-clicks", APP, "--count", str(clicks), "--seed", "1"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def explain(url: str, params: list[tuple[str, str]]) -> str:
    """The plans of the COUNT and the page (in the shape the count picks, as the route does), each with its
    time (median of 5 runs, in this process)."""
    engine = create_engine(normalize_url(url))
    prefix = "EXPLAIN ANALYZE " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    parts = []
    query = parse_list_query(params)

    def sql_of(statement: Any) -> str:
        return str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))

    try:
        with engine.connect() as conn:
            count = build_select(APP, query, engine.dialect.name)[1]
            matches = conn.exec_driver_sql(sql_of(count)).scalar_one()
            page = build_select(APP, query, engine.dialect.name, matches)[0]
            for statement in (count, page):
                sql = sql_of(statement)
                runs = []
                for _ in range(5):
                    started = time.perf_counter()
                    conn.exec_driver_sql(sql).all()
                    runs.append((time.perf_counter() - started) * 1000)
                plan = "\n".join(str(row[-1]) for row in conn.exec_driver_sql(prefix + sql))
                head = sql.split("FROM", 1)[1].strip().replace("\n", " ")
                parts.append(f"-- {statistics.median(runs):.1f} ms: ... FROM {head}\n{plan}")
    finally:
        engine.dispose()
    return "\n\n".join(parts)


@contextmanager
def seeded(engine: str, folder: Path, clicks: int, reuse: str | None, seeding: list[str]) -> Iterator[str]:
    """The URL of a database holding the seeded clicks: ``reuse`` (migrated) or a fresh one, seeded."""
    if reuse:
        clicktrail(reuse, "migrate")
        analyze(reuse)
        seeding.append(f"- {engine}: a database seeded before ({reuse.split('://', 1)[0]})")
        yield reuse
        return
    with database(engine, folder) as url:
        clicktrail(url, "migrate")
        clicktrail(url, "apply", str(ROOT / "bench" / "bench.yaml"))
        print(f"  {engine:<10} seeding {clicks:,} clicks", file=sys.stderr)
        seeding.append(f"- {engine} seeding: {seed(url, clicks)}")
        analyze(url)
        yield url


def run(engines: list[str], seconds: int, clicks: int = CLICKS, reuse: dict[str, str] | None = None) -> str:
    """Seed, serve and measure on each engine; the results as one Markdown table (plus slow plans).
    ``reuse``: engine → the URL of a database seeded before, used instead of seeding a fresh one."""
    rows: list[Row] = []
    seeding: list[str] = []
    plans: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for engine in engines:
            with seeded(engine, folder, clicks, (reuse or {}).get(engine), seeding) as url:
                env = {"CLICKTRAIL_DATABASE_URL": url, "CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"}
                command = [sys.executable, "-m", "clicktrail", "serve"]
                with serve(command, env, folder / f"listing-{engine}.log") as server:
                    for name, params in queries().items():
                        path = f"/ib/v1/clicks?{urlencode(params)}"
                        first = httpx.get(server.url + path, headers={"Authorization": f"Bearer {IB_SECRET}"})
                        first.raise_for_status()
                        total = int(first.headers["X-Total-Count"])
                        rps, p50, p95, p99, errors = measure(server.url, path, seconds)
                        rows.append(Row(engine, name, total, rps, p50, p95, p99, errors))
                        print(f"  {engine:<10} {name:<22} p95 {p95:7.2f} ms", file=sys.stderr)
                        if p95 > TARGET_P95_MS:
                            title = f"#### {engine}: {name} (p95 {p95:.1f} ms)"
                            plans.append(f"{title}\n\n```\n{explain(url, params)}\n```")
    lines = [
        f"### clicks list over {clicks:,} clicks (first page, limit 50; wrk -c{CONNECTIONS})",
        "",
        *seeding,
        "",
        "| target | query | matches | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        mark = " ⚠" if r.p95 > TARGET_P95_MS else ""
        lines.append(
            f"| {r.engine} | {r.query} | {r.total:,} | {r.rps:.0f} | {r.p50:.2f} | {r.p95:.2f}{mark} "
            f"| {r.p99:.2f} | {r.errors} |"
        )
    if plans:
        lines += ["", f"Plans of the queries above p95 {TARGET_P95_MS:.0f} ms:", "", *plans]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="per query and engine (default 10)")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--clicks", type=int, default=CLICKS, help=f"clicks to seed (default {CLICKS:,})")
    for engine in ("sqlite", "postgresql"):
        parser.add_argument(f"--{engine}-url", help=f"reuse this {engine} database, seeded before")
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    reuse = {e: url for e in engines if (url := getattr(args, f"{e}_url"))}
    print(run(engines, args.seconds, args.clicks, reuse))


if __name__ == "__main__":
    main()
