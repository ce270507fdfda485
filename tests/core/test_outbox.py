"""The outbox delivers what committed, once per claim, and backs off on failure (real HTTP server)."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from clicktrail.core.journeys.outbox import OutboxMessage, backoff, deliver_due, enqueue
from clicktrail.core.storage.db import create_db_engine, make_sessionmaker
from clicktrail.core.storage.ids import utcnow


@pytest.fixture
def sessions(database_url):
    engine = create_db_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def messages(sessions):
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_committed_messages_are_delivered_rolled_back_ones_never(sessions, receiver):
    with sessions() as session, session.begin():
        enqueue(session, app_id="a", topic="t", url=f"{receiver.url}/one?x=1")
        enqueue(
            session,
            app_id="a",
            topic="t",
            url=f"{receiver.url}/two",
            method="POST",
            body='{"k": 1}',
            headers={"Content-Type": "application/json"},
        )
    with sessions() as session:
        session.begin()
        enqueue(session, app_id="a", topic="t", url=f"{receiver.url}/never")
        session.rollback()
    with httpx.Client() as http:
        assert deliver_due(sessions, http) == 2
        assert deliver_due(sessions, http) == 0
    assert receiver.requests == [("GET", "/one?x=1", b""), ("POST", "/two", b'{"k": 1}')]
    assert [m.status for m in messages(sessions)] == ["delivered", "delivered"]


def test_failures_back_off_then_give_up(sessions, receiver):
    receiver.status = 500
    with sessions() as session, session.begin():
        enqueue(session, app_id="a", topic="t", url=receiver.url)
    with httpx.Client() as http:
        deliver_due(sessions, http)
        [message] = messages(sessions)
        assert (message.status, message.attempts, message.last_error) == ("pending", 1, "HTTP 500")
        assert message.next_attempt_at > utcnow() + timedelta(seconds=1.5)  # 2.5-5 s with jitter
        assert deliver_due(sessions, http) == 0  # not due yet
        with sessions() as session, session.begin():
            session.execute(update(OutboxMessage).values(attempts=14, next_attempt_at=utcnow()))
        deliver_due(sessions, http)
    assert messages(sessions)[0].status == "dead"


def test_backoff_doubles_with_jitter_up_to_an_hour():
    for attempts, ceiling in ((1, 5), (2, 10), (5, 80), (30, 3600)):
        delays = {backoff(attempts).total_seconds() for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays), (attempts, delays)
        assert len(delays) > 1  # jittered, not one fixed delay


def test_concurrent_workers_send_each_message_once(sessions, receiver):
    with sessions() as session, session.begin():
        for i in range(40):
            enqueue(session, app_id="a", topic="t", url=f"{receiver.url}/{i}")

    def work():
        with httpx.Client() as http:
            while deliver_due(sessions, http, limit=5):
                pass

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    paths = sorted(p for _, p, _ in receiver.requests)
    assert paths == sorted(f"/{i}" for i in range(40))
