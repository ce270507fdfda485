"""Two real server processes on one PostgreSQL database: finalize books once, enrolment happens once."""

from __future__ import annotations

import threading
from functools import partial

import httpx
import pytest
from sqlalchemy import create_engine, text

from clicktrail.core.storage.db import normalize_url

from ..helpers import ADMIN
from .conftest import AUTH, DOC, activity, new_cid

pytestmark = pytest.mark.e2e


def both(calls):
    """Run two calls at the same moment; returns their responses in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def servers(database_url, start_server):
    if not database_url.startswith("postgresql"):
        pytest.skip("the two-process race runs on PostgreSQL")
    bases = [start_server(database_url), start_server(database_url)]
    assert httpx.put(f"{bases[0]}/admin/v1/config", json=DOC, headers=ADMIN).status_code == 200
    return bases


def count(database_url, sql, **params):
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def test_concurrent_finalize_books_once(servers, database_url):
    a, b = servers
    rounds = 6
    for n in range(rounds):
        cid = new_cid()
        r = httpx.post(f"{a}/client/users/racer/sessions", json={"correlationId": cid}, headers=AUTH)
        assert r.status_code == 200
        body = activity("50.00", callId=f"call-{n}")
        url = f"/client/users/{cid}/activity/finalize/v2"
        first, second = both(
            [
                partial(httpx.post, a + url, json=body, headers=AUTH, timeout=30),
                partial(httpx.post, b + url, json=body, headers=AUTH, timeout=30),
            ]
        )
        assert (first.status_code, second.status_code) == (200, 200), (first.text, second.text)
        assert first.content == second.content
    assert count(database_url, "SELECT count(*) FROM loyalty_transactions") == rounds
    assert (
        count(database_url, "SELECT points_balance FROM loyalty_members WHERE account_id = 'racer'")
        == rounds * 1100
    )
    assert (
        count(database_url, "SELECT count(*) FROM journey_events WHERE type = 'transaction.finalized'")
        == rounds
    )


def test_concurrent_finalize_with_different_call_ids_books_one(servers, database_url):
    a, b = servers
    for n in range(4):
        cid = new_cid()
        assert (
            httpx.post(
                f"{a}/client/users/anonymous/sessions", json={"correlationId": cid}, headers=AUTH
            ).status_code
            == 200
        )
        url = f"/client/users/{cid}/activity/finalize/v2"
        results = both(
            [
                partial(
                    httpx.post, a + url, json=activity("5.00", callId=f"a-{n}"), headers=AUTH, timeout=30
                ),
                partial(
                    httpx.post, b + url, json=activity("5.00", callId=f"b-{n}"), headers=AUTH, timeout=30
                ),
            ]
        )
        assert sorted(r.status_code for r in results) == [200, 400]
        refused = next(r for r in results if r.status_code == 400)
        assert (
            refused.json()["errorMessage"]
            == "Session correlation ID is already finalized--start a new session"
        )
    assert count(database_url, "SELECT count(*) FROM loyalty_transactions") == 4


def test_concurrent_first_sight_enrols_once(servers, database_url):
    a, b = servers
    for n in range(4):
        identifier = f"new-{n}@example.com"
        results = both(
            [
                partial(
                    httpx.post,
                    f"{base}/client/users/{identifier}/sessions",
                    json={"correlationId": new_cid()},
                    headers={**AUTH, "X-Identifier-Type": "EMAIL"},
                    timeout=30,
                )
                for base in (a, b)
            ]
        )
        assert [r.status_code for r in results] == [200, 200], [r.text for r in results]
        assert results[0].json()["loyaltyId"] == results[1].json()["loyaltyId"]
        assert sorted(r.json()["enrolled"] for r in results) == [False, True]
    assert count(database_url, "SELECT count(*) FROM loyalty_members") == 4


def test_one_call_id_sent_to_two_processes_is_one_trial(servers, database_url):
    a, b = servers
    for n in range(6):
        cid = new_cid()
        r = httpx.post(f"{a}/client/users/racer/sessions", json={"correlationId": cid}, headers=AUTH)
        assert r.status_code == 200
        url = f"/client/users/{cid}/activity/trial/v2"
        body = activity("46.50", callId=f"trial-{n}")
        first, second = both(
            [
                partial(httpx.post, a + url, json=body, headers=AUTH, timeout=30),
                partial(httpx.post, b + url, json=body, headers=AUTH, timeout=30),
            ]
        )
        assert (first.status_code, second.status_code) == (200, 200), (first.text, second.text)
        assert first.content == second.content
    assert count(database_url, "SELECT count(*) FROM loyalty_trials") == 6
    assert count(database_url, "SELECT count(*) FROM loyalty_prompts") == 12
