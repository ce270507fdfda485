"""deploy/clicktrail.service as systemd 252 (Debian 12) judges it, offline, and the README's install
steps: they name the files, paths and user the unit and the nginx site use."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "deploy" / "clicktrail.service"
README = (ROOT / "README.md").read_text()
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")

needs_systemd = pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


@needs_systemd
def test_the_unit_is_sandboxed():
    result = subprocess.run(
        [str(SYSTEMD_ANALYZE), "security", "--offline=true", "--no-pager", str(UNIT)],
        capture_output=True, text=True,
    )  # fmt: skip
    found = re.search(r"Overall exposure level for clicktrail\.service: (\d+\.\d+)", result.stdout)
    assert found, result.stdout + result.stderr
    assert float(found[1]) <= 2.0, result.stdout
    assert unit_settings()["UMask"] == ["0077"]


@needs_systemd
def test_the_unit_verifies(tmp_path):
    """``systemd-analyze verify`` in a scratch root: systemd's own units, and the venv's clicktrail where
    ExecStart expects it (verify checks that the command exists)."""
    shutil.copytree("/usr/lib/systemd/system", tmp_path / "usr/lib/systemd/system", symlinks=True)
    (tmp_path / "etc/systemd/system").mkdir(parents=True)
    shutil.copy(UNIT, tmp_path / "etc/systemd/system/clicktrail.service")
    command = Path(unit_settings()["ExecStart"][0].split()[0])
    fake = tmp_path / command.relative_to("/")
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    result = subprocess.run(
        [str(SYSTEMD_ANALYZE), "verify", f"--root={tmp_path}", "--man=no", "clicktrail.service"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ignoring" not in result.stderr and "Unknown" not in result.stderr, result.stderr


def install_section() -> str:
    start = README.index("### Installing on Debian 12")
    return README[start : README.index("\n### ", start + 1)]


def test_the_install_steps_use_the_units_paths_and_user():
    steps = "\n".join(re.findall(r"```sh\n(.*?)```", install_section(), re.S))
    settings = unit_settings()
    venv = settings["ExecStart"][0].split("/bin/clicktrail")[0]
    assert f"python3 -m venv {venv}" in steps
    assert f"{venv}/bin/pip install" in steps
    assert settings["EnvironmentFile"][0] in steps
    assert f"CLICKTRAIL_DATABASE_URL=sqlite:///{settings['ReadWritePaths'][0]}/" in steps
    assert re.search(rf"useradd .*\b{settings['User'][0]}\b", steps)
    assert "systemctl enable --now clicktrail" in steps
    for migrate in ("migrate", "apply"):
        assert re.search(rf"clicktrail {migrate}\b|\bct {migrate}\b", steps), migrate
    for path in re.findall(r"\b((?:deploy|examples)/[\w./-]+)", steps):
        assert (ROOT / path).is_file(), path
    assert "deploy/nginx.conf" in steps and "deploy/clicktrail.service" in steps
    parsed = subprocess.run(["bash", "-n"], input=steps, capture_output=True, text=True)
    assert parsed.returncode == 0, parsed.stderr  # every block pastes into a shell as it is
