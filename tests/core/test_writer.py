"""The group-commit writer on a real database (SQLite file and PostgreSQL): concurrent jobs share one
transaction, a failing job fails alone while the rest of its batch commits, and an answered job is
committed."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event, func, select, text, update
from sqlalchemy.exc import IntegrityError

from clicktrail.core.journeys.events import append_event
from clicktrail.core.journeys.log import JourneyEvent
from clicktrail.core.journeys.webhooks import Webhook
from clicktrail.core.storage.db import create_db_engine
from clicktrail.core.storage.writer import Refusal, Tx, Writer
from clicktrail.core.tenancy.apps import App
from clicktrail.core.web.errors import InvalidInput, NotFound

EVENTS = JourneyEvent.__table__


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def writer(engine: Engine) -> Iterator[Writer]:
    writer = Writer(engine)
    writer.start()
    yield writer
    writer.stop()


def event_job(journey_id: str):
    def job(tx: Tx) -> str:
        append_event(tx, app_id="a", family="partners", journey_id=journey_id, type="click.created")
        return journey_id

    return job


def app_job(app_id: str):
    def job(tx: Tx) -> str:
        tx.insert(App.__table__, {"id": app_id, "name": app_id, "config": {}})
        return app_id

    return job


def failing_job(tx: Tx) -> None:
    append_event(tx, app_id="a", family="partners", journey_id="never", type="click.created")
    raise ValueError("refused")


def journeys(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.scalars(select(JourneyEvent.journey_id)))


def commits(engine: Engine) -> list[int]:
    seen: list[int] = []
    event.listen(engine, "commit", lambda conn: seen.append(1))
    return seen


async def submit_while_busy(writer: Writer, jobs: list) -> list:
    """Hold the writer in one job until every other job is queued, so they meet in one batch."""
    release = threading.Event()

    def blocker(tx: Tx) -> str:
        release.wait(10)
        return "blocker"

    first = asyncio.ensure_future(writer.submit(blocker))
    await asyncio.sleep(0.05)
    rest = [asyncio.ensure_future(writer.submit(job)) for job in jobs]
    await asyncio.sleep(0.05)
    release.set()
    await first
    return await asyncio.gather(*rest, return_exceptions=True)


def test_concurrent_jobs_share_one_transaction(engine: Engine, writer: Writer) -> None:
    seen = commits(engine)
    ids = [f"j{i:02d}" for i in range(20)]
    results = asyncio.run(submit_while_busy(writer, [event_job(i) for i in ids]))
    assert results == ids
    assert journeys(engine) == ids
    assert len(seen) == 2  # the blocker's batch, then all twenty together
    assert writer.stats.largest_batch == 20


def test_a_failing_job_fails_alone(engine: Engine, writer: Writer) -> None:
    jobs = [event_job("ok-1"), failing_job, event_job("ok-2")]
    results = asyncio.run(submit_while_busy(writer, jobs))
    assert results[0] == "ok-1" and results[2] == "ok-2"
    assert isinstance(results[1], ValueError)
    assert journeys(engine) == ["ok-1", "ok-2"]  # nothing of the failed job, all of the others


def test_a_constraint_met_by_buffered_rows_fails_only_its_job(engine: Engine, writer: Writer) -> None:
    writer.run(app_job("taken"))
    jobs = [app_job("new-1"), app_job("taken"), event_job("e-1"), app_job("new-2")]
    results = asyncio.run(submit_while_busy(writer, jobs))
    assert results[0] == "new-1" and results[2] == "e-1" and results[3] == "new-2"
    assert isinstance(results[1], IntegrityError)
    with engine.connect() as conn:
        assert sorted(conn.scalars(select(App.id))) == ["new-1", "new-2", "taken"]
    assert journeys(engine) == ["e-1"]


def test_a_statement_sees_the_buffered_rows_it_could_meet(engine: Engine, writer: Writer) -> None:
    """``tx.execute`` writes the buffered rows out first when the statement names a table they are for (or
    is text, which it cannot read), and leaves them buffered otherwise, to go out with the batch's rows
    in one executemany."""
    events_now = select(func.count()).select_from(EVENTS)
    apps_now = select(func.count()).select_from(App.__table__)

    def job(tx: Tx) -> list[int]:
        append_event(tx, app_id="a", family="partners", journey_id="j", type="click.created")
        seen = [tx.execute(apps_now).scalar_one()]  # another table: the event stays buffered...
        seen.append(tx.connection.execute(events_now).scalar_one())  # ...as the connection shows
        seen.append(tx.execute(events_now).scalar_one())  # its own table: written out first
        tx.insert(App.__table__, {"id": "second", "name": "s", "config": {}})
        seen.append(tx.execute(text("SELECT count(*) FROM apps")).scalar_one())  # text: written out
        tx.insert(App.__table__, {"id": "third", "name": "t", "config": {}})
        tx.execute(select(Webhook.id))  # a table whose foreign key points at apps: the app goes out first
        seen.append(tx.connection.execute(apps_now).scalar_one())
        return seen

    assert writer.run(job) == [0, 0, 1, 1, 2]
    assert journeys(engine) == ["j"]


def test_an_answered_job_is_committed(engine: Engine, writer: Writer) -> None:
    for i in range(5):
        writer.run(event_job(f"r{i}"))
        with engine.connect() as conn:  # another connection sees it at once
            assert conn.scalar(select(func.count()).select_from(EVENTS)) == i + 1


def test_stop_finishes_what_is_pending(engine: Engine) -> None:
    writer = Writer(engine)
    writer.start()
    release = threading.Event()

    async def stop_while_queued() -> list:
        first = asyncio.ensure_future(writer.submit(lambda tx: release.wait(10)))
        await asyncio.sleep(0.05)
        queued = [asyncio.ensure_future(writer.submit(event_job(f"s{i:02d}"))) for i in range(30)]
        await asyncio.sleep(0.05)
        stopper = threading.Thread(target=writer.stop)
        stopper.start()
        release.set()
        await first
        done = await asyncio.gather(*queued)
        await asyncio.to_thread(stopper.join)
        return done

    assert len(asyncio.run(stop_while_queued())) == 30
    assert len(journeys(engine)) == 30
    with pytest.raises(RuntimeError, match="not running"):
        writer.run(event_job("late"))


async def one_batch(writer: Writer, jobs: list) -> list:
    """Submit ``jobs`` while the writer is held in another job, so they run as one batch."""
    return await submit_while_busy(writer, jobs)


def writing_job(journey_id: str, runs: list[str], refuse: Exception | None = None, returns: object = None):
    """Buffers an event and an app, gathers, notes, runs an UPDATE, asks for an after-commit callback;
    then refuses (raises ``refuse``, or returns ``returns``) or succeeds."""

    if refuse is not None or returns is not None:
        failing.add(journey_id)

    def job(tx: Tx) -> object:
        runs.append(journey_id)
        assert tx.noted("last") not in failing, "a failed job's note was seen"
        append_event(tx, app_id="a", family="partners", journey_id=journey_id, type="click.created")
        tx.insert(App.__table__, {"id": f"app-{journey_id}", "name": journey_id, "config": {}})
        tx.execute(update(App.__table__).where(App.__table__.c.id == "base").values(name=journey_id))
        tx.gather(gathered_write, journey_id)
        tx.note("last", journey_id)
        tx.after_commit(lambda: called.append(journey_id))
        if refuse is not None:
            raise refuse
        return returns if returns is not None else journey_id

    return job


called: list[str] = []
written: list[list[str]] = []
failing: set[str] = set()


def gathered_write(tx: Tx, items: list[str]) -> None:
    written.append(list(items))


@pytest.mark.parametrize(
    "how", ["raises", "refuses", "returns a refusal"], ids=["error", "raised-refusal", "returned-refusal"]
)
def test_a_job_that_fails_after_writing_leaves_nothing_and_the_batch_runs_once(
    engine: Engine, writer: Writer, how: str
) -> None:
    with engine.begin() as conn:
        conn.execute(App.__table__.insert(), {"id": "base", "name": "base", "config": {}})
    called.clear()
    written.clear()
    runs: list[str] = []
    error = {"raises": ValueError("broke after writing"), "refuses": InvalidInput("refused after writing")}
    bad = (
        writing_job("k2", runs, returns=Refusal(InvalidInput("refused by value")))
        if how == "returns a refusal"
        else writing_job("k2", runs, refuse=error[how])
    )
    results = asyncio.run(one_batch(writer, [writing_job("k1", runs), bad, writing_job("k3", runs)]))
    assert results[0] == "k1" and results[2] == "k3"
    assert isinstance(results[1], ValueError if how == "raises" else InvalidInput)
    assert runs == ["k1", "k2", "k3"]  # each ran once: the batch was not run again
    assert journeys(engine) == ["k1", "k3"]
    with engine.connect() as conn:
        assert sorted(conn.scalars(select(App.id))) == ["app-k1", "app-k3", "base"]
        assert conn.scalar(select(App.name).where(App.id == "base")) == "k3"
    writer.run(lambda tx: None)  # the next batch starts once the last one's callbacks have run
    assert written == [["k1", "k3"]] and sorted(called) == ["k1", "k3"]
    assert writer.stats.retried_batches == 0
    assert writer.stats.failed_jobs == (1 if how == "raises" else 0)


def test_a_refusal_among_many_does_not_rerun_the_good_jobs(engine: Engine, writer: Writer) -> None:
    """Five refusals in a batch of fifteen (a third refused, as hostile traffic would): each good job
    runs once."""
    runs: list[str] = []
    jobs = [
        writing_job(f"r{i:02d}", runs, refuse=InvalidInput("no") if i % 3 == 1 else None) for i in range(15)
    ]
    results = asyncio.run(one_batch(writer, jobs))
    assert [isinstance(r, InvalidInput) for r in results] == [i % 3 == 1 for i in range(15)]
    assert len(runs) == 15 and writer.stats.retried_batches == 0
    assert journeys(engine) == [f"r{i:02d}" for i in range(15) if i % 3 != 1]


def test_a_failing_callback_changes_no_answer(engine: Engine, writer: Writer) -> None:
    """Waiters are answered before the after-commit work, and a callback that raises is logged and
    counted: the others still run, and no committed job is told it failed."""
    ran: list[str] = []

    def job(name: str, fail: bool):
        def run(tx: Tx) -> str:
            append_event(tx, app_id="a", family="partners", journey_id=name, type="click.created")
            tx.after_commit(
                lambda: (_ for _ in ()).throw(RuntimeError("cache broke")) if fail else ran.append(name)
            )
            return name

        return run

    results = asyncio.run(one_batch(writer, [job("c1", False), job("c2", True), job("c3", False)]))
    assert results == ["c1", "c2", "c3"]
    writer.run(lambda tx: None)  # the next batch starts once the last one's callbacks have run
    assert ran == ["c1", "c3"] and writer.stats.failed_callbacks == 1
    assert journeys(engine) == ["c1", "c2", "c3"]
    assert writer.stats.failed_jobs == 0 and writer.stats.retried_batches == 0


def test_buffered_rows_go_out_parents_first(engine: Engine, writer: Writer) -> None:
    """A child (a webhook) buffered before its parent (its app), by one job and across two: the rows
    go out in the order the foreign keys ask, whatever the order they were buffered in."""
    inserted: list[str] = []

    def note_insert(conn, cursor, statement: str, *rest) -> None:
        if statement.startswith("INSERT INTO"):
            inserted.append(statement.split()[2].strip('"'))

    event.listen(engine, "before_cursor_execute", note_insert)

    def hook(app_id: str) -> dict:
        return {"app_id": app_id, "url": "https://example.com/h", "secret": "s" * 16, "events": ["*"]}

    def child_then_parent(tx: Tx) -> str:
        tx.insert(Webhook.__table__, hook("p1"))
        tx.insert(App.__table__, {"id": "p1", "name": "p1", "config": {}})
        return "p1"

    def child(tx: Tx) -> str:
        tx.insert(Webhook.__table__, hook("p2"))
        return "child"

    def parent(tx: Tx) -> str:
        tx.insert(App.__table__, {"id": "p2", "name": "p2", "config": {}})
        return "parent"

    results = asyncio.run(one_batch(writer, [child_then_parent, child, parent]))
    assert results == ["p1", "child", "parent"] and writer.stats.retried_batches == 0
    writes = [name for name in inserted if name in ("apps", "webhooks")]
    assert writes == ["apps", "webhooks"]  # one executemany each, parents first
    with engine.connect() as conn:
        assert sorted(conn.scalars(select(Webhook.app_id))) == ["p1", "p2"]


def test_a_batch_that_deadlocked_runs_one_job_per_transaction(request, engine: Engine) -> None:
    """Another process locks the batch's rows in the opposite order, and does it again each time the batch
    runs: run again as it was, the batch would deadlock each time; its jobs run one per transaction
    instead, each holding one row, and both commit."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes one write lock per transaction: two writers cannot deadlock")
    with engine.begin() as conn:
        conn.execute(App.__table__.insert(), [{"id": i, "name": i, "config": {}} for i in ("one", "two")])
    # The writer notices a deadlock at once, the other side much later: the writer is always the victim.
    event.listen(engine, "connect", lambda dbapi, _: dbapi.execute("SET deadlock_timeout = '50ms'"))
    lock = text("SELECT id FROM apps WHERE id = :id FOR UPDATE")
    holds_one, other_holds_two, done = threading.Event(), threading.Event(), threading.Event()

    def lock_one(tx: Tx) -> str:
        tx.execute(lock, {"id": "one"})
        holds_one.set()
        other_holds_two.wait(2)
        return "one"

    def lock_two(tx: Tx) -> str:
        tx.execute(lock, {"id": "two"})
        return "two"

    def other_process() -> None:
        other = create_db_engine(request.getfixturevalue("database_url"))
        try:
            while not done.is_set():
                with other.begin() as conn:
                    conn.execute(text("SET LOCAL deadlock_timeout = '10s'"))
                    conn.execute(lock, {"id": "two"})
                    other_holds_two.set()
                    if not holds_one.wait(1):
                        return
                    holds_one.clear()
                    conn.execute(lock, {"id": "one"})  # waits for the writer's transaction to end
                    other_holds_two.clear()
        finally:
            other.dispose()

    writer = Writer(engine)
    writer.start()
    rival = threading.Thread(target=other_process)
    try:
        rival.start()
        results = asyncio.run(submit_while_busy(writer, [lock_one, lock_two]))
    finally:
        done.set()
        holds_one.set()
        rival.join()
        writer.stop()
    assert results == ["one", "two"]
    assert writer.stats.failed_jobs == 0


def test_batches_lock_the_rows_they_name_in_one_order(engine: Engine) -> None:
    """Two writers (two processes, as far as the database knows) each get a batch of two guarded steps
    on the same rows, arriving in opposite orders. In arrival order each would lock its first row, then
    wait for the other's: a deadlock. Run in the order of the rows they name, the second writer waits
    for the first, and neither batch is run again."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes one write lock per transaction: two writers cannot deadlock")
    with engine.begin() as conn:
        conn.execute(App.__table__.insert(), [{"id": i, "name": i, "config": {}} for i in ("one", "two")])
    lock = text("SELECT id FROM apps WHERE id = :id FOR UPDATE")
    first_locks = threading.Barrier(2)

    def lock_job(row: str):
        def job(tx: Tx) -> str:
            tx.execute(lock, {"id": row})
            with contextlib.suppress(threading.BrokenBarrierError):
                first_locks.wait(0.5)  # both writers hold a first row (unless one waits for the other's)
            return row

        return job

    async def both(writers: list[Writer]) -> list:
        release = threading.Event()
        blockers = [asyncio.ensure_future(w.submit(lambda tx: release.wait(10))) for w in writers]
        await asyncio.sleep(0.05)
        orders = [("one", "two"), ("two", "one")]
        jobs = [
            asyncio.ensure_future(w.submit(lock_job(row), lock=f"apps:{row}"))
            for w, order in zip(writers, orders, strict=True)
            for row in order
        ]
        await asyncio.sleep(0.05)
        release.set()
        await asyncio.gather(*blockers)
        return await asyncio.gather(*jobs, return_exceptions=True)

    writers = [Writer(engine), Writer(engine)]
    for writer in writers:
        writer.start()
    try:
        results = asyncio.run(both(writers))
    finally:
        for writer in writers:
            writer.stop()
    assert results == ["one", "two", "two", "one"]
    assert [w.stats.retried_batches for w in writers] == [0, 0]


def refusing_job(error: Exception):
    def job(tx: Tx) -> None:
        append_event(tx, app_id="a", family="signage", journey_id="refused", type="t")
        raise error

    return job


def test_a_refusal_is_the_jobs_answer_not_a_writer_failure(engine: Engine, writer: Writer) -> None:
    """A typed 4xx error (a status step refused, an unknown session) is what the client is told: the
    writer's failure and retry counts, which an operator is paged on, leave it out."""
    refusals = [InvalidInput("Invalid new_status X"), NotFound("No record with session_id: s")]
    jobs = [event_job("ok-1"), *(refusing_job(e) for e in refusals), event_job("ok-2")]
    results = asyncio.run(submit_while_busy(writer, jobs))
    assert results[0] == "ok-1" and results[3] == "ok-2"
    assert results[1:3] == refusals
    with pytest.raises(InvalidInput):
        writer.run(refusing_job(InvalidInput("alone")))
    with pytest.raises(NotFound):
        writer.run(lambda tx: (_ for _ in ()).throw(NotFound("alone")))
    assert journeys(engine) == ["ok-1", "ok-2"]
    assert (writer.stats.failed_jobs, writer.stats.retried_batches) == (0, 0)
    results = asyncio.run(submit_while_busy(writer, [failing_job, event_job("ok-3")]))
    assert isinstance(results[0], ValueError)
    assert (writer.stats.failed_jobs, writer.stats.retried_batches) == (1, 0)  # a real failure still counts
