"""The real ``clicktrail`` command, as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from ..helpers import ADMIN


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLICKTRAIL_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "clicktrail", *args], env=env, capture_output=True, text=True
    )


def test_serve_refuses_an_unmigrated_database(tmp_path):
    result = run_cli("serve", "--port", "1", database_url=f"sqlite:///{tmp_path}/empty.db")
    assert result.returncode == 1
    assert "run `clicktrail migrate` first" in result.stderr


def test_migrate_apply_serve(tmp_path, start_server):
    url = f"sqlite:///{tmp_path}/e2e.db"
    assert run_cli("migrate", database_url=url).returncode == 0
    applied = run_cli("apply", "examples/demo.yaml", database_url=url)
    assert applied.returncode == 0, applied.stderr
    assert "demo: app created" in applied.stdout
    base = start_server(url, workers=2)
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    apps = httpx.get(f"{base}/admin/v1/apps", headers=ADMIN).json()
    assert [a["id"] for a in apps] == ["demo"]


def test_serve_on_the_test_databases(database_url, start_server):
    base = start_server(database_url)
    assert httpx.get(f"{base}/healthz").status_code == 200
