"""Write the upgrade fixture of this checkout's release: ``python -m tests.upgrade.make_fixture VERSION``.

Run it on the release's commit (the one tagged ``vVERSION``), before the next release's migrations land.
For each engine it migrates a new database, starts ``clicktrail serve`` on it, fills it through every
family's API (``fill``), then stores what a later release must find after upgrading: the database as SQL
(``sqlite.sql``, ``postgresql.sql``) and the journeys as the release answered them (``manifest.json``).
PostgreSQL comes from CLICKTRAIL_TEST_POSTGRES_URL (a scratch database is made and dropped)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from clicktrail.core.storage.migrate import upgrade
from clicktrail.families import migration_dirs

from ..helpers import ADMIN, ADMIN_TOKEN, free_port, scratch_postgres
from .fill import fill

ROOT = Path(__file__).parents[2]
RELEASES = Path(__file__).parent / "releases"


def serve(database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "CLICKTRAIL_DATABASE_URL": database_url,
        "CLICKTRAIL_ADMIN_TOKEN": ADMIN_TOKEN,
        "CLICKTRAIL_OUTBOX_POLL_SECONDS": "0",
    }
    command = [sys.executable, "-m", "clicktrail", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def record(database_url: str) -> dict[str, dict[str, list[dict[str, object]]]]:
    """Fill a migrated database through a real server; answers each journey's events as it served them."""
    server, base = serve(database_url)
    try:
        journeys = fill(base, (ROOT / "examples" / "demo.yaml").read_text())
        return {
            family: {
                journey: httpx.get(
                    f"{base}/admin/v1/apps/demo/events",
                    params={"family": family, "journey_id": journey},
                    headers=ADMIN,
                ).json()["items"]
                for journey in ids
            }
            for family, ids in journeys.items()
        }
    finally:
        server.terminate()
        server.wait(30)


def dump_sqlite(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return "\n".join(conn.iterdump()) + "\n"


def dump_postgres(url: str) -> str:
    command = ["pg_dump", "--inserts", "--no-owner", "--no-privileges", "--no-comments", url]
    dumped = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    # psql's meta-commands (pg_dump's \\restrict guard) are no SQL: the test runs the file through psycopg
    return "".join(line for line in dumped.splitlines(keepends=True) if not line.startswith("\\"))


def main(version: str) -> None:
    target = RELEASES / version
    target.mkdir(parents=True, exist_ok=True)
    manifest = {}
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "release.db"
        upgrade(f"sqlite:///{path}", migration_dirs())
        manifest["sqlite"] = record(f"sqlite:///{path}")
        (target / "sqlite.sql").write_text(dump_sqlite(path))
    with scratch_postgres(os.environ["CLICKTRAIL_TEST_POSTGRES_URL"], "clicktrail_release") as url:
        manifest["postgresql"] = record(url)
        (target / "postgresql.sql").write_text(dump_postgres(url))
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
