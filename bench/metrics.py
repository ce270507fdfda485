"""``python -m bench --metrics`` (or ``python -m bench.metrics``): metrics over a million clicks.

Per engine: a fresh database, ``clicktrail seed-clicks`` (which fills the rollups as it goes), ``clicktrail
serve``, then each metrics query of a 30-day range answered 20 times in a row (one at a time: the time of
one answer). The target (issue 9/9) is ≤ 300 ms."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from .harness import ROOT, clicktrail, database, serve
from .listing import seed
from .scenarios import APP

CLICKS = 1_000_000
RUNS = 20
TARGET_MS = 300.0
TOKEN = "bench-admin-token"
QUERIES = {
    "by day (UTC)": {"family": "partners"},
    "by day (America/New_York)": {"family": "partners", "tz": "America/New_York"},
    "by country": {"family": "partners", "group_by": "country"},
    "by utm_campaign": {"family": "partners", "group_by": "utm_campaign"},
    "by referrer_host": {"family": "partners", "group_by": "referrer_host"},
    "by verdict": {"family": "partners", "group_by": "verdict"},
}


def run(engines: list[str], clicks: int = CLICKS) -> str:
    lines = [
        f"### metrics over {clicks:,} clicks (30 days; {RUNS} answers in a row each)",
        "",
        "| target | query | clicks counted | p50 ms | p95 ms | max ms |",
        "|---|---|--:|--:|--:|--:|",
    ]
    seeding = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for engine in engines:
            with database(engine, folder) as url:
                clicktrail(url, "migrate")
                clicktrail(url, "apply", str(ROOT / "bench" / "bench.yaml"))
                print(f"  {engine:<10} seeding {clicks:,} clicks", file=sys.stderr)
                seeding.append(f"- {engine} seeding (rollups included): {seed(url, clicks)}")
                env = {"CLICKTRAIL_DATABASE_URL": url, "CLICKTRAIL_ADMIN_TOKEN": TOKEN}
                command = [sys.executable, "-m", "clicktrail", "serve"]
                with serve(command, env, folder / f"metrics-{engine}.log") as server:
                    for name, params in QUERIES.items():
                        path = f"{server.url}/admin/v1/apps/{APP}/metrics"
                        headers = {"Authorization": f"Bearer {TOKEN}"}
                        times, total = [], 0
                        with httpx.Client(headers=headers, timeout=60) as client:
                            for _ in range(RUNS + 2):
                                started = time.perf_counter()
                                answer = client.get(path, params=params)
                                times.append((time.perf_counter() - started) * 1000)
                                answer.raise_for_status()
                                total = answer.json()["totals"]["clicks"]
                        times = sorted(times[2:])  # two warm-up answers left out
                        p95 = times[int(len(times) * 0.95) - 1]
                        mark = " ⚠" if p95 > TARGET_MS else ""
                        lines.append(
                            f"| {engine} | {name} | {total:,} | {statistics.median(times):.1f} "
                            f"| {p95:.1f}{mark} | {times[-1]:.1f} |"
                        )
                        print(f"  {engine:<10} {name:<28} p95 {p95:7.1f} ms", file=sys.stderr)
    return "\n".join([*lines[:2], *seeding, "", *lines[2:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--clicks", type=int, default=CLICKS, help=f"clicks to seed (default {CLICKS:,})")
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    print(run(engines, args.clicks))


if __name__ == "__main__":
    main()
