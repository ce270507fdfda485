"""The survey click's hot steps stay a fixed handful of statements: opening a click (after the user's
first) and answering a question that keeps it open."""

from __future__ import annotations

import pytest

from ..helpers import configure, statements
from .support import Wall, document


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
    # listing session, survey, settings, finished before?, open-click quota (read, claim), first click?,
    # answered before?, click, the app's webhooks, event. Survey, settings and questions are config: a
    # cache would save 3+2. And the event's rollup counts (one upsert, see core.rollups).
    assert len(opened) == 12, opened
    # the click, its question, the step, the answer remembered, webhooks, the event, settings, the next
    # question, and the event's rollup counts
    assert len(answered) == 9, answered
