"""Races between two real server processes on one PostgreSQL: a click advances once per question, and
quota caps hold (never one complete or open click too many)."""

from __future__ import annotations

import copy
import threading
from urllib.parse import urlsplit

import httpx
import pytest

from clicktrail.surveys.callbacks import sign

from ..helpers import ADMIN
from .support import CALLBACK_SECRET, SURVEYS, Wall, callbacks, document, rows

pytestmark = pytest.mark.e2e


@pytest.fixture
def servers(database_url, start_server):
    if database_url.startswith("sqlite"):
        pytest.skip("races run on PostgreSQL (SQLite serializes writers)")
    env = {"CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"}
    return [start_server(database_url, env=env), start_server(database_url, env=env)]


def configure(base, doc):
    r = httpx.put(f"{base}/admin/v1/config", json=doc, headers=ADMIN, timeout=30)
    assert r.status_code == 200, r.text


def together(calls):
    """Run the calls at once (one thread each, released by one barrier); returns their responses."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        with httpx.Client(timeout=30) as http:
            barrier.wait()
            results[index] = call(http)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_races_between_two_servers(servers, database_url):
    """One pair of servers for three races (each on its own survey, so they don't meet)."""
    a, b = servers
    surveys = copy.deepcopy(SURVEYS)
    surveys[0]["quota"] = {"completes": 2}
    surveys[2]["quota"] = {"open_clicks": 3}
    configure(a, document(list=surveys))
    same_answer_advances_the_click_once(a, b, database_url)
    completes_cap_holds(a, b, database_url)
    open_clicks_cap_holds(a, b, database_url)


def same_answer_advances_the_click_once(a, b, database_url):
    body = {"answer_question": {"answers": ["1980-01-01"]}}
    for n in range(8):
        with httpx.Client(base_url=a) as http:
            click = Wall(http, user=f"racer-{n}").click("srv-all")
        url = f"/v2/client/clicks/{click}"
        results = together(
            [lambda h, base=base, url=url: h.post(f"{base}{url}", json=body) for base in (a, b)]
        )
        statuses = sorted(r.status_code for r in results)
        assert statuses == [200, 422], [r.text for r in results]
        [refused] = [r for r in results if r.status_code == 422]
        # raced: NO_OPEN_QUESTION; or it came after and met the next question (a SINGLE one)
        assert refused.json()["data"]["code"] in ("NO_OPEN_QUESTION", "UNKNOWN_ANSWER")
        state = httpx.get(f"{b}{url}").json()["data"]
        assert state["answered_questions"] == 1
        answered = rows(
            database_url,
            "SELECT count(*) FROM journey_events WHERE journey_id = :j AND type = 'question.answered'",
            j=click,
        )
        assert answered == [(1,)]


def completes_cap_holds(a, b, database_url):
    clicks = []
    with httpx.Client(base_url=a) as http:
        for n in range(8):
            wall = Wall(http, user=f"user-{n}")
            click = wall.click("srv-auto")
            wall.answer(click, "1980-01-01")
            wall.answer(click, "1")
            assert wall.answer(click, "12345")["redirect"]["type"] == "survey"
            clicks.append(click)

    def complete(base, click):
        target = f"/v2/server/clicks/{click}/complete?ts=1"
        return lambda h: h.get(f"{base}{target}&hash={sign(target, CALLBACK_SECRET)}")

    results = together([complete((a, b)[i % 2], c) for i, c in enumerate(clicks)])
    ok = [r for r in results if r.status_code == 200]
    assert len(ok) == 2, [r.text for r in results]
    assert all(r.status_code == 422 for r in results if r.status_code != 200)
    assert {r.json()["data"]["code"] for r in results if r.status_code == 422} <= {
        "QUOTA_FULL",
        "INVALID_STATE",
    }
    assert rows(
        database_url,
        "SELECT completes, open_clicks FROM survey_quotas WHERE app_id = 'acme' AND survey_id = 'srv-auto'",
    ) == [(2, 0)]
    assert len(callbacks(database_url)) == 2
    statuses = rows(
        database_url,
        "SELECT status, count(*) FROM survey_clicks WHERE survey_id = 'srv-auto'"
        " GROUP BY status ORDER BY status",
    )
    assert statuses == [("completed", 2), ("terminated", 6)]


def open_clicks_cap_holds(a, b, database_url):
    urls = []
    with httpx.Client(base_url=a) as http:
        for n in range(10):
            url = urlsplit(Wall(http, user=f"de-{n}").click_url("srv-de", client_country="DE"))
            urls.append(f"{url.path}?{url.query}")
    results = together([lambda h, i=i, u=u: h.post(f"{(a, b)[i % 2]}{u}") for i, u in enumerate(urls)])
    assert all(r.status_code == 200 for r in results)
    # the users' first clicks: the profile question is open on the three that got in
    assert rows(
        database_url,
        "SELECT status, count(*) FROM survey_clicks WHERE survey_id = 'srv-de'"
        " GROUP BY status ORDER BY status",
    ) == [("open", 3), ("terminated", 7)]
    assert rows(
        database_url, "SELECT open_clicks FROM survey_quotas WHERE app_id = 'acme' AND survey_id = 'srv-de'"
    ) == [(3,)]
