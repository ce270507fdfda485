"""Retention (``privacy.personal_data_days``) for surveys: rows older than the cutoff are purged, newer
rows and apps without a retention keep everything; a second purge changes nothing."""

from __future__ import annotations

from ..helpers import configure
from ..retention_support import OLD, nothing_left, run_purge, sql, with_retention
from .support import Wall
from .support import document as surveys_document


class TestSurveys:
    def test_old_answers_are_deleted(self, client, database_url):
        configure(client, with_retention(surveys_document()))
        for user in ("alice-1", "bob-1"):
            wall = Wall(client, user=user)
            wall.answer(wall.click("start-bonus"), "1990-01-01")
        sql(database_url, "UPDATE survey_answers SET answered_at = :t WHERE user_id = 'alice-1'", t=OLD)
        report = run_purge(database_url)
        assert report["acme"]["removed"]["surveys"] == {"survey_answers": 1}
        assert sql(database_url, "SELECT user_id FROM survey_answers") == [("bob-1",)]
        assert sql(database_url, "SELECT count(*) FROM survey_clicks") == [(2,)]
        assert nothing_left(run_purge(database_url))
