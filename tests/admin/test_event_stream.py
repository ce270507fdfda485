"""``GET /admin/v1/apps/{app}/events/stream``: each journey event once it commits, from any server
process (PostgreSQL ``LISTEN/NOTIFY``, SQLite polling), resumable with ``Last-Event-ID``."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from ..helpers import ADMIN, configure
from ..signage.support import HEADERS, document

CREATE = "/smart-engage/post/create-session"
STREAM = "/admin/v1/apps/demo/events/stream"
FAST = {"CLICKTRAIL_STREAM_HEARTBEAT_SECONDS": "0.3"}


class Stream:
    """An SSE client on its own thread: what it received, message by message."""

    def __init__(self) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.comments = 0
        self.opened = threading.Event()
        self.done = threading.Event()

    def read(self, http: httpx.Client, url: str, headers: dict[str, str]) -> None:
        try:
            with http.stream("GET", url, headers=headers) as answer:
                assert answer.status_code == 200, answer.read()
                assert answer.headers["content-type"].startswith("text/event-stream")
                self.opened.set()
                fields: dict[str, str] = {}
                for line in answer.iter_lines():
                    if self.done.is_set():
                        return
                    if line.startswith(":"):
                        self.comments += 1
                    elif line == "" and "data" in fields:
                        event = json.loads(fields["data"])
                        assert fields["id"] == str(event["id"])  # Last-Event-ID: the event's id
                        self.events.put(event)
                        fields = {}
                    elif ":" in line:
                        name, _, value = line.partition(":")
                        fields[name] = value.removeprefix(" ")
        except httpx.HTTPError:
            pass

    def next(self, timeout: float = 5.0) -> dict[str, Any]:
        return self.events.get(timeout=timeout)


@contextmanager
def streaming(base: str, query: str = "", **headers: str) -> Iterator[Stream]:
    stream = Stream()
    http = httpx.Client(timeout=httpx.Timeout(10, read=5))
    thread = threading.Thread(
        target=stream.read, args=(http, f"{base}{STREAM}{query}", {**ADMIN, **headers}), daemon=True
    )
    thread.start()
    assert stream.opened.wait(10), "the stream did not open"
    try:
        yield stream
    finally:
        stream.done.set()
        http.close()
        thread.join(timeout=10)


def create_session(http: httpx.Client, base: str) -> None:
    answer = http.post(base + CREATE, json={"campaign_id": "spring-form"}, headers=HEADERS)
    assert answer.is_success, answer.text


def listed(http: httpx.Client, base: str, after: int) -> list[dict[str, Any]]:
    return http.get(f"{base}/admin/v1/apps/demo/events", params={"after": after}, headers=ADMIN).json()[
        "items"
    ]


def test_an_event_another_process_commits_arrives_within_a_second(database_url, start_server):
    reader, writer = start_server(database_url, env=FAST), start_server(database_url, env=FAST)
    with httpx.Client(timeout=10) as http:
        assert http.put(f"{writer}/admin/v1/config", json=document(), headers=ADMIN).is_success
        create_session(http, writer)  # before the stream: not sent
        with streaming(reader) as everything, streaming(reader, "?family=loyalty") as loyalty:
            for base in (writer, reader):  # another process's commit, then this one's
                time.sleep(0.5)
                started = time.monotonic()
                create_session(http, base)
                event = everything.next()
                waited = time.monotonic() - started
                assert waited < 1.0, f"the event arrived after {waited:.2f} s"
                assert event["family"] == "signage"
                assert [event] == listed(http, base, event["id"] - 1)[:1]  # the events list's shape
            assert everything.events.empty()  # each event once; the one before the stream never
            time.sleep(0.5)
            assert everything.comments >= 1  # heartbeats keep an idle stream open
        assert loyalty.events.empty()  # the family filter


def test_last_event_id_replays_what_was_missed(database_url, start_server):
    base = start_server(database_url, env=FAST)
    with httpx.Client(timeout=10) as http:
        assert http.put(f"{base}/admin/v1/config", json=document(), headers=ADMIN).is_success
        with streaming(base) as stream:
            create_session(http, base)
            seen = stream.next()["id"]
        for _ in range(3):  # while no one listens
            create_session(http, base)
        missed = [item["id"] for item in listed(http, base, seen)]
        assert len(missed) == 3
        with streaming(base, **{"Last-Event-ID": str(seen)}) as resumed:
            assert [resumed.next()["id"] for _ in missed] == missed
            create_session(http, base)  # and then goes on live
            assert resumed.next()["id"] > missed[-1]
        with streaming(base, f"?after={missed[0]}") as from_query:
            assert [from_query.next()["id"] for _ in missed[1:]] == missed[1:]


def open_streams(http: httpx.Client, base: str) -> float:
    scraped = http.get(f"{base}/metrics", headers=ADMIN).text
    return float(
        next(line for line in scraped.splitlines() if line.startswith("clicktrail_event_streams ")).split()[1]
    )


def test_a_client_that_leaves_ends_its_stream(database_url, start_server):
    base = start_server(database_url, env={**FAST, "CLICKTRAIL_METRICS": "token"})
    with httpx.Client(timeout=10) as http:
        assert http.put(f"{base}/admin/v1/config", json=document(), headers=ADMIN).is_success
        assert open_streams(http, base) == 0
        with streaming(base), streaming(base, "?family=signage"):
            assert open_streams(http, base) == 2
        started = time.monotonic()
        while open_streams(http, base) and time.monotonic() - started < 5:
            time.sleep(0.05)
        assert open_streams(http, base) == 0, "a stream outlived its client"


def test_a_stream_is_refused_before_it_starts(client):
    configure(client, document())
    assert client.get(STREAM).status_code == 401
    assert client.get(STREAM, headers={"Authorization": "Bearer wrong"}).status_code == 401
    missing = client.get("/admin/v1/apps/nope/events/stream", headers=ADMIN)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    for bad in ({"Last-Event-ID": "x1"}, {"Last-Event-ID": "-1"}, {"Last-Event-ID": str(2**63)}):
        answer = client.get(STREAM, headers={**ADMIN, **bad})
        assert answer.status_code == 400, bad
        assert "Last-Event-ID" in answer.json()["detail"]
    assert client.get(STREAM + "?family=bogus", headers=ADMIN).status_code == 400
    assert client.get(STREAM + "?after=-1", headers=ADMIN).status_code == 400
