"""The write path under load, with real server processes: a SIGKILL mid-load loses no acknowledged
click (a 2xx means committed), and two processes writing one SQLite file answer no 5xx."""

from __future__ import annotations

import os
import signal
import threading
import time

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from clicktrail.core.storage.db import normalize_url
from clicktrail.partners.models import PartnerClick
from clicktrail.signage.models import JourneySession

from ..helpers import ADMIN
from ..partners.conftest import AUTH, document

SIGNAGE_KEY = "signage-key"
# Eight threads on one address are load, not abuse: measure the write path, not the limits.
UNLIMITED = {"CLICKTRAIL_RATE_PER_IP": "0", "CLICKTRAIL_RATE_PER_CREDENTIAL": "0"}


def configure(base: str) -> None:
    doc = document()
    doc["apps"][0]["credentials"].append({"name": "screens", "secret": SIGNAGE_KEY, "scopes": ["signage"]})
    doc["apps"][0]["signage"] = {
        "campaigns": [{"id": "spring", "form_url": "https://brand.example/form", "statuses": ["DONE"]}]
    }
    response = httpx.put(f"{base}/admin/v1/config", json=doc, headers=ADMIN, timeout=30)
    assert response.status_code == 200, response.text


def click_body(worker: int, n: int) -> dict:
    return {
        "ip": f"10.{worker}.{n // 250 % 250}.{n % 250 + 1}",
        "uri": f"https://my.stage.org/register?referral=1&utm_source=w{worker}",
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
    }


def hammer(bases: list[str], seconds: float, workers: int = 8) -> tuple[list[str], list[int], list[str]]:
    """Clicks (and scans) from ``workers`` threads until time is up or the server is gone; returns the
    acknowledged click ids, every status seen, and the scans' session ids."""
    acked: list[str] = []
    statuses: list[int] = []
    sessions: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work(worker: int) -> None:
        base = bases[worker % len(bases)]
        with httpx.Client(timeout=30) as http:
            n = 0
            while time.monotonic() < stop:
                n += 1
                try:
                    if n % 4 == 0:
                        r = http.get(f"{base}/smart-engage/scan/acme/spring", follow_redirects=False)
                        found = r.headers.get("location", "").rpartition("session_id=")[2]
                    else:
                        r = http.post(f"{base}/ib/v1/clicks", json=click_body(worker, n), headers=AUTH)
                        found = r.json().get("clickId", "") if r.status_code == 201 else ""
                except httpx.TransportError:
                    return  # the server is gone
                with lock:
                    statuses.append(r.status_code)
                    if found:
                        (sessions if n % 4 == 0 else acked).append(found)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return acked, statuses, sessions


def stored(database_url: str, model, ids: list[str]) -> int:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            found = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                found += conn.scalar(select(func.count()).select_from(model).where(model.id.in_(chunk)))
            return found
    finally:
        engine.dispose()


@pytest.mark.e2e
def test_a_killed_server_loses_no_acknowledged_click(database_url, start_server):
    base = start_server(database_url, env=UNLIMITED)
    configure(base)
    server = start_server.processes[-1]
    killer = threading.Timer(1.5, os.kill, args=(server.pid, signal.SIGKILL))
    killer.start()
    acked, statuses, sessions = hammer([base], seconds=10)
    killer.join()
    assert server.wait(timeout=10) == -signal.SIGKILL
    assert len(acked) > 50, "the load never got going"
    assert not [s for s in statuses if s >= 500]
    assert stored(database_url, PartnerClick, acked) == len(acked)
    assert stored(database_url, JourneySession, sessions) == len(sessions)


@pytest.mark.e2e
def test_two_processes_share_one_sqlite_file(tmp_path, sqlite_template, start_server):
    url = f"sqlite:///{tmp_path}/shared.db"
    (tmp_path / "shared.db").write_bytes(sqlite_template.read_bytes())
    bases = [start_server(url, env=UNLIMITED), start_server(url, env=UNLIMITED)]
    configure(bases[0])
    time.sleep(0.1)
    acked, statuses, sessions = hammer(bases, seconds=3)
    assert statuses and set(statuses) <= {201, 302}, sorted(set(statuses))
    assert stored(url, PartnerClick, acked) == len(acked)
    assert stored(url, JourneySession, sessions) == len(sessions)
