"""PUT /admin/v1/config works in a worker thread: a real server keeps answering while a large document is
read, checked and applied."""

from __future__ import annotations

import threading
import time

import httpx

from ..helpers import ADMIN

APPS = 10_000


def test_healthz_answers_within_a_second_while_10000_apps_apply(database_url, start_server):
    base = start_server(database_url)
    document = "apps:\n" + "".join(f"  - id: app-{i:05d}\n    name: App {i}\n" for i in range(APPS))
    applied: dict[str, httpx.Response] = {}

    def put() -> None:
        headers = {**ADMIN, "Content-Type": "application/yaml"}
        applied["answer"] = httpx.put(
            f"{base}/admin/v1/config", content=document, headers=headers, timeout=300
        )

    applying = threading.Thread(target=put)
    applying.start()
    waits: list[float] = []
    with httpx.Client(base_url=base, timeout=30) as http:
        while applying.is_alive():
            started = time.monotonic()
            assert http.get("/healthz").status_code == 200
            waits.append(time.monotonic() - started)
            time.sleep(0.1)
    applying.join()
    assert applied["answer"].status_code == 200, applied["answer"].text
    assert len(applied["answer"].json()["changes"]) == APPS
    assert max(waits) < 1.0, f"/healthz waited {max(waits):.2f} s (of {len(waits)} answers)"
    assert len(waits) >= 10, "the apply ended before /healthz could be asked during it"
