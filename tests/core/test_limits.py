"""What a request may cost before a route sees it: body size (413), rate limits and failed-authentication
slow-down (429), bounded echoes in error bodies, and the security headers of every HTML page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.web.limits import MAX_KEYS, TWO_CREDENTIALS, Buckets

from ..helpers import ADMIN, configure, statements
from ..loyalty.conftest import AUTH as LOYALTY_AUTH
from ..loyalty.conftest import DOC as LOYALTY_DOC
from ..loyalty.conftest import activity, start
from ..partners.conftest import AUTH as PARTNERS_AUTH
from ..partners.conftest import OTHER as PARTNERS_OTHER
from ..partners.conftest import document as partners_document
from ..signage.support import KEY as SIGNAGE_KEY
from ..signage.support import document as signage_document
from ..surveys.support import TOKEN, Wall
from ..surveys.support import document as surveys_document

BIG = b'{"pad": "' + b"x" * 70_000 + b'"}'

# (method, path, what each family's envelope looks like)
ENVELOPES = [
    ("POST", "/ib/v1/clicks", lambda body: body["message"]),  # a lean route
    ("POST", "/ib/v1/tokens", lambda body: body["message"]),
    ("POST", "/client/users/anonymous/sessions", lambda body: body["errorMessage"]),
    ("POST", "/oauth/token", lambda body: body["error_description"]),
    ("POST", "/v2/client/clicks/c1", lambda body: body["error"]["details"]["msg"]),
    ("POST", "/smart-engage/post/update-session-status", lambda body: body["error_msg"]),  # lean
    ("POST", "/admin/v1/apps/acme/credentials", lambda body: body["detail"]),
]


@pytest.fixture
def limited(settings: Settings, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """A client whose server runs with the limits the test names (``@pytest.mark.parametrize`` of
    ``limits`` indirectly, or the defaults)."""
    overrides = getattr(request, "param", {})
    with TestClient(create_app(settings.model_copy(update=overrides)), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(("method", "path", "message"), ENVELOPES)
def test_an_oversized_body_is_refused_before_authentication(client, method, path, message):
    r = client.request(method, path, content=BIG, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert message(r.json()) == "the request body exceeds 65536 bytes"
    assert r.headers["connection"] == "close"


def chunks(total: int) -> Iterator[bytes]:
    for _ in range(total // 8192):
        yield b"x" * 8192


@pytest.mark.parametrize(("method", "path", "message"), ENVELOPES[:3])
def test_a_chunked_body_is_counted_while_it_streams(client, method, path, message):
    r = client.request(method, path, content=chunks(200_000))
    assert r.status_code == 413
    assert message(r.json()) == "the request body exceeds 65536 bytes"


def test_a_small_chunked_body_still_reaches_the_route(client):
    configure(client, partners_document())
    body = b'{"ip": "81.2.69.142", "uri": "https://my.stage.org/register?referral=1"}'
    r = client.post("/ib/v1/clicks", content=iter([body[:10], body[10:]]), headers=PARTNERS_AUTH)
    assert r.status_code == 201, r.text


def test_the_config_route_takes_a_larger_document(client):
    doc = partners_document()
    doc["apps"][0]["name"] = "Acme " + "x" * 200_000
    r = client.put("/admin/v1/config", json=doc, headers=ADMIN)
    assert r.status_code == 400  # read and judged (a name that long is refused), not cut off at 64 KB
    assert r.headers["content-type"] == "application/problem+json"
    huge = client.put("/admin/v1/config", content=b"x" * 1_100_000, headers=ADMIN)
    assert huge.status_code == 413
    assert huge.json()["detail"] == "the request body exceeds 1048576 bytes"


@pytest.mark.parametrize("limited", [{"max_body_bytes": 2048}], indirect=True)
def test_the_body_limit_is_a_setting(limited):
    r = limited.post("/ib/v1/clicks", content=b"x" * 3000)
    assert r.status_code == 413 and r.json()["message"] == "the request body exceeds 2048 bytes"


@pytest.mark.parametrize("limited", [{"rate_per_ip": 1, "burst_per_ip": 3}], indirect=True)
def test_credential_less_requests_are_limited_per_ip(limited):
    configure(limited, surveys_document())
    answers = [limited.get("/api/public/v1/apps/" + TOKEN) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json()["error"]["details"]["msg"] == "too many requests; slow down"
    assert refused.json()["status"] == "error"
    assert refused.headers["retry-after"] == "1"
    assert refused.headers["ratelimit-limit"] == "3"
    assert refused.headers["ratelimit-remaining"] == "0"
    assert refused.headers["ratelimit-reset"] == "1"
    scan = limited.get("/smart-engage/scan/acme/spring", follow_redirects=False)
    assert scan.status_code == 429 and scan.json() == {"error_msg": "too many requests; slow down"}


@pytest.mark.parametrize("limited", [{"rate_per_credential": 1, "burst_per_credential": 2}], indirect=True)
def test_authenticated_requests_are_limited_per_credential(limited):
    configure(limited, partners_document())
    body = {"ip": "81.2.69.142", "uri": "https://my.stage.org/register?referral=1"}
    # the first request proves the credential (it counts against the address); then its own bucket
    assert limited.post("/ib/v1/clicks", json=body, headers=PARTNERS_AUTH).status_code == 201
    statuses = [limited.post("/ib/v1/clicks", json=body, headers=PARTNERS_AUTH).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    refused = limited.post("/ib/v1/clicks", json=body, headers=PARTNERS_AUTH)
    assert refused.json() == {"message": "too many requests; slow down", "errors": {}}
    assert refused.headers["retry-after"] == "1"
    # another credential, from the same address, has its own bucket
    assert limited.post("/ib/v1/clicks", json=body, headers=PARTNERS_OTHER).status_code == 201


@pytest.mark.parametrize(
    "limited", [{"rate_per_ip": 0, "rate_per_credential": 0, "auth_failures_per_minute": 0}], indirect=True
)
def test_zero_turns_the_limits_off(limited):
    for _ in range(150):
        assert limited.get("/ib/v1/clicks", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert limited.get("/healthz").status_code == 200


@pytest.mark.parametrize("limited", [{"auth_failures_per_minute": 3}], indirect=True)
def test_failed_authentication_slows_the_address_down(limited):
    configure(limited, LOYALTY_DOC)
    for n in range(3):
        wrong = limited.post("/client/users/anonymous/sessions", headers={"Authorization": f"Bearer no-{n}"})
        assert wrong.status_code == 401
    refused = limited.post("/client/users/anonymous/sessions", headers=LOYALTY_AUTH)
    assert refused.status_code == 429  # even the right secret waits: the address is guessing
    assert refused.json() == {
        "statusCode": 429,
        "errorMessage": "too many failed authentications; slow down",
        "errorCode": "TOO_MANY_REQUESTS",
    }
    assert refused.headers["retry-after"] == "20"  # 3 a minute: one more attempt every 20 s
    token = limited.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=("pos-1", "bad"))
    assert token.status_code == 429 and token.json()["error_description"].startswith("too many failed")


def test_the_default_failure_limit_stops_a_guessing_run(client):
    configure(client, partners_document())
    statuses = [
        client.get("/ib/v1/clicks", headers={"Authorization": f"Bearer guess-{n}"}).status_code
        for n in range(100)
    ]
    assert statuses.count(401) == 20 and statuses[20:] == [429] * 80


def test_an_error_body_echoes_at_most_a_short_excerpt(client):
    configure(client, LOYALTY_DOC)
    cid = start(client)["correlationId"]
    r = client.post(
        f"/client/users/{cid}/activity/trial/v2", json=activity(action="A" * 60_000), headers=LOYALTY_AUTH
    )
    assert r.status_code == 400
    assert len(r.content) < 1000
    assert "A" * 100 + "…" in r.json()["errorMessage"]


def test_an_error_message_is_bounded_whatever_quotes_it(client):
    r = client.get("/smart-engage/scan/acme/" + "c" * 5000, follow_redirects=False)
    assert r.status_code == 404
    assert r.json() == {"error_msg": "No record with campaign_id: " + "c" * 100 + "…"}


def html_pages(client) -> dict[str, object]:
    configure(client, surveys_document())
    wall = Wall(client)
    click = wall.click("srv-auto")
    return {
        "question page": client.get(f"/v2/client/clicks/{click}/page"),
        "offerwall": client.get("/offerwall", params={"token": TOKEN, "uid": "user-1"}),
        "/docs": client.get("/docs"),
        "/redoc": client.get("/redoc"),
    }


def test_every_html_page_carries_the_security_headers(client):
    for name, page in html_pages(client).items():
        assert page.status_code == 200, name  # type: ignore[attr-defined]
        headers = page.headers  # type: ignore[attr-defined]
        assert headers["content-type"].startswith("text/html"), name
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["referrer-policy"] == "no-referrer", name
        framing = headers.get("x-frame-options") or headers["content-security-policy"]
        assert "frame-ancestors" in headers.get("content-security-policy", "") or framing == "DENY", name


def test_buckets_stay_bounded_and_keep_the_ones_not_refilled():
    now = [0.0]
    buckets = Buckets(rate=1.0, burst=2, clock=lambda: now[0])
    assert buckets.take("busy") == 0 and buckets.take("busy") == 0  # empty: full again in 2 s
    for i in range(MAX_KEYS - 1):
        buckets.take(f"early-{i}")  # one token short: full again in 1 s
    assert len(buckets._levels) == MAX_KEYS
    now[0] = 1.5
    for i in range(MAX_KEYS - 2):
        buckets.take(f"late-{i}")
        assert len(buckets._levels) <= MAX_KEYS
    assert "early-0" not in buckets._levels  # refilled: forgotten
    assert buckets.level("busy") == 1.5  # not refilled: kept


# (method, path, a valid credential header, what each family's envelope says): for duplicate credentials
DUPLICATES = [
    ("POST", "/ib/v1/clicks", ("Authorization", PARTNERS_AUTH["Authorization"]), lambda b: b["message"]),
    (
        "POST",
        "/client/users/anonymous/sessions",
        ("Authorization", LOYALTY_AUTH["Authorization"]),
        lambda b: b["errorMessage"],
    ),
    ("GET", "/v2/client/surveys", ("X-Api-Token", TOKEN), lambda b: b["error"]["details"]["msg"]),
    ("POST", "/smart-engage/post/update-session-status", ("API-KEY", SIGNAGE_KEY), lambda b: b["error_msg"]),
    ("GET", "/admin/v1/apps", ("Authorization", ADMIN["Authorization"]), lambda b: b["detail"]),
]


@pytest.mark.parametrize("second", ["Authorization", "X-Api-Token", "API-KEY"])
@pytest.mark.parametrize(("method", "path", "valid", "message"), DUPLICATES)
def test_a_second_credential_header_is_refused_before_any_work(client, method, path, valid, second, message):
    """A valid credential plus a rotating second one used to buy a fresh rate bucket per request."""
    configure(client, partners_document())
    with statements(client, words=None) as seen:
        r = client.request(method, path, headers=[valid, (second, "Bearer rotating-1")], json={})
    assert r.status_code == 400, r.text
    assert message(r.json()) == TWO_CREDENTIALS
    # refused before authentication or any route (the access log may still read the apps' settings)
    assert not [q for q in seen if "credentials" in q or not q.lstrip().upper().startswith("SELECT")]


def test_the_same_credential_header_twice_is_refused(client):
    twice = [("API-KEY", SIGNAGE_KEY), ("API-KEY", SIGNAGE_KEY)]
    r = client.post("/smart-engage/post/update-session-status", headers=twice, json={})
    assert r.status_code == 400 and r.json() == {"error_msg": TWO_CREDENTIALS}


@pytest.mark.parametrize("limited", [{"rate_per_ip": 1, "burst_per_ip": 3}], indirect=True)
def test_a_made_up_credential_buys_no_bucket_of_its_own(limited):
    """Signage scans write a session row each: a rotating API-KEY on them is still counted per address."""
    configure(limited, signage_document())
    statuses = [
        limited.get(
            "/smart-engage/scan/demo/spring-form", headers={"API-KEY": f"made-up-{n}"}, follow_redirects=False
        ).status_code
        for n in range(6)
    ]
    assert statuses == [302, 302, 302, 429, 429, 429]


@pytest.mark.parametrize("limited", [{"auth_failures_per_minute": 3, "rate_per_ip": 1000}], indirect=True)
def test_the_failure_slow_down_spares_a_proven_credential_and_the_probes(limited):
    """A guesser behind the same NAT no longer locks out its neighbours' valid requests and health checks."""
    configure(limited, LOYALTY_DOC)
    start(limited)  # proves the credential
    token = limited.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=("pos-1", "pos-secret-1")
    )
    assert token.status_code == 200, token.text
    for n in range(3):
        wrong = limited.post("/client/users/anonymous/sessions", headers={"Authorization": f"Bearer no-{n}"})
        assert wrong.status_code == 401
    guess = limited.post("/client/users/anonymous/sessions", headers={"Authorization": "Bearer no-4"})
    assert guess.status_code == 429  # the guesser is slowed down
    start(limited)
    start(limited, headers={"Authorization": "Bearer " + token.json()["access_token"]})  # issued: proven
    assert limited.get("/admin/v1/apps", headers=ADMIN).status_code == 200
    for probe in ("/healthz", "/readyz"):
        assert limited.get(probe).status_code == 200, probe


@pytest.mark.parametrize("limited", [{"rate_per_ip": 1, "burst_per_ip": 2}], indirect=True)
def test_the_probes_are_never_rate_limited(limited):
    for _ in range(20):
        assert limited.get("/healthz").status_code == 200
        assert limited.get("/readyz").status_code == 200
    assert "ratelimit-limit" not in limited.get("/healthz").headers


@pytest.mark.parametrize("limited", [{"rate_per_ip": 1, "burst_per_ip": 5}], indirect=True)
def test_every_limited_answer_carries_its_ratelimit_headers(limited):
    configure(limited, surveys_document())
    answers = [limited.get("/api/public/v1/apps/" + TOKEN) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert [r.headers["ratelimit-limit"] for r in answers] == ["5", "5", "5"]
    assert [r.headers["ratelimit-remaining"] for r in answers] == ["4", "3", "2"]
    assert all(1 <= int(r.headers["ratelimit-reset"]) <= 3 for r in answers)
    missing = limited.get("/smart-engage/scan/acme/nowhere", follow_redirects=False)
    assert missing.status_code == 404 and missing.headers["ratelimit-remaining"] == "1"
