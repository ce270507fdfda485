"""Two ``clicktrail serve`` processes on one PostgreSQL, hit at once: each code is issued at most once, each
session gets at most one coupon, each status step happens once, and nothing answers 5xx."""

from __future__ import annotations

import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import create_engine, text

from clicktrail.core.storage.db import normalize_url

from ..helpers import ADMIN
from .support import HEADERS, campaign, document

POOL = [f"RACE-{n:03d}" for n in range(8)]


def rows(database_url: str, sql: str) -> list[tuple]:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def fire(http: httpx.Client, calls: list[tuple[str, str, dict | None]]) -> list[tuple[str, httpx.Response]]:
    """Send (url, key, json) calls all at once from many threads; returns (key, response) pairs."""
    random.Random(4).shuffle(calls)
    with ThreadPoolExecutor(max_workers=24) as pool:
        responses = list(pool.map(lambda call: http.post(call[0], json=call[2], headers=HEADERS), calls))
    return [(key, response) for (_, key, _), response in zip(calls, responses, strict=True)]


def test_two_servers_issue_each_code_once(request, database_url, start_server):
    if request.node.callspec.params["database_url"] == "sqlite":
        pytest.skip("the multi-process race runs on PostgreSQL")
    servers = [start_server(database_url), start_server(database_url)]
    limits = httpx.Limits(max_connections=48, max_keepalive_connections=48)
    with httpx.Client(timeout=30, limits=limits) as http:
        doc = document(campaign(coupons={"codes": POOL}))
        assert http.put(f"{servers[0]}/admin/v1/config", json=doc, headers=ADMIN).status_code == 200

        def new_session(index: int) -> str:
            url = f"{servers[index % 2]}/smart-engage/post/create-session"
            response = http.post(url, json={"campaign_id": "spring-form"}, headers=HEADERS)
            assert response.status_code == 200, response.text
            return response.json()["session_id"]

        ready = [new_session(i) for i in range(20)]  # approved in round 1, then compete for 8 codes
        late = [new_session(i) for i in range(10)]  # approved while their coupons are asked for

        def status_call(server: str, session_id: str, status: str) -> tuple[str, str, dict]:
            body = {"session_id": session_id, "new_status": status}
            return (f"{server}/smart-engage/post/update-session-status", f"{session_id} {status}", body)

        def engage_call(server: str, session_id: str) -> tuple[str, str, None]:
            return (f"{server}/smart-engage/post/engage-v3/{session_id}", f"{session_id} coupon", None)

        # Round 1: the same steps reported to both servers at once, skip-ahead racing the step before it.
        round_one = [
            status_call(server, sid, status)
            for sid in ready
            for server in servers
            for status in ("FORM_REVIEWING", "FORM_APPROVED")
        ]
        first = fire(http, round_one)
        assert all(r.status_code in (200, 400) for _, r in first), [
            (r.status_code, r.text) for _, r in first if r.status_code not in (200, 400)
        ]
        approved = Counter(key for key, r in first if r.status_code == 200 and key.endswith("FORM_APPROVED"))
        assert approved == Counter({f"{sid} FORM_APPROVED": 1 for sid in ready})
        for key, r in first:
            if r.status_code == 400:
                assert r.json() == {"error_msg": f"Action already completed for session_id: {key.split()[0]}"}

        # Round 2: two coupon asks per session on both servers, repeats of a done step, and late sessions
        # approved while their coupons are being asked for.
        round_two = [engage_call(server, sid) for sid in ready + late for server in servers]
        round_two += [status_call(servers[i % 2], sid, "FORM_APPROVED") for i, sid in enumerate(ready + late)]
        answers = fire(http, round_two)

    assert all(r.status_code in (200, 400) for _, r in answers), [
        (r.status_code, r.text) for _, r in answers if r.status_code not in (200, 400)
    ]
    issued = {
        key.split()[0]: r.json()["coupon_code"]
        for key, r in answers
        if key.endswith("coupon") and r.status_code == 200
    }
    coupon_wins = Counter(
        key.split()[0] for key, r in answers if key.endswith("coupon") and r.status_code == 200
    )
    assert all(n == 1 for n in coupon_wins.values()), coupon_wins
    assert len(issued) == len(POOL)
    assert sorted(issued.values()) == POOL
    for key, r in answers:
        sid = key.split()[0]
        if key.endswith("coupon") and r.status_code == 400:
            assert r.json()["error_msg"] in (
                f"Coupon already issued for session_id: {sid}",
                "No coupons left for campaign spring-form",
                f"Coupon not available yet for session_id: {sid} (status must reach FORM_APPROVED)",
            )
            if sid in ready:
                assert "not available" not in r.json()["error_msg"]
        if key.endswith("FORM_APPROVED") and r.status_code == 400:
            assert r.json() == {"error_msg": f"Action already completed for session_id: {sid}"}

    # The database agrees with the answers: one session per code, the session's code is that code.
    claimed = rows(
        database_url,
        "SELECT c.code, c.session_id, s.coupon_code, s.status FROM signage_coupons c"
        " LEFT JOIN signage_sessions s ON s.id = c.session_id WHERE c.session_id IS NOT NULL",
    )
    assert {session_id: code for code, session_id, _, _ in claimed} == issued
    assert all(
        code == session_code and status == "FORM_APPROVED" for code, _, session_code, status in claimed
    )
    late_approved = Counter(
        key for key, r in answers if r.status_code == 200 and key.endswith("FORM_APPROVED")
    )
    assert late_approved == Counter({f"{sid} FORM_APPROVED": 1 for sid in late})
    steps = sum(1 for key, r in first + answers if r.status_code == 200 and not key.endswith("coupon"))
    events = rows(
        database_url, "SELECT type, count(*) FROM journey_events WHERE family = 'signage' GROUP BY type"
    )
    assert dict(events) == {"session.created": 30, "status.changed": steps, "coupon.issued": len(POOL)}
