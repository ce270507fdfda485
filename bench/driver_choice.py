"""Which driver stack should clicktrail use? Measures the write path every family has: one small INSERT
per transaction, from many concurrent callers, on PostgreSQL, for

- sync SQLAlchemy 2 + psycopg 3 in a thread pool (what FastAPI does with ``def`` routes), and
- async SQLAlchemy 2 + asyncpg (what ``async def`` routes would need),

and the same sync stack on SQLite. Prints rows/s and latency percentiles.

    python -m bench.driver_choice [--seconds 5] [--concurrency 16]
    (PostgreSQL from CLICKTRAIL_BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import threading
import time
import uuid

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, text

from clicktrail.core.storage.db import create_db_engine

PG = os.environ.get("CLICKTRAIL_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
metadata = MetaData()
table = Table(
    f"bench_driver_{uuid.uuid4().hex[:8]}",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("app_id", String(64)),
    Column("payload", String(255)),
)


def report(name: str, latencies: list[float], seconds: float) -> None:
    lat = sorted(latencies)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000  # noqa: E731
    print(
        f"{name:<34} {len(lat) / seconds:>9.0f} rows/s   p50 {pct(0.5):6.2f} ms   p99 {pct(0.99):6.2f} ms"
        f"   mean {statistics.fmean(lat) * 1000:6.2f} ms"
    )


def run_sync(name: str, url: str, seconds: float, concurrency: int) -> None:
    engine = create_db_engine(url, pool_size=concurrency)
    metadata.create_all(engine)
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        mine = []
        while time.monotonic() < stop:
            start = time.perf_counter()
            with engine.begin() as conn:
                conn.execute(table.insert().values(app_id="bench", payload="x" * 64))
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report(name, latencies, time.monotonic() - began)
    metadata.drop_all(engine)
    engine.dispose()


async def run_async(name: str, url: str, seconds: float, concurrency: int) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://"), pool_size=concurrency)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    async def worker() -> None:
        while time.monotonic() < stop:
            start = time.perf_counter()
            async with engine.begin() as conn:
                await conn.execute(table.insert().values(app_id="bench", payload="x" * 64))
            latencies.append(time.perf_counter() - start)

    began = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    report(name, latencies, time.monotonic() - began)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    create_engine(PG.replace("postgresql://", "postgresql+psycopg://")).connect().execute(text("SELECT 1"))
    print(f"one INSERT per transaction, {args.concurrency} concurrent callers, {args.seconds:.0f} s each")
    run_sync("postgresql  sync  psycopg 3", PG, args.seconds, args.concurrency)
    try:
        import asyncpg  # noqa: F401
        import greenlet  # noqa: F401
    except ImportError:
        print("postgresql  async asyncpg           (skipped: pip install -e '.[bench]' to compare)")
    else:
        asyncio.run(run_async("postgresql  async asyncpg", PG, args.seconds, args.concurrency))
    with tempfile.TemporaryDirectory() as folder:
        run_sync(
            "sqlite      sync  sqlite3 (WAL)", f"sqlite:///{folder}/bench.db", args.seconds, args.concurrency
        )


if __name__ == "__main__":
    main()
