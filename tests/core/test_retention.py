"""Retention (``privacy.personal_data_days``): the core's part (settled outbox messages), the
``clicktrail purge`` command and the server's background thread."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert
from typer.testing import CliRunner

from clicktrail.app import create_app
from clicktrail.cli import cli
from clicktrail.core.config.settings import Settings
from clicktrail.core.journeys.log import JourneyEvent
from clicktrail.core.journeys.retention import expire
from clicktrail.core.storage.db import make_sessionmaker, normalize_url
from clicktrail.families import FAMILIES

from ..helpers import ADMIN_TOKEN, LOOPBACK, configure
from ..retention_support import OLD, run_purge, sql, with_retention
from ..surveys.support import Wall
from ..surveys.support import document as surveys_document


class TestCore:
    def test_settled_outbox_messages_go_and_pending_ones_stay(self, client, database_url):
        configure(client, with_retention(surveys_document()))
        for user in ("alice-1", "bob-1", "carol-1"):
            wall = Wall(client, user=user)
            click = wall.click("start-bonus")
            for answer in ("1990-01-01", "10001", "2"):
                wall.answer(click, answer)
        ids = [i for (i,) in sql(database_url, "SELECT id FROM outbox ORDER BY id")]
        assert len(ids) == 3
        sql(database_url, "UPDATE outbox SET created_at = :t", t=OLD)
        sql(database_url, "UPDATE outbox SET status = 'delivered' WHERE id = :i", i=ids[0])
        report = run_purge(database_url)
        assert report["acme"]["removed"]["core"] == {"outbox": 1}
        assert [i for (i,) in sql(database_url, "SELECT id FROM outbox ORDER BY id")] == ids[1:]

    def test_no_retention_no_purge(self, client, database_url):
        configure(client, surveys_document())
        assert run_purge(database_url) == {}

    def test_the_cli_purges_and_reports(self, client, database_url, monkeypatch):
        configure(client, with_retention(surveys_document()))
        Wall(client, user="alice-1").answer(Wall(client, user="alice-1").click("start-bonus"), "1990-01-01")
        sql(database_url, "UPDATE survey_answers SET answered_at = :t", t=OLD)
        monkeypatch.setenv("CLICKTRAIL_DATABASE_URL", database_url)
        first = CliRunner().invoke(cli, ["purge", "--json"])
        assert first.exit_code == 0, first.output
        report = json.loads(first.output)
        assert report["apps"]["acme"]["removed"]["surveys"] == {"survey_answers": 1}
        before = datetime.fromisoformat(report["apps"]["acme"]["before"])  # ISO 8601, in UTC
        assert report["apps"]["acme"]["before"].endswith("Z") and before.utcoffset() == timedelta(0)
        assert report["apps"]["acme"]["anonymized"]["surveys"] == {"survey_clicks": 0, "journey_events": 0}
        assert report["rows"] == {"created": [], "dropped": [], "deleted": {}, "analysed": []}
        second = CliRunner().invoke(cli, ["purge"])
        assert second.exit_code == 0 and "acme: before" in second.output
        assert "nothing to purge" in second.output


@pytest.mark.parametrize("interval", [0.2])
def test_the_server_purges_in_the_background(database_url, interval):
    settings = Settings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        retention_interval_seconds=interval,
        outbound_allow=LOOPBACK,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        configure(client, with_retention(surveys_document()))
        wall = Wall(client, user="alice-1")
        wall.answer(wall.click("start-bonus"), "1990-01-01")
        sql(database_url, "UPDATE survey_answers SET answered_at = :t", t=OLD)
        deadline = time.monotonic() + 10
        while sql(database_url, "SELECT count(*) FROM survey_answers") != [(0,)]:
            assert time.monotonic() < deadline, "the retention thread did not purge"
            time.sleep(0.05)


def test_the_cli_deletes_rows_past_the_row_retention_setting(client, database_url, monkeypatch):
    """``CLICKTRAIL_ROW_RETENTION_DAYS`` read from the environment by ``clicktrail purge``: events older
    than the cutoff go (whole months on PostgreSQL, row by row here or in the cutoff's month), newer stay."""
    configure(client, surveys_document())
    wall = Wall(client, user="alice-1")
    wall.answer(wall.click("start-bonus"), "1990-01-01")
    events = sql(database_url, "SELECT count(*) FROM journey_events")[0][0]
    assert events >= 2
    sql(
        database_url,
        "UPDATE journey_events SET created_at = :t WHERE id = (SELECT min(id) FROM journey_events)",
        t=OLD,
    )
    monkeypatch.setenv("CLICKTRAIL_DATABASE_URL", database_url)
    monkeypatch.setenv("CLICKTRAIL_ROW_RETENTION_DAYS", "30")
    done = CliRunner().invoke(cli, ["purge"])
    assert done.exit_code == 0, done.output
    assert sql(database_url, "SELECT count(*) FROM journey_events")[0][0] == events - 1
    monkeypatch.delenv("CLICKTRAIL_ROW_RETENTION_DAYS")
    again = CliRunner().invoke(cli, ["purge"])
    assert again.exit_code == 0 and "past CLICKTRAIL_ROW_RETENTION_DAYS" not in again.output


def test_sqlite_tables_get_planner_statistics_as_they_grow_tenfold(database_url):
    """Without statistics SQLite plans from its indexes alone (over 1M clicks it read a country's clicks
    of one day through the time index, 3-5x slower); upkeep gathers them once a table has 1,000 rows,
    and again only when it has grown or shrunk tenfold."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's autovacuum analyses tables as they change")

    def add_events(n: int) -> None:
        engine = create_engine(normalize_url(database_url))
        rows = [
            {"app_id": "a", "family": "partners", "journey_id": f"j{i}", "type": "click.created"}
            for i in range(n)
        ]
        with engine.begin() as conn:
            conn.execute(insert(JourneyEvent).values(created_at=datetime.now(UTC)), rows)
        engine.dispose()

    def analysed() -> list[str]:
        return _expire(database_url)["analysed"]

    add_events(999)
    assert analysed() == []  # too few rows to matter
    add_events(1)
    assert analysed() == ["journey_events"]
    assert sql(database_url, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'journey_events'")[0][0] > 0
    add_events(8_000)
    assert analysed() == []  # 9,000 rows: not yet ten times the 1,000 its statistics say
    add_events(1_000)
    assert analysed() == ["journey_events"]
    assert analysed() == []


def _expire(database_url):
    engine = create_engine(normalize_url(database_url))
    try:
        return expire(make_sessionmaker(engine), FAMILIES, days=None)
    finally:
        engine.dispose()
