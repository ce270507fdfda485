"""The edge: OPTIONS and CORS preflights, CORS on answers (lean routes included), security headers."""

from __future__ import annotations

import copy
import re

import pytest

from ..helpers import ADMIN, configure
from ..loyalty.conftest import AUTH, DOC, OTHER, activity, start
from ..surveys.support import Wall
from ..surveys.support import document as surveys_document

PAGE = "https://till.shop.example"
STRANGER = "https://evil.example"


def preflight(client, path: str, origin: str = PAGE, method: str = "POST"):
    return client.options(path, headers={"Origin": origin, "Access-Control-Request-Method": method})


def loyalty_doc(shop_cors=None, other_cors=None) -> dict:
    doc = copy.deepcopy(DOC)
    if shop_cors is not None:
        doc["apps"][0]["cors"] = shop_cors
    if other_cors is not None:
        doc["apps"][1]["cors"] = other_cors
    return doc


def test_loyalty_answers_carry_the_vendors_headers_and_any_origin(client):
    configure(client, loyalty_doc())
    cid = start(client)["correlationId"]
    trial = client.post(
        f"/client/users/{cid}/activity/trial/v2", json=activity(), headers={**AUTH, "Origin": PAGE}
    )
    assert trial.status_code == 200
    assert trial.headers["access-control-allow-origin"] == "*"
    assert trial.headers["cache-control"] == "no-cache, no-store, must-revalidate"
    assert trial.headers["x-content-type-options"] == "nosniff"
    assert trial.headers["x-frame-options"] == "sameorigin"
    assert trial.headers["strict-transport-security"] == "max-age=31536000"
    refused = client.get(f"/client/users/{cid}/transactions/history/v2", headers={"Origin": PAGE})
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == "*"
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"}, headers={"Origin": PAGE})
    assert "access-control-allow-origin" not in token.headers  # a client secret has no place in a page
    assert token.headers["cache-control"] == "no-store"  # the token endpoint's own, per RFC 6749


@pytest.mark.parametrize("path", ["/client/users/x/activity/trial/v2", "/client/users/x/prompts/p"])
def test_loyalty_preflight_lean_and_classic(client, path):
    configure(client, loyalty_doc())
    response = preflight(client, path, method="PUT")
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert (
        response.headers["access-control-allow-headers"]
        == "Authorization, Content-Type, X-Identifier-Type, Idempotency-Key"
    )
    assert response.headers["access-control-max-age"] == "600"
    assert response.headers["access-control-allow-methods"] == response.headers["allow"]
    assert response.content == b""


def test_an_apps_origins_decide_its_answers(client):
    configure(
        client,
        loyalty_doc(
            shop_cors={"loyalty": {"allowed_origins": [PAGE]}},
            other_cors={"loyalty": {"allowed_origins": []}},
        ),
    )
    cid = start(client)["correlationId"]
    ok = client.get(f"/client/users/{cid}/transactions/history/v2", headers={**AUTH, "Origin": PAGE})
    assert ok.headers["access-control-allow-origin"] == PAGE
    assert ok.headers["vary"] == "Origin"
    stranger = client.get(
        f"/client/users/{cid}/transactions/history/v2", headers={**AUTH, "Origin": STRANGER}
    )
    assert "access-control-allow-origin" not in stranger.headers
    closed = client.get("/client/users/x/transactions/history/v2", headers={**OTHER, "Origin": PAGE})
    assert "access-control-allow-origin" not in closed.headers  # app "other" allows no origin
    # A preflight names no app: an origin some app allows passes, others get no CORS headers.
    assert (
        preflight(client, "/client/users/x/activity/trial/v2").headers["access-control-allow-origin"] == PAGE
    )
    refused = preflight(client, "/client/users/x/activity/trial/v2", origin=STRANGER)
    assert refused.status_code == 204
    assert not any(h.startswith("access-control-") for h in refused.headers)


def test_surveys_clicks_have_no_cors_until_an_app_names_origins(client):
    configure(client, surveys_document())
    wall = Wall(client)
    click = wall.click("srv-auto")
    before = client.get(f"/v2/client/clicks/{click}", headers={"Origin": PAGE})
    assert before.status_code == 200 and "access-control-allow-origin" not in before.headers
    assert "access-control-allow-origin" not in preflight(client, f"/v2/client/clicks/{click}").headers
    doc = surveys_document()
    doc["apps"][0]["cors"] = {"surveys": {"allowed_origins": [PAGE.upper()]}}
    configure(client, doc)
    after = client.get(f"/v2/client/clicks/{click}", headers={"Origin": PAGE})
    assert after.headers["access-control-allow-origin"] == PAGE
    answer = preflight(client, f"/v2/client/clicks/{click}")
    assert answer.headers["access-control-allow-origin"] == PAGE
    assert answer.headers["access-control-allow-headers"] == "Accept-Language, Content-Type, Idempotency-Key"
    assert answer.headers["allow"] == "GET, OPTIONS, POST"
    listing = client.get("/v2/client/surveys", headers={"Origin": PAGE})
    assert "access-control-allow-origin" not in listing.headers  # only the click routes serve pages


def test_options_names_the_methods_and_unknown_paths_stay_404(client):
    signage = client.options("/smart-engage/post/update-session-status")
    assert signage.status_code == 204 and signage.headers["allow"] == "OPTIONS, POST"
    assert (
        "access-control-allow-origin"
        not in preflight(client, "/smart-engage/post/update-session-status").headers
    )
    missing = client.options("/smart-engage/nowhere")
    assert missing.status_code == 404 and missing.json() == {"error_msg": "not found"}


def test_every_answer_is_nosniff_and_html_cannot_be_framed(client):
    configure(client, surveys_document())
    click = Wall(client).click("srv-auto")
    page = client.get(f"/v2/client/clicks/{click}/page")
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["x-frame-options"] == "DENY"
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'; script-src 'none'" in policy and "frame-ancestors 'none'" in policy
    for response in (
        page,
        client.get("/healthz"),
        client.get("/nowhere"),
        client.get("/admin/v1/apps", headers=ADMIN),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
    assert "x-frame-options" not in client.get("/healthz").headers


@pytest.mark.parametrize(
    ("cors", "path", "message"),
    [
        ({"signage": {"allowed_origins": ["*"]}}, "apps[0].cors.signage", "not a family browsers call"),
        (
            {"loyalty": {"allowed_origins": ["https://a.example/x"]}},
            "apps[0].cors.loyalty.allowed_origins[0]",
            "is not an origin",
        ),
        ({"loyalty": {"origins": ["*"]}}, "apps[0].cors.loyalty.origins", "unknown key"),
    ],
)
def test_cors_config_is_validated(client, cors, path, message):
    response = client.put("/admin/v1/config", json=loyalty_doc(shop_cors=cors), headers=ADMIN)
    assert response.status_code == 400
    problems = {p["path"]: p["message"] for p in response.json()["errors"]}
    assert message in problems[path]


def _concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", template)


def test_every_405_names_the_methods_of_its_path(client):
    methods: dict[str, set[str]] = {}
    for route in client.app.edge.routes:
        if getattr(route, "methods", None):
            methods.setdefault(_concrete(route.path), set()).update(route.methods)
    assert len(methods) > 30
    for path, allowed in methods.items():
        wrong = next(m for m in ("DELETE", "PATCH", "PUT", "POST", "GET") if m not in allowed)
        answer = client.request(wrong, path)
        assert answer.status_code == 405, (wrong, path, answer.status_code)
        assert set(answer.headers["allow"].split(", ")) == allowed | {"OPTIONS"}, (wrong, path)
    assets = client.post("/docs/assets/favicon.png")
    assert assets.status_code == 405 and assets.headers["allow"] == "GET, HEAD"
