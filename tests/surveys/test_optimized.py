"""The surveys flow under ``python -O``, which drops ``assert`` statements: no rule may live in one."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a child interpreter with -O; the checks are explicit (asserts would be dropped there too).
FLOW = """
import sys
from fastapi.testclient import TestClient
from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from tests.helpers import ADMIN, ADMIN_TOKEN, LOOPBACK
from tests.surveys.support import Wall, document, event_types

def check(ok, what):
    if not ok:
        sys.exit(what)

url = sys.argv[1]
settings = Settings(database_url=url, admin_token=ADMIN_TOKEN, geoip_db=None, outbound_allow=LOOPBACK)
with TestClient(create_app(settings)) as client:
    check(client.put("/admin/v1/config", json=document(), headers=ADMIN).status_code == 200, "config")
    wall = Wall(client)
    click = wall.click("srv-auto")
    for answer in ("1980-01-01", "1", "12345"):
        state = wall.answer(click, answer)
    check(state.get("redirect", {}).get("type") == "survey", f"not qualified: {state}")
    check(event_types(url, click)[-1] == "click.qualified", f"events: {event_types(url, click)}")
print("qualified")
"""


def test_a_qualifying_click_under_python_O(database_url):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-O", "-c", FLOW, database_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout.strip() == "qualified", done.stderr[-3000:]


def test_no_side_effect_hides_in_an_assert():
    """An ``assert`` in the server may only narrow a type; never call anything inside one."""
    for path in (ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Assert):
                calls = [n for n in ast.walk(node.test) if isinstance(n, ast.Call)]
                assert not calls, f"{path}:{node.lineno} calls {ast.unparse(calls[0])} inside an assert"
