"""The survey click's hot steps stay a fixed handful of statements: opening a click (after the user's
first), answering a question that keeps it open, and answering the last one. Definitions (surveys,
questions, settings, quota counters) come from the config cache: no step reads them."""

from __future__ import annotations

import json

import pytest

from clicktrail.surveys import job_steps

from ..helpers import configure, statements
from .support import Wall, document, rows

OPENED = [
    "SELECT SURVEY_SESSIONS.ID, SURVEY_SESSIONS.APP_ID,",  # the listing: its app and user
    "SELECT MAX(SURVEY_CLICKS.CREATED_AT) AS",  # the user's last click on the survey (its verdict)
    "SELECT SURVEY_CLICKS.ID FROM",  # finished before?
    "SAVEPOINT CLICKTRAIL_JOB",  # before the job's first write: a refusal after it undoes the job alone
    "UPDATE SURVEY_QUOTAS SET",  # the open-click slot (of "*": the survey has no country counter)
    "INSERT INTO SURVEY_USERS",  # the user's first click? (ON CONFLICT DO NOTHING)
    "SELECT SURVEY_ANSWERS.QUESTION_ID FROM",  # answered before? (is_duplicate)
    "SELECT WEBHOOKS.ID, WEBHOOKS.URL,",  # the app's subscriptions (once per app per batch)
    "INSERT INTO ROLLUP_COUNTS",  # the batch's event counts (one upsert per batch)
    "INSERT INTO JOURNEY_EVENTS",  # the batch's events (one executemany)
    "INSERT INTO SURVEY_CLICKS",  # the batch's clicks (one executemany; tables in foreign-key order)
]
ANSWERED = [
    "SELECT SURVEY_CLICKS.ID, SURVEY_CLICKS.APP_ID,",  # the batch's declared clicks, locked (one statement)
    "SELECT WEBHOOKS.ID, WEBHOOKS.URL,",
    "INSERT INTO SURVEY_ANSWERS",  # the batch's answers remembered (one upsert executemany)
    "INSERT INTO ROLLUP_COUNTS",
    "INSERT INTO JOURNEY_EVENTS",
    "UPDATE SURVEY_CLICKS SET",  # the batch's steps (and endings): one executemany; no savepoint, as the
    # job itself runs no statement
]


@pytest.fixture
def wall(client):
    configure(client, document())
    return Wall(client)


def test_open_and_answer_are_a_few_statements_each(wall, client):
    first = wall.click("srv-auto")  # the user's first click asks the profile question first
    wall.answer(first, "1990-05-17")
    url = wall.click_url("srv-all")
    with statements(client, words=3) as opened:
        response = client.post(url[url.index("/v2/") :])
    assert response.status_code == 200, response.text
    click_id = response.json()["data"]["id"]
    with statements(client, words=3) as answered:
        assert "answer_question" in wall.answer(click_id, "2")  # blue: the next question follows
    assert opened == OPENED  # was 12: the survey, the settings, the quota counters were read each time
    assert answered == ANSWERED  # was 9: the question, the settings, the next question were read


def test_the_last_answer_ends_the_click_in_the_same_statements(wall, client):
    click_id = wall.click("srv-auto")
    wall.answer(click_id, "1990-05-17")
    wall.answer(click_id, "1")  # red: qualifies
    with statements(client, words=3) as answered:
        state = wall.answer(click_id, "10001")
    assert state["redirect"]["type"] == "survey", state
    assert answered == ANSWERED  # the step and the qualification are one UPDATE; both events one INSERT


def test_a_batch_writes_its_answers_as_if_one_after_the_other(wall, client, database_url):
    """Answers are upserted together as the batch commits (skips first, then answers in order): the
    outcome is the one of writing each in turn, and the batch's own reads see them."""
    click = {"app_id": "acme", "user_id": "u-1", "id": "c-1"}

    def job(tx):
        job_steps.remember(tx, click, "q-color", ["1"])
        job_steps.remember(tx, {**click, "id": "c-2"}, "q-color", None)  # a skip keeps the answer given
        job_steps.remember(tx, click, "q-zip", None)
        job_steps.remember(tx, {**click, "id": "c-2"}, "q-zip", ["10001"])  # an answer replaces a skip
        job_steps.remember(tx, click, "q-kids", ["1"])
        job_steps.remember(tx, {**click, "id": "c-3"}, "q-kids", ["2"])  # the later answer wins
        return job_steps.answered_before(tx, click, ["q-color", "q-zip", "q-kids", "q-visit"])

    assert client.app.state.runtime.writer.run(job) == {"q-color", "q-zip", "q-kids"}
    stored = rows(
        database_url, "SELECT question_id, answers, click_id FROM survey_answers WHERE user_id = 'u-1'"
    )
    answers = {question: (json_list(value), click_id) for question, value, click_id in stored}
    assert answers == {"q-color": (["1"], "c-1"), "q-zip": (["10001"], "c-2"), "q-kids": (["2"], "c-3")}


def json_list(value):
    return json.loads(value) if isinstance(value, str) else value
