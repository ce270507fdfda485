"""PUT /admin/v1/config works in a worker thread: a real server keeps answering while a large document is
read, checked and applied."""

from __future__ import annotations

import threading
import time

import httpx

from clicktrail.core.config import pacing

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


def test_paced_work_pauses_in_a_worker_thread_and_never_on_the_main_thread(monkeypatch):
    clock = iter(range(10_000))  # each look at the clock is 1 ms of work
    pauses: list[float] = []
    monkeypatch.setattr(pacing, "monotonic", lambda: next(clock) / 1000)
    monkeypatch.setattr(pacing, "sleep", pauses.append)

    def work() -> None:
        for _ in range(100):
            pacing.pace()

    work()
    assert pauses == []  # `clicktrail apply` shares the interpreter with no one
    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    # 100 ms of work: a pause after each EVERY (20 ms) of it; a pause's own look at the clock counts too
    assert len(pauses) == 4 and set(pauses) == {pacing.PAUSE}
