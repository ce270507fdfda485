"""Retention (``privacy.personal_data_days``) for surveys: rows older than the cutoff are purged, newer
rows and apps without a retention keep everything; a second purge changes nothing."""

from __future__ import annotations

from ..admin.test_metrics_paths import assert_both_paths_agree
from ..helpers import ADMIN, configure
from ..retention_support import OLD, a_cutoff, nothing_left, purge_before, run_purge, sql, with_retention
from .support import Wall
from .support import document as surveys_document
from .test_attribution import click

CLICK_IDS = ("gclid", "fbclid", "msclkid")


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

    def test_old_answer_events_lose_their_answer_codes(self, client, database_url):
        """The answers deleted, the same codes must not live on in the ``question.answered`` events."""
        configure(client, with_retention(surveys_document()))
        for user in ("alice-1", "bob-1"):
            wall = Wall(client, user=user)
            click = wall.click("srv-auto")
            for answer in ("1990-01-01", "1", "10001"):  # birthdate, q-color (SINGLE: a code), zip
                wall.answer(click, answer)
        sql(database_url, "UPDATE survey_answers SET answered_at = :t WHERE user_id = 'alice-1'", t=OLD)
        sql(database_url, "UPDATE journey_events SET created_at = :t WHERE user_id = 'alice-1'", t=OLD)
        coded = answer_codes(client)
        assert coded == {"alice-1": [["1"]], "bob-1": [["1"]]}  # the choice question's code

        report = run_purge(database_url)
        assert report["acme"]["anonymized"]["surveys"] == {
            "survey_clicks": 0,
            "journey_events": len(coded["alice-1"]),
        }
        after = answer_codes(client)
        assert after["alice-1"] == [] and after["bob-1"] == coded["bob-1"]
        counts = {user: len(events) for user, events in answered(client).items()}
        assert counts["alice-1"] == counts["bob-1"] == 3  # the events stay, for the statistics
        assert nothing_left(run_purge(database_url))

    def test_old_clicks_and_their_events_lose_their_click_ids_and_the_metrics_stay(
        self, client, database_url
    ):
        configure(client, with_retention(surveys_document()))
        old = click(
            client, Wall(client, user="u1"), "srv-auto", utm_source="news", gclid="G-old", msclkid="M"
        )
        cutoff = a_cutoff()
        new = click(client, Wall(client, user="u2"), "srv-auto", utm_source="news", fbclid="F-new")
        counted = metrics_now(client)
        assert counted[0][0] == {"google_ads": 1, "meta_ads": 1}

        report = purge_before(database_url, cutoff)
        assert report["acme"]["anonymized"]["surveys"] == {"survey_clicks": 1, "journey_events": 1}
        held = "SELECT gclid, fbclid, msclkid, utm_source FROM survey_clicks WHERE id = :i"
        assert sql(database_url, held, i=old) == [(None, None, None, "news")]
        assert sql(database_url, held, i=new) == [(None, "F-new", None, "news")]
        created = created_payloads(client)
        assert not set(CLICK_IDS) & set(created[old]) and created[old]["utm_source"] == "news"
        assert created[old]["ad_network"] == "google_ads"  # what the metrics count it under
        assert created[new]["fbclid"] == "F-new"
        assert metrics_now(client) == counted
        assert nothing_left(purge_before(database_url, cutoff))

    def test_an_open_click_purged_before_its_outcome_counts_it_under_its_ad_network(
        self, client, database_url
    ):
        """Retention nulls an open click's click ids; its outcome, reported after, still carries the ad
        network the click stored when it was made, so the rollups and a combination count it there."""
        configure(client, with_retention(surveys_document()))
        wall = Wall(client, user="u1")
        old = click(client, wall, "srv-auto", utm_source="news", gclid="G-old")
        cutoff = a_cutoff()
        report = purge_before(database_url, cutoff)
        assert report["acme"]["anonymized"]["surveys"]["survey_clicks"] == 1
        held = "SELECT gclid, status, ad_network FROM survey_clicks WHERE id = :i"
        assert sql(database_url, held, i=old) == [(None, "open", "google_ads")]

        assert wall.post(old, {"leave_survey": {"reason": "TOO_LONG"}}).status_code == 200
        for extra in ({}, {"filter[utm_source]": "news"}):  # the rollups, then a combination (the events)
            params = {"family": "surveys", "group_by": "ad_network", **extra}
            answer = client.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN)
            assert answer.status_code == 200, answer.text
            counted = {row["key"]: (row["clicks"], row["left"]) for row in answer.json()["rows"]}
            assert counted == {"google_ads": (1, 1)}, extra
        assert assert_both_paths_agree(client.app.state.runtime.engine, "acme", ("surveys",)) > 0


def created_payloads(client):
    items = client.get("/admin/v1/apps/acme/events", params={"type": "click.created"}, headers=ADMIN).json()
    return {event["journey_id"]: event["payload"] for event in items["items"]}


def metrics_now(client):
    """Clicks by ad network, from the rollups and (under a filter) from the events, and the comparisons on
    which the two paths agree (every dimension, alone and combined)."""
    answers = []
    for extra in ({}, {"filter[utm_source]": "news"}):
        params = {"family": "surveys", "group_by": "ad_network", **extra}
        answer = client.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN)
        assert answer.status_code == 200, answer.text
        answers.append({row["key"]: row["clicks"] for row in answer.json()["rows"] if row["clicks"]})
    return answers, assert_both_paths_agree(client.app.state.runtime.engine, "acme", ("surveys",))


def answered(client):
    items = client.get("/admin/v1/apps/acme/events", params={"limit": 200}, headers=ADMIN).json()["items"]
    events: dict[str, list[dict]] = {}
    for event in items:
        if event["type"] == "question.answered":
            events.setdefault(event["user_id"], []).append(event["payload"])
    return events


def answer_codes(client):
    return {
        user: [p["answers"] for p in payloads if p.get("answers") is not None]
        for user, payloads in answered(client).items()
    }
