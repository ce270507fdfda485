"""Declared reads (``Writer.submit(job, reads=...)``): a batch fetches and locks every row its jobs
declared in one statement per kind of row and app, before its first job runs; jobs read those rows and
change them through the transaction, see each other's kept changes, and leave nothing when they refuse.
On a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, bindparam, event, or_, select, tuple_, update

from clicktrail.core.journeys.webhooks import Webhook
from clicktrail.core.storage.db import create_db_engine
from clicktrail.core.storage.writer import LockedRows, Read, Refusal, Tx, Writer
from clicktrail.core.tenancy.apps import App, tenant
from clicktrail.core.web.errors import InvalidInput, NotFound

HOOKS = LockedRows(
    select=select(Webhook.id, Webhook.url, Webhook.secret)
    .where(tenant(Webhook, bindparam("app")), Webhook.id.in_(bindparam("ids", expanding=True)))
    .order_by(Webhook.id)
    .with_for_update(),
    update=update(Webhook).where(tenant(Webhook, bindparam("app")), Webhook.id == bindparam("row_id")),
)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    with engine.begin() as conn:
        conn.execute(App.__table__.insert(), [{"id": a, "name": a, "config": {}} for a in ("a", "b")])
        conn.execute(
            Webhook.__table__.insert(),
            [
                {"id": i, "app_id": app, "url": f"https://hooks.example/{i}", "secret": "s0", "events": ["*"]}
                for i, app in ((1, "a"), (2, "a"), (3, "a"), (4, "b"))
            ],
        )
    yield engine
    engine.dispose()


@pytest.fixture
def writer(engine: Engine) -> Iterator[Writer]:
    writer = Writer(engine)
    writer.start()
    yield writer
    writer.stop()


def statements(engine: Engine) -> list[str]:
    """Every statement the engine runs from now on (transaction control left out), first word each."""
    seen: list[str] = []

    def record(conn, cursor, statement: str, parameters, context, many) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT SA_", "RELEASE")):
            seen.append(statement.split()[0].upper())

    event.listen(engine, "before_cursor_execute", record)
    return seen


async def one_batch(writer: Writer, jobs: list[tuple[object, tuple[Read, ...]]]) -> list:
    """Hold the writer until every job is queued, so they meet in one batch."""
    release = threading.Event()
    first = asyncio.ensure_future(writer.submit(lambda tx: release.wait(10)))
    await asyncio.sleep(0.05)
    rest = [asyncio.ensure_future(writer.submit(job, reads=reads)) for job, reads in jobs]  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    release.set()
    await first
    return await asyncio.gather(*rest, return_exceptions=True)


def secret_step(declared: Read, expected: str, new: str):
    """A guarded step: moves the secret from ``expected`` to ``new``, or refuses."""

    def job(tx: Tx) -> str:
        row = tx.read(declared)
        if row is None:
            raise NotFound("no such hook")
        if row["secret"] != expected:
            return Refusal(InvalidInput(f"secret is {row['secret']}"))  # type: ignore[return-value]
        tx.update(declared, {"secret": new})
        return new

    return job


def secrets(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return {row.id: row.secret for row in conn.execute(select(Webhook.id, Webhook.secret))}


def test_a_batch_reads_its_declared_rows_in_one_statement(engine: Engine, writer: Writer) -> None:
    """Three guarded steps on three rows of one app: one SELECT reads and locks all three, the jobs run
    no statement of their own (so no savepoint either), one UPDATE writes the three changes."""
    reads = [Read(HOOKS, "a", i) for i in (3, 1, 2)]
    seen = statements(engine)
    results = asyncio.run(one_batch(writer, [(secret_step(r, "s0", f"s{r.row_id}"), (r,)) for r in reads]))
    assert results == ["s3", "s1", "s2"]
    assert seen.count("SELECT") == 1 and "SAVEPOINT" not in seen
    assert seen.count("UPDATE") == 1  # one executemany
    assert secrets(engine) == {1: "s1", 2: "s2", 3: "s3", 4: "s0"}


def test_jobs_see_the_changes_kept_before_them_and_a_refusal_leaves_none(
    engine: Engine, writer: Writer
) -> None:
    """On one row: s0 → x (kept), a refused step that expected s0, x → y (kept), a step that changes it and
    then refuses; the row is written once, with what the kept steps made of it."""
    r = Read(HOOKS, "a", 1)

    def change_then_refuse(tx: Tx) -> None:
        tx.update(r, {"secret": "never"})
        raise InvalidInput("changed my mind")

    steps = [secret_step(r, "s0", "x"), secret_step(r, "s0", "z"), secret_step(r, "x", "y")]
    jobs = [*steps, change_then_refuse]
    seen = statements(engine)
    results = asyncio.run(one_batch(writer, [(job, (r,)) for job in jobs]))
    assert results[0] == "x" and results[2] == "y"
    assert isinstance(results[1], InvalidInput) and isinstance(results[3], InvalidInput)
    assert seen.count("UPDATE") == 1 and seen.count("SELECT") == 1
    assert secrets(engine)[1] == "y"
    assert writer.stats.retried_batches == 0 and writer.stats.failed_jobs == 0


def test_a_row_of_another_app_is_not_found(engine: Engine, writer: Writer) -> None:
    """Hook 4 is app b's: declared as app a's, the job finds no row; b's own job finds it. Two apps,
    two statements."""
    seen = statements(engine)
    results = asyncio.run(
        one_batch(
            writer,
            [
                (secret_step(Read(HOOKS, "a", 4), "s0", "stolen"), (Read(HOOKS, "a", 4),)),
                (secret_step(Read(HOOKS, "b", 4), "s0", "mine"), (Read(HOOKS, "b", 4),)),
            ],
        )
    )
    assert isinstance(results[0], NotFound) and results[1] == "mine"
    assert seen.count("SELECT") == 2
    assert secrets(engine)[4] == "mine"


def test_a_statement_of_a_later_job_sees_the_kept_changes(engine: Engine, writer: Writer) -> None:
    """A job that reads the table with a statement of its own sees what the kept jobs changed; when it
    then fails, those changes are still written with the batch. (It declares hook 3, so the batch runs
    it after the step on hook 2: jobs that declare rows run in the order of the rows' names.)"""
    r = Read(HOOKS, "a", 2)

    def look_then_fail(tx: Tx) -> None:
        seen = tx.execute(select(Webhook.secret).where(tenant(Webhook, "a"), Webhook.id == 2)).scalar_one()
        tx.execute(update(Webhook).where(tenant(Webhook, "a"), Webhook.id == 3).values(secret="lost"))
        raise InvalidInput(f"saw {seen}")

    jobs = [(secret_step(r, "s0", "kept"), (r,)), (look_then_fail, (Read(HOOKS, "a", 3),))]
    results = asyncio.run(one_batch(writer, jobs))
    assert results[0] == "kept"
    assert str(results[1]) == "saw kept"
    assert secrets(engine) == {1: "s0", 2: "kept", 3: "s0", 4: "s0"}


def test_reading_an_undeclared_row_is_a_programming_error(engine: Engine, writer: Writer) -> None:
    def job(tx: Tx) -> None:
        tx.read(Read(HOOKS, "a", 1))

    with pytest.raises(KeyError, match="was not declared"):
        writer.run(job)


HOOKS_BY_ID_AND_URL = LockedRows(
    select=select(Webhook.id, Webhook.url, Webhook.secret)
    .where(
        tenant(Webhook, bindparam("app")),
        tuple_(Webhook.id, Webhook.url).in_(bindparam("ids", expanding=True)),
    )
    .order_by(Webhook.id)
    .with_for_update(),
    read_only=Webhook.__table__,
)


def test_a_key_of_several_columns_and_a_kind_only_read(engine: Engine, writer: Writer) -> None:
    """Rows keyed by (id, url), read in one statement; a row whose url does not match is not found; a
    kind declared only for reading refuses a change."""
    found = Read(HOOKS_BY_ID_AND_URL, "a", (1, "https://hooks.example/1"))
    wrong = Read(HOOKS_BY_ID_AND_URL, "a", (2, "https://hooks.example/1"))

    def look(declared: Read):
        def job(tx: Tx) -> str | None:
            row = tx.read(declared)
            if row is not None:
                with pytest.raises(KeyError, match="only read"):
                    tx.update(declared, {"secret": "x"})
            return None if row is None else row["secret"]

        return job

    seen = statements(engine)
    results = asyncio.run(one_batch(writer, [(look(found), (found,)), (look(wrong), (wrong,))]))
    assert results == ["s0", None]
    assert seen.count("SELECT") == 1


# (the apps named as literals, not bound: the suite's tenancy guard wants every tenant query to compare
# app_id, and the writer binds none for these)
EITHER_APP = or_(Webhook.app_id == "a", Webhook.app_id == "b")
HOOKS_BY_ID_ALONE = LockedRows(
    select=select(Webhook.id, Webhook.app_id, Webhook.secret)
    .where(EITHER_APP, Webhook.id.in_(bindparam("ids", expanding=True)))
    .order_by(Webhook.id)
    .with_for_update(),
    update=update(Webhook).where(EITHER_APP, Webhook.id == bindparam("row_id")),
)


def test_rows_found_by_key_alone_bind_no_app(engine: Engine, writer: Writer) -> None:
    """A kind whose key is a capability (a survey click's id) is read and written by key alone: its reads
    name no app, and both statements run without one."""
    reads = [Read(HOOKS_BY_ID_ALONE, None, i) for i in (4, 1)]
    seen = statements(engine)
    results = asyncio.run(one_batch(writer, [(secret_step(r, "s0", f"k{r.row_id}"), (r,)) for r in reads]))
    assert results == ["k4", "k1"]
    assert seen.count("SELECT") == 1 and seen.count("UPDATE") == 1
    assert secrets(engine) == {1: "k1", 2: "s0", 3: "s0", 4: "k4"}
