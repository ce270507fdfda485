"""``python -m bench.cpu``: where a partners click's CPU time goes, in µs per click.

One real server (``clicktrail serve``, pinned to CPU 0) takes partners clicks from wrk (CPU 1) while
py-spy samples its threads; each thread's CPU time is read from ``/proc`` before and after, and split
in the proportions of that thread's samples (idle ones left out by py-spy). A sample belongs to the
innermost frame whose code owns it:

- **server**: uvicorn, httptools and asyncio on the event loop (parsing, the transport, scheduling);
- **layers**: what every request passes (request id, metrics, access log, edge headers, limits);
- **route**: the partners route itself (auth, validation, enrichment, the hand-off to the writer, the
  response), FastAPI, pydantic and Starlette's request and response objects included;
- **writer Python**: the writer thread's own work (batching, the jobs, SQLAlchemy's Python side);
- **storage**: the writer thread inside the database driver (SQLite's C work, or psycopg and the wait
  for PostgreSQL's answers);
- **other**: the other threads (config watcher, event bell).

    python -m bench.cpu [--seconds 10] [--engine sqlite|postgresql]

Run it with another checkout's ``src`` first on ``PYTHONPATH`` to measure that code (a *before*).
py-spy samples at 200 Hz without stopping the process (``--nonblocking``); it runs on CPU 1 with wrk.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .__main__ import CONNECTIONS, UNLIMITED, WARM_UP_SECONDS
from .harness import ROOT, WRK_CPU, clicktrail, count, database, serve, wrk
from .scenarios import IB_SECRET

CATEGORIES = ("server", "layers", "route", "writer Python", "storage", "other")
# Innermost owner wins: a frame's file is matched against these, leaf first.
LAYER_MODULES = ("front", "arrival", "observability", "edge", "limits", "logs", "http", "histogram")
LAYERS = tuple(f"clicktrail/core/web/{name}.py" for name in LAYER_MODULES)
ROUTE = ("clicktrail/", "fastapi/", "pydantic", "starlette/")
SERVER = ("uvicorn/", "asyncio/", "httptools", "uvloop")
# The writer thread inside the driver: psycopg's own Python, or SQLAlchemy's call into sqlite3's C code.
STORAGE = ("psycopg/", "psycopg_pool/", "_GatedConnection.")
DRIVER_CALLS = frozenset({"do_execute", "do_executemany", "do_commit", "do_rollback"})


def owner(frames: list[str], writer: bool) -> str:
    """The category of one sample (frames root first, each ``function (file:line)``)."""
    if writer:
        leaf = frames[-1] if frames else ""
        function = leaf.split(" (", 1)[0].rsplit(".", 1)[-1]
        in_driver = function in DRIVER_CALLS or any(part in leaf for part in STORAGE)
        return "storage" if in_driver else "writer Python"
    for frame in reversed(frames):
        for category, parts in (("layers", LAYERS), ("route", ROUTE), ("server", SERVER)):
            if any(part in frame for part in parts):
                return category
    return "server"


def thread_cpu(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of each thread of ``pid``."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        seconds[int(task.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def samples(raw: Path) -> dict[int, Counter[str]]:
    """Per thread id, the samples of each category, from py-spy's raw (collapsed) output."""
    by_thread: dict[int, Counter[str]] = {}
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        thread, *frames = stack.split(";")
        tid = int(thread.split("(", 1)[1].split(")", 1)[0])
        name = thread.split(": ", 1)[1] if ": " in thread else ""
        writer = "clicktrail-writer" in name
        category = owner(frames, writer) if writer or name == "MainThread" else "other"
        by_thread.setdefault(tid, Counter())[category] += int(n)
    return by_thread


def split(cpu: dict[int, float], by_thread: dict[int, Counter[str]], clicks: int) -> dict[str, float]:
    """µs per click of each category: each thread's CPU shared out by its samples."""
    total: Counter[str] = Counter()
    for tid, seconds in cpu.items():
        counted = by_thread.get(tid)
        if not counted:
            total["other"] += seconds
            continue
        n = sum(counted.values())
        for category, k in counted.items():
            total[category] += seconds * k / n
    return {c: total[c] * 1e6 / clicks for c in CATEGORIES}


def measure(engine: str, seconds: int, folder: Path) -> tuple[dict[str, float], float]:
    with database(engine, folder) as url:
        clicktrail(url, "migrate")
        clicktrail(url, "apply", str(ROOT / "bench" / "bench.yaml"))
        env = {"CLICKTRAIL_DATABASE_URL": url, "CLICKTRAIL_OUTBOX_POLL_SECONDS": "0", **UNLIMITED}
        with serve([sys.executable, "-m", "clicktrail", "serve"], env, folder / "cpu.log") as server:
            wrk(server.url, "partners.lua", WARM_UP_SECONDS, CONNECTIONS, [IB_SECRET])
            rows_before = count(url, "SELECT count(*) FROM partner_clicks")
            before_cpu = thread_cpu(server.proc.pid)
            raw = folder / f"{engine}.raw"
            spy = subprocess.Popen(
                ["taskset", "-c", WRK_CPU, shutil.which("py-spy") or "py-spy", "record", "--pid",
                 str(server.proc.pid), "--format", "raw", "--threads", "--nonblocking", "--rate", "200",
                 "--duration", str(seconds), "--output", str(raw)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            load = wrk(server.url, "partners.lua", seconds, CONNECTIONS, [IB_SECRET])
            after_cpu = thread_cpu(server.proc.pid)
            spy.wait(seconds + 30)
            time.sleep(0.5)
            clicks = count(url, "SELECT count(*) FROM partner_clicks") - rows_before
    cpu = {tid: after_cpu[tid] - before_cpu.get(tid, 0.0) for tid in after_cpu}
    return split(cpu, samples(raw), clicks), load.rps


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        per_click, rps = measure(args.engine, args.seconds, Path(tmp))
    import clicktrail

    print(f"{args.engine}, code at {Path(clicktrail.__file__).parent}: {rps:.0f} clicks/s")
    print("| " + " | ".join(CATEGORIES) + " | total |")
    print("|" + "--:|" * (len(CATEGORIES) + 1))
    figures = [f"{per_click[c]:.0f}" for c in CATEGORIES]
    print("| " + " | ".join(figures) + f" | {sum(per_click.values()):.0f} |")


if __name__ == "__main__":
    main()
