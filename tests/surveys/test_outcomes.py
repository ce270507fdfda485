"""Outcomes the survey side reports (signed), the vendor-style callbacks they cause, and quotas."""

from __future__ import annotations

import copy
from urllib.parse import parse_qs, urlsplit

from clicktrail.surveys.callbacks import sign

from ..helpers import configure
from .support import CALLBACK_SECRET, SURVEYS, Wall, callbacks, document, event_types, rows


def qualified(client, user, survey="srv-auto"):
    wall = Wall(client, user=user)
    click = wall.click(survey)
    wall.answer(click, "1980-01-01")
    wall.answer(click, "1")
    assert wall.answer(click, "12345")["redirect"]["type"] == "survey"
    return wall, click


def report(client, click, outcome, secret=CALLBACK_SECRET, query="ts=1"):
    target = f"/v2/server/clicks/{click}/{outcome}?{query}"
    return client.get(f"{target}&hash={sign(target, secret)}")


def with_quota(**quota):
    surveys = copy.deepcopy(SURVEYS)
    surveys[0]["quota"] = quota
    return document(list=surveys)


def check_signed(url):
    head, _, digest = url.rpartition("&hash=")
    assert sign(head, CALLBACK_SECRET) == digest
    return {k: v[0] for k, v in parse_qs(urlsplit(head).query).items()}


def test_complete_then_reconciliation(client, database_url):
    configure(client, document())
    wall, click = qualified(client, "user-1")
    r = report(client, click, "complete")
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"id": click, "status": "completed", "end_reason": None}
    assert report(client, click, "complete").json()["data"] == r.json()["data"]  # a retry changes nothing
    [complete] = callbacks(database_url)
    params = check_signed(complete)
    assert params["uid"] == "user-1" and params["val"] == "120" and params["raw"] == "1.2"
    assert params["type"] == "COMPLETE" and params["tx"].isalnum() and len(params["tx"]) == 32
    assert "srv-auto" not in [s["id"] for s in wall.surveys()]
    assert wall.state(click)["redirect"]["type"] == "survey"
    assert event_types(database_url, click)[-1] == "survey.completed"

    assert report(client, click, "reconciliation").status_code == 200
    assert report(client, click, "reconciliation").status_code == 200
    [_, reversal] = callbacks(database_url)
    params = check_signed(reversal)
    assert (params["type"], params["val"], params["raw"]) == ("RECONCILIATION", "-120", "-1.2")
    assert event_types(database_url, click)[-1] == "survey.reconciled"


def test_signature_and_states(client, database_url):
    configure(client, document(screenout_reward="0.05"))
    wall, click = qualified(client, "user-1")
    r = report(client, click, "complete", secret="wrong-secret")
    assert r.status_code == 401 and r.json()["status"] == "error"
    target = f"/v2/server/clicks/{click}/complete?ts=1"
    tampered = f"/v2/server/clicks/{click}/complete?ts=2&hash={sign(target, CALLBACK_SECRET)}"
    assert client.get(tampered).status_code == 401
    assert client.get(f"/v2/server/clicks/{click}/complete").status_code == 400
    assert client.get(f"/v2/server/clicks/{click}/bogus?hash={'0' * 40}").status_code == 400
    assert report(client, "00000000-0000-0000-0000-000000000000", "complete").status_code == 404
    assert report(client, click, "reconciliation").json()["data"]["code"] == "INVALID_STATE"
    open_click = Wall(client, user="user-2").click("srv-auto")
    assert report(client, open_click, "complete").json()["data"]["code"] == "INVALID_STATE"
    assert callbacks(database_url) == []
    # screened out inside the survey: termination, and the screen-out reward's callback
    path = f"/v2/server/clicks/{click}/screenout"
    r = client.post(f"{path}?hash={sign(path, CALLBACK_SECRET)}")
    assert r.status_code == 200 and r.json()["data"]["status"] == "screened_out"
    assert wall.state(click)["redirect"]["type"] == "termination"
    [cb] = callbacks(database_url)
    assert check_signed(cb)["type"] == "SCREENOUT" and check_signed(cb)["val"] == "5"
    # a screen-out during qualification pays the screen-out reward too
    other = Wall(client, user="user-3")
    c = other.click("srv-auto")
    other.answer(c, "1980-01-01")
    other.answer(c, "2")
    assert [check_signed(u)["type"] for u in callbacks(database_url)] == ["SCREENOUT", "SCREENOUT"]


def test_completes_quota_closes_the_survey(client, database_url):
    configure(client, with_quota(completes=1))
    _, first = qualified(client, "user-1")
    second_wall, second = qualified(client, "user-2")
    third_wall = Wall(client, user="user-3")
    stale = third_wall.click_url("srv-auto")
    third = third_wall.click("srv-auto")
    assert report(client, first, "complete").json()["data"]["status"] == "completed"
    for wall, click in ((second_wall, second), (third_wall, third)):
        state = wall.state(click)
        assert state["redirect"]["type"] == "termination" and "answer_question" not in state
        assert event_types(database_url, click)[-1] == "click.terminated"
    assert "quota_full" in str(
        rows(database_url, "SELECT payload FROM journey_events WHERE journey_id = :j", j=second)[-1][0]
    )
    assert report(client, second, "complete").json()["data"]["code"] == "INVALID_STATE"
    assert "srv-auto" not in [s["id"] for s in Wall(client, user="user-4").surveys()]
    url = urlsplit(stale)
    late = client.post(f"{url.path}?{url.query}").json()["data"]["id"]
    assert third_wall.state(late)["redirect"]["type"] == "termination"
    counters = rows(
        database_url,
        "SELECT completes, open_clicks FROM survey_quotas WHERE app_id = 'acme' AND survey_id = 'srv-auto'",
    )
    assert counters == [(1, 0)]
    assert len(callbacks(database_url)) == 1


def test_open_clicks_quota(client):
    configure(client, with_quota(open_clicks=1))
    a, b = Wall(client, user="user-a"), Wall(client, user="user-b")
    stale = b.click_url("srv-auto")
    click = a.click("srv-auto")
    assert "srv-auto" not in [s["id"] for s in b.surveys()]
    url = urlsplit(stale)
    refused = client.post(f"{url.path}?{url.query}").json()["data"]["id"]
    state = b.state(refused)
    assert state["redirect"]["type"] == "termination" and state["required_questions"] == 0
    assert state["question_mode"] == "default"
    a.post(click, {"leave_survey": {"reason": "OTHER"}})
    assert "srv-auto" in [s["id"] for s in b.surveys()]
    state = b.state(b.click("srv-auto"))
    assert state["question_mode"] == "first" and state["answer_question"]["question"]["id"] == "q-birthdate"


def test_country_quota(client):
    configure(client, with_quota(countries={"US": {"completes": 1}}))
    _, click = qualified(client, "user-1")
    report(client, click, "complete")
    assert "srv-auto" not in [s["id"] for s in Wall(client, user="user-2").surveys()]
    # the US cap lifted, a cap on another country leaves US users alone
    configure(client, with_quota(countries={"CA": {"completes": 0}}))
    assert "srv-auto" in [s["id"] for s in Wall(client, user="user-2").surveys()]


def test_callback_is_delivered_signed_by_the_outbox(client, database_url):
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        template = f"http://127.0.0.1:{port}/cb?uid=[%UID%]&val=[%VAL%]&tx=[%TX%]&type=[%TYPE%]"
        configure(client, document(callback_url=template))
        _, click = qualified(client, "user 1/x")
        report(client, click, "complete")
        deadline = time.monotonic() + 20  # the app's outbox worker polls every second
        while time.monotonic() < deadline and rows(database_url, "SELECT status FROM outbox") != [
            ("delivered",)
        ]:
            time.sleep(0.1)
        assert rows(database_url, "SELECT status FROM outbox") == [("delivered",)]
        [path] = received
        head, _, digest = path.rpartition("&hash=")
        assert sign(f"http://127.0.0.1:{port}{head}", CALLBACK_SECRET) == digest
        assert head.startswith("/cb?uid=user%201%2Fx&val=120&tx=") and head.endswith("&type=COMPLETE")
    finally:
        server.shutdown()
        server.server_close()
