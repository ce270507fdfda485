"""Two real server processes on one PostgreSQL database: concurrent registrations of one click register it
once (one event, one postback, one profile), and concurrent reports of one click uuid record one click."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from ..helpers import ADMIN
from .conftest import AUTH, SEED_PROFILE, document, seed_click
from .test_clicks import events, rows


@pytest.fixture
def servers(database_url, start_server):
    if not database_url.startswith("postgresql"):
        pytest.skip("race tests need two processes on PostgreSQL")
    env = {"CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"}
    bases = [start_server(database_url, env=env), start_server(database_url, env=env)]
    assert httpx.put(f"{bases[0]}/admin/v1/config", json=document(), headers=ADMIN).status_code == 200
    return bases


def _fire(requests):
    def send(item):
        method, url, body = item
        return httpx.request(method, url, json=body, headers=AUTH, timeout=30)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def test_concurrent_registrations_and_reports(servers, database_url):
    from clicktrail.core.journeys.outbox import OutboxMessage
    from clicktrail.partners.models import PartnerClick, PartnerProfile

    click = httpx.post(f"{servers[0]}/ib/v1/clicks", json=seed_click(), headers=AUTH).json()["clickId"]
    responses = _fire([("PUT", f"{servers[i % 2]}/ib/v1/clicks/{click}", SEED_PROFILE) for i in range(8)])
    assert [r.status_code for r in responses] == [200] * 8
    assert len({r.json()["profileId"] for r in responses}) == 1
    types = [e["type"] for e in events(database_url)]
    assert types.count("click.registered") == 1 and types.count("profile.updated") == 7
    assert len(rows(database_url, OutboxMessage)) == 1
    assert len(rows(database_url, PartnerProfile)) == 1

    # Concurrent reports of one click uuid record one click (the same servers, to start them once).
    body = seed_click(uuid="ext-race")
    responses = _fire([("POST", f"{servers[i % 2]}/ib/v1/clicks", body) for i in range(8)])
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["clickId"] for r in responses}) == 1
    assert len([c for c in rows(database_url, PartnerClick) if c["uuid"] == "ext-race"]) == 1
    assert [e["type"] for e in events(database_url)].count("click.created") == 2
