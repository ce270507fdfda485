"""Time partitioning (PostgreSQL) and row retention (both engines): partner_clicks and journey_events are
partitioned by month, with the months ahead and a DEFAULT partition; a retried click uuid still returns the
recorded click; row retention drops whole months past the cutoff and deletes the rest row by row; and the
migration keeps the rows it partitions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine

from clicktrail.core.journeys.retention import expire
from clicktrail.core.storage import partitions
from clicktrail.core.storage.db import make_sessionmaker, normalize_url
from clicktrail.core.storage.ids import utcnow
from clicktrail.core.storage.migrate import alembic_config, upgrade
from clicktrail.families import FAMILIES, migration_dirs

from ..helpers import scratch_postgres
from ..retention_support import sql
from .conftest import AUTH, create

TABLES = (("partner_clicks", "create_time"), ("journey_events", "created_at"))


def _with_conn(database_url, work):
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.begin() as conn:
            return work(conn)
    finally:
        engine.dispose()


def _expire(database_url, days, now=None):
    engine = create_engine(normalize_url(database_url))
    try:
        return expire(make_sessionmaker(engine), FAMILIES, days=days, now=now)
    finally:
        engine.dispose()


def _backdate(database_url, click_id, at):
    """Move a click and its events to ``at`` (on PostgreSQL into that month's partition, made first, and
    its uuid's reservation with it, as if it had been recorded then)."""
    if database_url.startswith("postgresql"):
        for table, key in TABLES:
            _with_conn(
                database_url, lambda c, t=table, k=key: partitions.ensure(c, t, k, partitions.month_of(at))
            )
        sql(
            database_url,
            "UPDATE partner_click_uuids SET create_time = :t WHERE click_id = :i",
            t=at,
            i=click_id,
        )
    sql(database_url, "UPDATE partner_clicks SET create_time = :t WHERE id = :i", t=at, i=click_id)
    sql(database_url, "UPDATE journey_events SET created_at = :t WHERE journey_id = :i", t=at, i=click_id)


def _post(ib, uuid):
    return ib.post("/ib/v1/clicks", json={"ip": "81.2.69.160", "uri": "https://my.stage.org/x", "uuid": uuid},
                   headers=AUTH)  # fmt: skip


def test_click_and_event_tables_are_partitioned_by_month_on_postgresql(ib, database_url):
    if database_url.startswith("sqlite"):
        indexes = sql(database_url, "SELECT sql FROM sqlite_master WHERE tbl_name = 'partner_clicks'")
        assert any("UNIQUE (app_id, uuid)" in (s or "") for (s,) in indexes)  # unchanged on SQLite
        return
    now = utcnow()
    for table, _ in TABLES:
        names = {
            name
            for name, _, _ in _with_conn(database_url, lambda c, t=table: partitions.month_partitions(c, t))
        }
        ahead = {
            partitions.partition_name(table, partitions.add_months(partitions.month_of(now), n))
            for n in range(3)
        }
        assert ahead <= names, table
        assert sql(database_url, "SELECT 1 FROM pg_class WHERE relname = :n", n=f"{table}_default") == [(1,)]
    click = create(ib)
    where = sql(
        database_url, "SELECT tableoid::regclass::text FROM partner_clicks WHERE id = :i", i=click["clickId"]
    )
    assert where == [(partitions.partition_name("partner_clicks", partitions.month_of(now)),)]


def test_a_retried_uuid_returns_the_recorded_click_wherever_it_is_stored(ib, database_url):
    first = _post(ib, "u-1")
    assert first.status_code == 201, first.text
    click_id = first.json()["clickId"]
    _backdate(database_url, click_id, utcnow() - timedelta(days=70))  # another month's partition
    again = _post(ib, "u-1")
    assert (again.status_code, again.json()["clickId"]) == (200, click_id)
    assert ib.delete(f"/ib/v1/clicks/{click_id}", headers=AUTH).status_code == 204
    fresh = _post(ib, "u-1")  # deleting a click releases its uuid
    assert fresh.status_code == 201 and fresh.json()["clickId"] != click_id


def test_row_retention_drops_whole_months_and_deletes_the_rest_row_by_row(ib, database_url):
    now = utcnow()
    days = 45
    cutoff = now - timedelta(days=days)
    ids = {uuid: _post(ib, uuid).json()["clickId"] for uuid in ("old", "edge", "new")}
    old_month = partitions.add_months(partitions.month_of(now), -3)  # ends before the cutoff
    _backdate(database_url, ids["old"], old_month + timedelta(days=1))
    _backdate(database_url, ids["edge"], cutoff - timedelta(seconds=1))
    assert _expire(database_url, None, now)["deleted"] == {}  # unset: rows are kept
    report = _expire(database_url, days, now)
    left = sql(database_url, "SELECT id FROM partner_clicks")
    assert left == [(ids["new"],)]
    assert {j for (j,) in sql(database_url, "SELECT journey_id FROM journey_events")} == {ids["new"]}
    if database_url.startswith("postgresql"):
        gone = {partitions.partition_name(t, old_month) for t, _ in TABLES}
        assert gone <= set(report["dropped"])
        assert report["deleted"]["partner_clicks"] in (0, 1)  # the edge click, unless its month went whole
        # A click deleted row by row releases its uuid itself; those of dropped months are released after.
        assert report["deleted"]["partner_click_uuids"] == 2 - report["deleted"]["partner_clicks"]
        assert sql(database_url, "SELECT uuid FROM partner_click_uuids") == [("new",)]
        months_left = {
            n
            for n, _, _ in _with_conn(
                database_url, lambda c: partitions.month_partitions(c, "partner_clicks")
            )
        }
        assert not gone & months_left
    else:
        deleted = {"journey_events": 2, "partner_clicks": 2}
        assert report == {"created": [], "dropped": [], "deleted": deleted, "analysed": []}
    retried = _post(ib, "old")  # its click went with its month: the uuid is free again
    assert retried.status_code == 201 and retried.json()["clickId"] != ids["old"]
    kept = _post(ib, "new")
    assert (kept.status_code, kept.json()["clickId"]) == (200, ids["new"])
    assert nothing_more(database_url, days, now)


def nothing_more(database_url, days, now):
    report = _expire(database_url, days, now)
    return not report["dropped"] and not any(report["deleted"].values())


def test_a_new_month_takes_the_rows_the_default_partition_holds(ib, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite tables are not partitioned")
    far = partitions.add_months(partitions.month_of(utcnow()), 8)  # past the months made ahead
    click_id = _post(ib, "far").json()["clickId"]
    sql(database_url, "UPDATE partner_clicks SET create_time = :t WHERE id = :i", t=far, i=click_id)
    stored = "SELECT tableoid::regclass::text FROM partner_clicks WHERE id = :i"
    assert sql(database_url, stored, i=click_id) == [("partner_clicks_default",)]
    try:
        assert _with_conn(database_url, lambda c: partitions.ensure(c, "partner_clicks", "create_time", far))
        assert sql(database_url, stored, i=click_id) == [(partitions.partition_name("partner_clicks", far),)]
        again = _post(ib, "far")
        assert (again.status_code, again.json()["clickId"]) == (200, click_id)
    finally:
        sql(database_url, f'DROP TABLE IF EXISTS "{partitions.partition_name("partner_clicks", far)}"')


def test_partitioning_keeps_the_rows_sequence_and_uuids(database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("the migration changes nothing on SQLite")
    url = database_url
    with scratch_postgres(url, "clicktrail_partition") as scratch:
        cfg = alembic_config(scratch, migration_dirs())
        command.downgrade(cfg, "partners_0004")
        command.downgrade(cfg, "core_0004")
        assert not _with_conn(scratch, lambda c: partitions.is_partitioned(c, "partner_clicks"))
        at = utcnow() - timedelta(days=400)
        sql(
            scratch,
            "INSERT INTO apps (id, name, config, created_at, updated_at) VALUES ('a', 'a', '{}', :t, :t)",
            t=at,
        )
        click = (
            "INSERT INTO partner_clicks (id, app_id, time, uri, is_bot, is_unique, verdict, create_time,"
            " update_time, uuid) VALUES (:i, 'a', :t, 'u', false, true, 'ok', :t, :t, :u)"
        )
        event = (
            "INSERT INTO journey_events (app_id, family, journey_id, type, payload, created_at)"
            " VALUES ('a', 'partners', :j, 'click.created', '{}', :t)"
        )
        for n, when in enumerate((at, utcnow())):
            sql(scratch, click, i=f"c{n}", t=when, u=f"uuid-{n}")
            sql(scratch, event, j=f"c{n}", t=when)
        upgrade(scratch, migration_dirs())
        assert sql(scratch, "SELECT id, uuid FROM partner_clicks ORDER BY id") == [
            ("c0", "uuid-0"),
            ("c1", "uuid-1"),
        ]
        assert sql(scratch, "SELECT id FROM journey_events ORDER BY id") == [(1,), (2,)]
        sql(scratch, event, j="c2", t=utcnow())
        assert sql(scratch, "SELECT max(id) FROM journey_events") == [(3,)]  # the sequence went on
        stored = sql(scratch, "SELECT tableoid::regclass::text FROM partner_clicks WHERE id = 'c0'")
        assert stored == [(partitions.partition_name("partner_clicks", at),)]
        with pytest.raises(Exception, match="uq_partner_clicks_app_id_uuid"):
            sql(scratch, click, i="c9", t=utcnow(), u="uuid-0")
        command.downgrade(cfg, "partners_0004")  # and back: a plain table again, with its unique uuid
        command.downgrade(cfg, "core_0004")
        assert sql(scratch, "SELECT count(*) FROM partner_clicks") == [(2,)]
        assert sql(scratch, "SELECT count(*) FROM journey_events") == [(3,)]
        assert not _with_conn(scratch, lambda c: partitions.is_partitioned(c, "journey_events"))
