"""The real ``clicktrail`` command, as an operator runs it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import httpx
import pytest

from ..helpers import ADMIN, free_port, wait_until


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLICKTRAIL_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "clicktrail", *args], env=env, capture_output=True, text=True
    )


def test_serve_refuses_an_unmigrated_database(tmp_path):
    (tmp_path / "empty.db").touch()
    result = run_cli("serve", "--port", "1", database_url=f"sqlite:///{tmp_path}/empty.db")
    assert result.returncode == 1
    assert "run `clicktrail migrate` first" in result.stderr


@pytest.mark.parametrize(
    "command", [["serve", "--port", "1"], ["apply", "x.yaml"], ["purge"], ["backup", "b"]]
)
def test_a_missing_database_file_is_refused_and_not_created(tmp_path, command):
    missing = tmp_path / "missing.db"
    result = run_cli(*command, database_url=f"sqlite:///{missing}")
    assert result.returncode == 1
    assert f"the database file {missing} does not exist: run `clicktrail migrate`" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_database_and_backups_are_the_owners_alone(tmp_path, start_server):
    """Mode 0600 whatever the umask: the database, its -wal and -shm, and a backup."""
    url = f"sqlite:///{tmp_path}/private.db"
    previous = os.umask(0o022)  # the usual umask, which alone would give 0644
    try:
        assert run_cli("migrate", database_url=url).returncode == 0
        base = start_server(url)
        put = httpx.put(f"{base}/admin/v1/config", json={"apps": [{"id": "a", "name": "A"}]}, headers=ADMIN)
        assert put.status_code == 200, put.text
        assert run_cli("backup", str(tmp_path / "copy.db"), database_url=url).returncode == 0
    finally:
        os.umask(previous)
    files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir() if ".db" in p.name}
    assert {"private.db", "private.db-wal", "private.db-shm", "copy.db"} <= set(files)
    assert files == dict.fromkeys(files, 0o600)


def test_demo_runs_from_any_directory(tmp_path):
    """The demo config is packaged, and its database goes to the user's data directory, not the cwd."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLICKTRAIL_")}
    env |= {"XDG_DATA_HOME": str(tmp_path / "data"), "CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"}
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    demo = subprocess.Popen(
        [sys.executable, "-m", "clicktrail", "demo", "--port", str(port)],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            try:
                return demo.poll() is not None or httpx.get(f"{base}/healthz", timeout=1).is_success
            except httpx.TransportError:
                return False

        wait_until(up, timeout=60)
        assert demo.poll() is None
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        apps = httpx.get(f"{base}/admin/v1/apps", headers={"Authorization": "Bearer demo-admin-token"})
        assert [a["id"] for a in apps.json()] == ["demo"]
    finally:
        demo.terminate()
        output = demo.communicate(timeout=15)[0].decode()
    assert list(workdir.iterdir()) == [], output
    assert (tmp_path / "data" / "clicktrail" / "demo.db").is_file()


def test_the_packaged_demo_config_is_examples_demo_yaml():
    root = Path(__file__).resolve().parents[2]
    packaged = files("clicktrail") / "demo.yaml"
    assert packaged.read_text() == (root / "examples" / "demo.yaml").read_text()


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
