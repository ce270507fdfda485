"""A NUL character in a surveys body (an answer, which is stored): refused before either engine sees it
(``core.strictjson``), 400 naming the field in BitLabs' envelope, on SQLite as on PostgreSQL."""

from __future__ import annotations

from ..helpers import configure
from .support import Wall, document, event_types


def test_an_answer_with_a_nul_is_refused_naming_the_field(client, database_url):
    configure(client, document())
    wall = Wall(client)
    click = wall.click("srv-all")
    state = wall.state(click)
    before = event_types(database_url, click)
    response = wall.post(click, {"answer_question": {"answers": ["1980-01-01\x00"]}})
    assert response.status_code == 400, response.text
    assert "answer_question.answers.0: must not contain a NUL character" in response.text
    assert wall.state(click) == state
    assert event_types(database_url, click) == before
    unknown = wall.post("no-such-click", {"answer_question": {"answers": ["\x00"]}})
    assert unknown.status_code == 404  # an unknown click is 404 before the body is judged


def test_a_click_id_with_a_nul_is_not_found(client):
    """No stored click id holds a NUL: 404 on both engines (PostgreSQL would refuse the lookup)."""
    configure(client, document())
    for method in ("GET", "POST"):
        response = client.request(method, "/v2/client/clicks/a%00b", json={"skip_question": True})
        assert response.status_code == 404, response.text


def test_a_page_answer_with_a_nul_is_refused_naming_the_field(client, database_url):
    configure(client, document())
    wall = Wall(client)
    click = wall.click("srv-all")
    state = wall.state(click)
    for form in ({"do": "answer", "answers": "1980-01-01\x00"}, {"do": "leave", "reason": "SENSITIVE\x00"}):
        response = client.post(f"/v2/client/clicks/{click}/page", data=form)
        assert response.status_code == 400, response.text
        assert "must not contain a NUL character" in response.text
    assert wall.state(click) == state
