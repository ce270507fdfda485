"""Run a page's walk-through as a reader pastes it: its ```sh blocks, in order, by bash against a running
server with the demo config, from the repository's root (blocks may name `examples/demo.yaml`). Each run
answers every block's first line with its output. Pasting twice must work as well as once."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from .helpers import ADMIN, ADMIN_TOKEN

ROOT = Path(__file__).parents[1]
DEMO_BASE = "http://127.0.0.1:8000"
DEMO_ADMIN_TOKEN = "demo-admin-token"  # what `make demo` sets
MARK = "=== block"


def blocks(page: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", (ROOT / page).read_text(), re.S | re.M)


def apply_demo(base: str) -> None:
    demo = (ROOT / "examples" / "demo.yaml").read_text()
    headers = {**ADMIN, "Content-Type": "application/yaml"}
    applied = httpx.put(f"{base}/admin/v1/config", content=demo, headers=headers)
    assert applied.status_code == 200, applied.text


def walk_through(
    page: str,
    base: str,
    *,
    epilogue: str = "",
    starting: tuple[str, ...] = ("",),
    cwd: Path = ROOT,
) -> list[tuple[str, str]]:
    """One run of ``page``'s blocks (those whose first line starts with one of ``starting``: all, by
    default) against ``base``, in ``cwd``; ``epilogue`` is shell run after the last block (its output is the
    last block's too). Fails on any error exit or any line on stderr."""
    if shutil.which("curl") is None:
        pytest.skip("walk-throughs need curl")
    found = [block for block in blocks(page) if block.startswith(starting)]
    script = "".join(f"printf '\\n{MARK} {i}\\n'\n{block}" for i, block in enumerate(found)) + epilogue
    script = script.replace(DEMO_BASE, base).replace(DEMO_ADMIN_TOKEN, ADMIN_TOKEN)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60, cwd=cwd
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    outputs = re.split(rf"^{MARK} \d+\n", done.stdout, flags=re.M)[1:]
    return list(zip((block.splitlines()[0] for block in found), outputs, strict=True))


def output(run: list[tuple[str, str]], start: str) -> str:
    """The output of the blocks whose first line starts with ``start``, in order."""
    found = [out for first, out in run if first.startswith(start)]
    assert found, start
    return "".join(found)
