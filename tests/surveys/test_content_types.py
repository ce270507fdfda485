"""What the SDKs send: iOS labels its JSON form-urlencoded (no Content-Type of its own), Flutter text/plain.
The click action is read as JSON all the same; the hosted page's real form still posts as a form."""

from __future__ import annotations

import orjson
import pytest

from ..helpers import configure
from .support import Wall, document


@pytest.fixture
def wall(client):
    configure(client, document())
    return Wall(client)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain; charset=utf-8"])
def test_leave_survey_is_read_as_json_whatever_the_label(wall, client, content_type):
    click = wall.click("srv-auto")
    response = client.post(
        f"/v2/client/clicks/{click}",
        content=orjson.dumps({"leave_survey": {"reason": "TOO_LONG"}}),
        headers={"Content-Type": content_type},
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["redirect"]["type"] == "termination"


def test_the_hosted_page_still_takes_its_form(wall, client):
    click = wall.click("srv-auto")
    response = client.post(
        f"/v2/client/clicks/{click}/page", data={"do": "leave", "reason": "OTHER"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
