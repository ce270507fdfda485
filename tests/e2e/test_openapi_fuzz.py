"""Schemathesis against the real server's /openapi.json: every operation of every family, fuzzed from its
schema, must never answer 5xx. One credential with every family scope makes each family reachable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from ..helpers import ADMIN, ADMIN_TOKEN

ST = Path(sys.executable).with_name("st")
EVERYTHING = {
    "apps": [
        {
            "id": "fuzz",
            "name": "Fuzz",
            "credentials": [
                {
                    "name": "all",
                    "secret": ADMIN_TOKEN,
                    "scopes": ["surveys", "partners", "loyalty", "signage"],
                }
            ],
        }
    ]
}


def _credentials(directory: Path) -> Path:
    """Each operation gets the credential its security scheme names, and only that one: a request with
    two credential headers is refused before any work (400), which would leave nothing fuzzed."""
    bearer = f'bearer = "{ADMIN_TOKEN}"'
    key = f'api_key = "{ADMIN_TOKEN}"'
    schemes = {
        "adminBearer": bearer,
        "partnersBearer": bearer,
        "loyaltyBearer": bearer,
        "surveysToken": key,
        "surveysUser": 'api_key = "fuzz-user"',
        "signageApiKey": key,
    }
    path = directory / "schemathesis.toml"
    path.write_text("".join(f"[auth.openapi.{name}]\n{value}\n\n" for name, value in schemes.items()))
    return path


def test_no_operation_answers_5xx(database_url, start_server, tmp_path):
    if not ST.exists():
        pytest.skip("schemathesis is not installed (pip install -e '.[test]')")
    limits_off = {
        "CLICKTRAIL_RATE_PER_IP": "0",
        "CLICKTRAIL_RATE_PER_CREDENTIAL": "0",
        "CLICKTRAIL_AUTH_FAILURES_PER_MINUTE": "0",
    }  # a fuzzer's thousands of requests (many unauthenticated) must reach the routes, not a 429
    base = start_server(database_url, env={"CLICKTRAIL_OUTBOX_POLL_SECONDS": "0", **limits_off})
    demo = (Path(__file__).parents[2] / "examples/demo.yaml").read_text()
    applied = httpx.put(
        f"{base}/admin/v1/config", content=demo, headers={**ADMIN, "Content-Type": "application/yaml"}
    )
    assert applied.status_code == 200, applied.text
    assert httpx.put(f"{base}/admin/v1/config", json=EVERYTHING, headers=ADMIN).status_code == 200
    paths = httpx.get(f"{base}/openapi.json").json()["paths"]
    for prefix in ("/v2/client/", "/ib/v1/", "/client/users/", "/smart-engage/", "/admin/v1/"):
        assert any(p.startswith(prefix) for p in paths), prefix
    result = subprocess.run(
        [
            str(ST),
            "--config-file",
            str(_credentials(tmp_path)),
            "run",
            f"{base}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--phases",
            "examples,fuzzing,stateful",
            "--max-examples",
            "10",
            "--seed",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,  # schemathesis keeps a cache in the working directory
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout[-4000:]
