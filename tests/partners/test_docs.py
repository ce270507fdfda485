"""docs/partners.md works as written: its shell blocks, run in order by bash against ``clicktrail serve``
with the demo config, take each id from an earlier answer (nothing to paste) and get the answers the page
describes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from ..helpers import ADMIN

ROOT = Path(__file__).parents[2]
DOC = (ROOT / "docs" / "partners.md").read_text()
BLOCKS = re.findall(r"^```sh\n(.*?)^```", DOC, re.S | re.M)
MARK = "=== block"

pytestmark = pytest.mark.e2e


def test_no_block_asks_to_paste_an_id():
    assert len(BLOCKS) >= 8
    for block in BLOCKS:
        assert not re.search(r"[0-9a-f]{24}", block.replace("6006dda272f002519c3eb50", "")), block


def test_the_walk_through_runs(database_url, start_server):
    if shutil.which("curl") is None:
        pytest.skip("the walk-through needs curl")
    base = start_server(database_url, env={"CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"})
    demo = (ROOT / "examples" / "demo.yaml").read_text()
    applied = httpx.put(
        f"{base}/admin/v1/config", content=demo, headers={**ADMIN, "Content-Type": "application/yaml"}
    )
    assert applied.status_code == 200, applied.text
    script = "".join(f"printf '\\n{MARK} {i}\\n'\n{block}" for i, block in enumerate(BLOCKS))
    script = script.replace("http://127.0.0.1:8000", base) + "printf '\\nCLICK=%s\\n' \"$CLICK\"\n"
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    outputs = re.split(rf"^{MARK} \d+\n", done.stdout, flags=re.M)[1:]
    outputs[-1], click = outputs[-1].rsplit("\nCLICK=", 1)
    click = click.strip()
    assert re.fullmatch(r"[0-9a-f]{24}", click), done.stdout
    by_start = dict(zip((b.splitlines()[0] for b in BLOCKS), outputs, strict=True))

    def output(start: str) -> str:
        [found] = [out for first, out in by_start.items() if first.startswith(start)]
        return found

    assert '"token_type":"Bearer"' in output("BASE=")
    recorded = output("CLICK=$(curl")
    assert f'"clickId":"{click}"' in recorded and '"cdnFileUrl":"https://cdn.example/b.png"' in recorded
    assert f'"clickId":"{click}"' in output('curl -s -g "$BASE/clicks/$CLICK?')
    assert re.search(r'"profileId":"[0-9a-f]{24}"', output('curl -s -X PUT "$BASE/clicks/$CLICK"'))
    assert re.search(r'"profileId":"[0-9a-f]{24}"', output('curl -s -X PATCH "$BASE/clicks/$CLICK"'))
    listed = output('curl -s -g -D - "$BASE/clicks?')
    assert "x-total-count: 1" in listed.lower()
    assert listed.count(f'[{{"clickId":"{click}"') == 2  # both lists, the second by uri + utm + country
    assert output('curl -s -X DELETE "$BASE/clicks/$CLICK"').strip() == "204"
    assert '"ip: Field required"' in output('curl -s -X POST "$BASE/clicks"')
