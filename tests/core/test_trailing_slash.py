"""One trailing slash is served as the path without it, on the lean routes (answered before FastAPI's
router) and the others, in every family: no 307, whose body a client may not send again."""

from __future__ import annotations

from ..helpers import ADMIN, configure
from ..partners.conftest import AUTH, SEED_PROFILE, seed_click
from ..partners.conftest import document as partners_document
from ..signage.support import HEADERS as SIGNAGE
from ..signage.support import document as signage_document


def test_a_trailing_slash_is_the_same_route(client):
    apps = [partners_document()["apps"][0], signage_document()["apps"][0]]
    configure(client, {"apps": apps})

    def call(method, path, **kwargs):
        response = client.request(method, path, follow_redirects=False, **kwargs)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response

    # partners: the click POST is lean; the list, GET and PUT go through the router
    created = call("POST", "/ib/v1/clicks/", json=seed_click(), headers=AUTH)
    assert created.status_code == 201 and created.json()["uri"] == seed_click()["uri"]
    click = created.json()["clickId"]
    listed = call("GET", "/ib/v1/clicks/?filter[uuid]=x", headers=AUTH)
    assert listed.json() == [] and listed.headers["X-Total-Count"] == "0"
    assert call("GET", f"/ib/v1/clicks/{click}/", headers=AUTH).json()["clickId"] == click
    registered = call("PUT", f"/ib/v1/clicks/{click}/", json=SEED_PROFILE, headers=AUTH)
    assert registered.json()["profileId"]
    assert call("GET", "/ib/v1/clicks", headers=AUTH).headers["X-Total-Count"] == "1"

    # signage: create-session goes through the router; update-session-status is lean
    session_id = call(
        "POST", "/smart-engage/post/create-session/", json={"campaign_id": "spring-form"}, headers=SIGNAGE
    ).json()["session_id"]
    updated = call(
        "POST",
        "/smart-engage/post/update-session-status/",
        json={"session_id": session_id, "new_status": "FORM_SUBMITTED"},
        headers=SIGNAGE,
    )
    assert updated.status_code == 200

    # admin
    assert call("GET", "/admin/v1/apps/acme/", headers=ADMIN).json()["id"] == "acme"

    # an unknown path keeps its family's envelope; only one slash is taken off
    for path in ("/ib/v1/nope/", "/ib/v1/clicks//"):
        response = client.post(path, json=seed_click(), headers=AUTH, follow_redirects=False)
        assert response.status_code in (404, 405), path
        assert set(response.json()) == {"message", "errors"}, path
