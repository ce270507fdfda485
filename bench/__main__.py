"""``make bench``: every scenario against a real ``clicktrail serve`` (pinned to CPU 0) on SQLite and
PostgreSQL, driven by wrk (pinned to CPU 1), next to a bare Starlette app under the same uvicorn settings.
Prints one table per scenario; rows are counted in the database and set against the 2xx/3xx answers.

Two scenarios are read against another's run on the same engine. "signage status, a third refused" sets
its good answers against "signage status" (what refused jobs cost the writer's batches). "partners click"
sets its clicks against "partners click, no write (ceiling)": the same requests through the same app and
settings on a second server (bench/ceiling.py) whose writer runs each job but never reaches the database,
so it writes no rows; the issue wants ingest at 0.6 of that ceiling or more.

    python -m bench [--seconds 10] [--engine sqlite|postgresql|both] [--scenario NAME ...] [--write-results]
                    [--listing]

``--listing`` adds the clicks list over 1,000,000 seeded clicks (bench/listing.py; seeding takes minutes).
``--metrics`` adds the admin metrics and funnels and every dashboard page over 1,000,000 seeded clicks
(bench/metrics.py).

PostgreSQL: an admin URL in CLICKTRAIL_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test);
the bench creates and drops its own database. ``python -m bench.driver_choice`` is a separate benchmark.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import listing, metrics
from .harness import ROOT, Load, analyze, clicktrail, count, database, serve, wrk
from .scenarios import BARE, SCENARIOS, Scenario

CONNECTIONS = 32
# wrk sends thousands of requests a second with one credential from one address: the load under test.
UNLIMITED = {
    "CLICKTRAIL_RATE_PER_IP": "0",
    "CLICKTRAIL_RATE_PER_CREDENTIAL": "0",
    "CLICKTRAIL_AUTH_FAILURES_PER_MINUTE": "0",
}

WARM_UP_SECONDS = 2
PYTHON = sys.executable
# The servers a scenario may run against: the product, and the same app with a writer that never
# reaches the database (bench/ceiling.py). Both find bench/ and the source tree as this process does.
SERVERS = {
    "clicktrail": [PYTHON, "-m", "clicktrail", "serve"],
    "ceiling": [PYTHON, "-m", "bench.ceiling"],
}
PYTHONPATH = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


@dataclass
class Result:
    scenario: str
    target: str  # "bare", "sqlite", "postgresql"
    load: Load
    rows: int | None
    rss_idle: float
    rss: float


def run_scenarios(
    scenarios: list[Scenario],
    command: list[str],
    env: dict[str, str],
    folder: Path,
    seconds: int,
    target: str,
    url: str | None = None,
) -> list[Result]:
    results = []
    with serve(command, env, folder / f"{target}.log") as server:
        idle = server.rss_mib()
        for scenario in scenarios:
            # A short run first, then fresh planner statistics: a server that has run for a minute has
            # had autovacuum analyze its tables; one measured cold would be planned for empty ones. Each
            # run gets its own prepared sessions or clicks (a journey step is done once).
            warm_up = scenario.prepare(server.url, folder, WARM_UP_SECONDS)
            wrk(server.url, scenario.lua, WARM_UP_SECONDS, CONNECTIONS, warm_up)
            if url:
                analyze(url)
            args = scenario.prepare(server.url, folder, seconds)
            before = count(url, scenario.rows_sql) if url else None
            load = wrk(server.url, scenario.lua, seconds, CONNECTIONS, args)
            time.sleep(0.5)  # requests wrk gave up on at the deadline may still be finishing
            rows = count(url, scenario.rows_sql) - before if url else None
            results.append(Result(scenario.name, target, load, rows, idle, server.rss_mib()))
            print(f"  {target:<10} {scenario.name:<16} {load.rps:8.0f} req/s", file=sys.stderr)
    return results


def table(results: list[Result], bare: dict[str, Result], scenario: Scenario, every: list[Result]) -> str:
    lines = [
        f"### {scenario.name}",
        "",
        "| target | req/s | p50 ms | p99 ms | p99.9 ms | errors | 2xx/3xx | rows in DB | ratio to bare "
        "| RSS idle → after MiB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    base = bare[scenario.bare]
    for r in [base, *results]:
        load = r.load
        ratio = load.rps / base.load.rps
        rows = "" if r.rows is None else str(r.rows)
        lines.append(
            f"| {r.target} | {load.rps:.0f} | {load.p50_ms:.2f} | {load.p99_ms:.2f} | {load.p999_ms:.2f} "
            f"| {load.errors}{statuses(load)} | {load.answered(200, 400)} | {rows} | {ratio:.3f} "
            f"| {r.rss_idle:.0f} → {r.rss:.0f} |"
        )
    if scenario.versus is not None:
        others = [r for r in every if r.scenario == scenario.versus]
        lines += ["", *against(results, others, scenario.versus, scenario.aim)]
    return "\n".join(lines)


def against(results: list[Result], others: list[Result], other: str, aim: float | None = None) -> list[str]:
    """The good answers per second of each engine's run, set against the other scenario's (all good),
    and against the share of it the issue aims at, if any."""
    lines = []
    for r in results:
        base = next((o for o in others if o.target == r.target), None)
        if base is None:
            continue
        good = r.load.answered(200, 300) / r.load.seconds
        share = good / base.load.rps
        wanted = "" if aim is None else f" (aim: at least {aim:.2f}, {'met' if share >= aim else 'not met'})"
        lines.append(
            f"- {r.target}: {good:.0f} good answers/s (of {r.load.rps:.0f} req/s) against {other}'s "
            f"{base.load.rps:.0f} req/s all good, {share:.2f} of it{wanted}"
        )
    return lines


def run_engine(engine: str, scenarios: list[Scenario], folder: Path, seconds: int) -> list[Result]:
    """One database with bench.yaml applied; each server that some scenario asks for started on it in
    turn (``clicktrail serve``, then the ceiling, which reads its config and credentials from it too)."""
    results: list[Result] = []
    with database(engine, folder) as url:
        clicktrail(url, "migrate")
        clicktrail(url, "apply", str(ROOT / "bench" / "bench.yaml"))
        env = {"CLICKTRAIL_DATABASE_URL": url, "CLICKTRAIL_OUTBOX_POLL_SECONDS": "0", **UNLIMITED}
        env.update(PYTHONPATH)
        for server, command in SERVERS.items():
            chosen = [s for s in scenarios if s.server == server]
            if chosen:
                results += run_scenarios(chosen, command, env, folder, seconds, engine, url)
    return results


def statuses(load: Load) -> str:
    bad = {s: n for s, n in sorted(load.statuses.items()) if not 200 <= s < 400}
    return f" ({', '.join(f'{n} x {s}' for s, n in bad.items())})" if bad else ""


def header(seconds: int) -> str:
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"- machine: {nproc} CPUs, {model}\n- commit: {commit}\n- date: {date}\n"
        f"- load: wrk -t1 -c{CONNECTIONS} -d{seconds}s on CPU 1; each server one uvicorn process on CPU 0\n"
        "- errors: socket errors + answers neither 2xx nor 3xx (by status); rows in DB: rows the scenario "
        f"added, to set against 2xx/3xx (up to {CONNECTIONS} more: requests in flight when wrk stops are "
        "finished by the server but not counted by wrk)\n"
        "- ratio to bare: req/s over the bare Starlette app's (POST: JSON body parsed, 201; GET: 302)"
    )


def main() -> None:
    names = [s.name for s in SCENARIOS]
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="per scenario and target (default 10)")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scenario", action="append", choices=names, help="repeat for several; default all")
    parser.add_argument("--write-results", action="store_true", help="also write bench/RESULTS.md")
    parser.add_argument("--listing", action="store_true", help="also the clicks list over 1M seeded clicks")
    parser.add_argument("--metrics", action="store_true", help="also metrics and pages over 1M clicks")
    args = parser.parse_args()
    scenarios = [s for s in SCENARIOS if s.name in (args.scenario or names)]
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"bare Starlette baseline, then {', '.join(engines)}; {args.seconds} s each", file=sys.stderr)
        bare_app = [PYTHON, "-m", "uvicorn", "bench.bare_app:app", "--proxy-headers", "--no-access-log"]
        needed = [BARE[b] for b in sorted({s.bare for s in scenarios})]
        measured = run_scenarios(needed, bare_app, PYTHONPATH, folder, args.seconds, "bare")
        bare = {b.bare: r for b, r in zip(needed, measured, strict=True)}
        for engine in engines:
            results += run_engine(engine, scenarios, folder, args.seconds)
    tables = [table([r for r in results if r.scenario == s.name], bare, s, results) for s in scenarios]
    if args.listing:
        tables.append(listing.run(engines, args.seconds))
    if args.metrics:
        tables.append(metrics.run(engines))
    text = f"{header(args.seconds)}\n\n" + "\n\n".join(tables) + "\n"
    print(text)
    if args.write_results:
        write_results(ROOT / "bench" / "RESULTS.md", text)
        print("\nwrote bench/RESULTS.md", file=sys.stderr)


LATEST = ("<!-- latest run: written by `python -m bench --write-results` -->", "<!-- end of latest run -->")


def write_results(path: Path, text: str) -> None:
    """Replace the latest run's section of RESULTS.md; what is written by hand around it stays."""
    page = path.read_text() if path.exists() else "# clicktrail benchmark results\n\n"
    start, end = LATEST
    section = f"{start}\n{text}\n{end}"
    if start in page and end in page:
        before, rest = page.split(start, 1)
        page = before + section + rest.split(end, 1)[1]
    else:
        page = page.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(page)


if __name__ == "__main__":
    main()
