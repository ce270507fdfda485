"""Idempotent retries (``Idempotency-Key``) on every POST, PUT and PATCH of every family and of the admin
API: a retry replays the first answer, another request under the key is a 422, a malformed key a 400, all in
the family's envelope; one key runs once, even from two threads or two server processes at the same moment;
keys last 24 hours."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from starlette.requests import Request

from clicktrail.app import _leaves, create_app
from clicktrail.core.storage.db import make_sessionmaker, normalize_url
from clicktrail.core.storage.ids import utcnow
from clicktrail.core.web import idempotency
from clicktrail.core.web.arrival import Arrival
from clicktrail.core.web.errors import ClicktrailError, Conflict, InvalidInput, Unprocessable

from ..helpers import ADMIN, configure
from ..loyalty.conftest import AUTH as LOYALTY_AUTH
from ..loyalty.conftest import DOC as LOYALTY_DOC
from ..loyalty.conftest import new_cid
from ..partners.conftest import AUTH as PARTNERS_AUTH
from ..partners.conftest import document as partners_document
from ..partners.conftest import seed_click
from ..signage import support as signage
from ..surveys import support as surveys

WRITES = {"POST", "PUT", "PATCH"}
REPLAYED = "idempotent-replayed"
# The routes whose answer may show a secret (a token, a credential's secret): that answer is never kept
# under a key (a refusal, which shows none, is).
SHOWS_A_SECRET = {
    ("POST", "/ib/v1/tokens"),
    ("POST", "/oauth/token"),
    ("POST", "/admin/v1/apps/x1/credentials"),
    ("POST", "/admin/v1/apps/x1/credentials/x1/rotate"),
}


def write_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path with its parameters filled) of every POST, PUT and PATCH of the families and the
    admin API, lean routes and FastAPI's alike (the dashboard's forms are a browser's, not an API)."""
    found = []
    for route in _leaves(app.routes):
        path = getattr(route, "path", "")
        for method in sorted((getattr(route, "methods", None) or set()) & WRITES):
            if not path.startswith("/dashboard"):
                found.append((method, re.sub(r"\{[^}]+\}", "x1", path)))
    return found


def in_envelope(client: TestClient, response: httpx.Response, error: ClicktrailError, status: int) -> None:
    """``response`` is ``error`` as the family owning its path renders it: the same shape, type and
    message (request ids aside)."""
    path = response.request.url.path
    renderer = client.app.idempotency.renderer_for(path)  # type: ignore[attr-defined]
    scope = {"type": "http", "method": "POST", "path": path, "query_string": b"", "headers": []}
    expected = renderer(Request({**scope, "scheme": "http", "server": ("testserver", 80)}), error, status)
    assert response.status_code == status, (path, response.text)
    assert response.headers["content-type"] == expected.headers["content-type"], path
    if "json" in expected.headers["content-type"]:  # a page's errors are pages: the message says it
        assert shape(response.json()) == shape(orjson.loads(expected.body)), path
    assert error.message in response.text, path


def shape(value: Any) -> Any:
    """The keys of a JSON value, all the way down."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def rows(database_url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def count(database_url: str, table: str) -> int:
    return rows(database_url, f"SELECT count(*) FROM {table}")[0][0]


def same_answer(first: httpx.Response, again: httpx.Response) -> None:
    assert again.headers.get(REPLAYED) == "true"
    assert REPLAYED not in first.headers
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["x-request-id"] != first.headers["x-request-id"]  # this exchange's, not kept


# --- every route ---------------------------------------------------------------------------------------


@pytest.fixture
def lenient(settings: Any) -> Iterator[TestClient]:
    """The app without the slow-down after failed authentications (most requests here present none)
    and with room in the one address's bucket (they all come from it)."""
    app = create_app(settings.model_copy(update={"auth_failures_per_minute": 0, "burst_per_ip": 10_000}))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_every_write_route_honours_the_header(lenient, database_url):
    client = lenient
    routes = write_routes(client.app)
    assert (
        len(routes) >= 20
        and ("PATCH", "/ib/v1/clicks/x1") in routes
        and ("PUT", "/admin/v1/config") in routes
    )
    for number, (method, path) in enumerate(routes):
        for bad in ("", "k" * 256, "tab\there", "é"):
            refused = client.request(method, path, json={}, headers={"Idempotency-Key": bad.encode()})
            in_envelope(client, refused, InvalidInput(idempotency.INVALID_KEY), 400)
        # a credential header (any: the layer scopes keys by it, whatever the route then says of it)
        key = {"Idempotency-Key": f"route-{number}", "Authorization": "Bearer someone"}
        first = client.request(method, path, json={"n": 1}, headers=key)
        assert first.status_code < 500, (method, path, first.text)
        if (method, path) in SHOWS_A_SECRET:  # kept or not by what they answer: the test below
            continue
        same_answer(first, client.request(method, path, json={"n": 1}, headers=key))
        other = client.request(method, path, json={"n": 2}, headers=key)
        in_envelope(client, other, Unprocessable(idempotency.OTHER_REQUEST), 422)
    assert len(routes) - len(SHOWS_A_SECRET) <= count(database_url, "idempotency_keys") <= len(routes)


def test_two_keys_at_once_are_refused(client):
    headers = [("Idempotency-Key", "a"), ("Idempotency-Key", "b")]
    response = client.post("/ib/v1/clicks", json={}, headers=headers)
    in_envelope(client, response, InvalidInput(idempotency.TWO_KEYS), 400)


def test_without_the_header_and_on_reads_nothing_is_kept(client, database_url):
    configure(client, signage.document())
    body = {"campaign_id": "spring-form"}
    for _ in range(2):
        assert (
            client.post("/smart-engage/post/create-session", json=body, headers=signage.HEADERS).status_code
            == 200
        )
    client.get("/healthz", headers={"Idempotency-Key": "read"})
    assert count(database_url, "signage_sessions") == 2
    assert count(database_url, "idempotency_keys") == 0


# --- each family's main writes: one side effect ----------------------------------------------------------


def test_a_signage_session_made_twice_with_one_key_is_one_session(client, database_url):
    configure(client, signage.document())
    headers = {**signage.HEADERS, "Idempotency-Key": "create-1"}
    body = {"campaign_id": "spring-form"}
    first = client.post("/smart-engage/post/create-session", json=body, headers=headers)
    assert first.status_code == 200, first.text
    same_answer(first, client.post("/smart-engage/post/create-session", json=body, headers=headers))
    assert count(database_url, "signage_sessions") == 1


def test_a_coupon_retry_replays_the_code(client, database_url):
    configure(client, signage.document())
    session_id = signage.approved_session(client)
    headers = {**signage.HEADERS, "Idempotency-Key": "coupon-1"}
    first = client.post(f"/smart-engage/post/engage-v3/{session_id}", json={}, headers=headers)
    assert first.status_code == 200, first.text
    same_answer(first, client.post(f"/smart-engage/post/engage-v3/{session_id}", json={}, headers=headers))
    assert count(database_url, "signage_coupons WHERE session_id IS NOT NULL") == 1


def test_a_survey_click_opened_twice_with_one_key_is_one_click(client, database_url):
    configure(client, surveys.document())
    url = httpx.URL(surveys.Wall(client).click_url(surveys.SURVEYS[0]["id"]))
    target = f"{url.path}?{url.query.decode()}"
    first = client.post(target, headers={"Idempotency-Key": "open-1"})
    assert first.status_code == 200, first.text
    same_answer(first, client.post(target, headers={"Idempotency-Key": "open-1"}))
    assert count(database_url, "survey_clicks") == 1
    client.post(target, headers={"Idempotency-Key": "open-2"})  # another key: another click
    assert count(database_url, "survey_clicks") == 2


def test_a_loyalty_session_start_replays_instead_of_refusing(client, database_url):
    configure(client, LOYALTY_DOC)
    headers = {**LOYALTY_AUTH, "Idempotency-Key": "start-1"}
    body = {"correlationId": new_cid(), "channel": "STORE"}
    first = client.post("/client/users/member-1/sessions", json=body, headers=headers)
    assert first.status_code == 200, first.text
    same_answer(first, client.post("/client/users/member-1/sessions", json=body, headers=headers))
    # The vendor's own rule stays: the correlation id again, without the key, is refused as before.
    again = client.post("/client/users/member-1/sessions", json=body, headers=LOYALTY_AUTH)
    assert again.status_code == 400
    assert count(database_url, "loyalty_sessions") == 1


def test_a_partners_click_with_a_key_and_a_uuid_is_one_click(client, database_url):
    configure(client, partners_document())
    headers = {**PARTNERS_AUTH, "Idempotency-Key": "click-1"}
    body = seed_click(uuid="5f7b2a9e-3c1d-4e8f-9a6b-1c2d3e4f5a6b")
    first = client.post("/ib/v1/clicks", json=body, headers=headers)
    assert first.status_code == 201, first.text
    same_answer(first, client.post("/ib/v1/clicks", json=body, headers=headers))
    assert count(database_url, "partner_clicks") == 1
    # Another key, the same uuid: the vendor's own idempotency answers (the same click, no second row).
    client.post("/ib/v1/clicks", json=body, headers={**PARTNERS_AUTH, "Idempotency-Key": "click-2"})
    assert count(database_url, "partner_clicks") == 1


def test_an_admin_user_added_once_per_key(client, database_url):
    headers = {**ADMIN, "Idempotency-Key": "user-1"}
    body = {"email": "ana@example.com", "password": "a long enough password", "role": "viewer"}
    first = client.post("/admin/v1/users", json=body, headers=headers)
    assert first.status_code == 201, first.text
    same_answer(first, client.post("/admin/v1/users", json=body, headers=headers))
    assert count(database_url, "dashboard_users") == 1


def test_an_answer_showing_a_secret_is_never_kept(client, database_url):
    """A new credential's secret, a token: the key keeps no copy of them, and a retry runs
    again (here: the name is taken by then)."""
    configure(client, LOYALTY_DOC)
    headers = {**ADMIN, "Idempotency-Key": "cred-1"}
    body = {"name": "till-2", "scopes": ["loyalty"]}
    first = client.post("/admin/v1/apps/shop/credentials", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = client.post("/admin/v1/apps/shop/credentials", json=body, headers=headers)
    assert again.status_code == 409 and REPLAYED not in again.headers
    basic = httpx.BasicAuth("pos-1", "pos-secret-1")
    token = {"Idempotency-Key": "token-1"}
    form = {"grant_type": "client_credentials"}
    for _ in range(2):
        answer = client.post("/oauth/token", data=form, headers=token, auth=basic)
        assert answer.status_code == 200 and REPLAYED not in answer.headers, answer.text
    assert count(database_url, "idempotency_keys") == 0  # the route's 409 is not kept either
    assert first.json()["secret"] not in str(rows(database_url, "SELECT body FROM idempotency_keys"))


def test_keys_belong_to_their_credential(client):
    configure(client, signage.document())
    body = {"campaign_id": "spring-form"}
    mine = client.post("/smart-engage/post/create-session", json=body,
                       headers={**signage.HEADERS, "Idempotency-Key": "k"})  # fmt: skip
    theirs = client.post("/smart-engage/post/create-session", json={"campaign_id": "other-form"},
                         headers={"API-KEY": signage.OTHER_KEY, "Idempotency-Key": "k"})  # fmt: skip
    assert mine.status_code == theirs.status_code == 200
    assert REPLAYED not in theirs.headers and theirs.content != mine.content


# --- concurrency ---------------------------------------------------------------------------------------


def at_once(send: Any, times: int = 2) -> list[httpx.Response]:
    barrier = threading.Barrier(times)
    answers: list[httpx.Response] = []

    def one() -> None:
        barrier.wait()
        answers.append(send())

    threads = [threading.Thread(target=one) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def one_side_effect(answers: list[httpx.Response]) -> None:
    """Both got the one answer (one of them replayed), or the second a 409."""
    ran = [a for a in answers if REPLAYED not in a.headers and a.status_code == 200]
    assert len(ran) == 1, [(a.status_code, a.text) for a in answers]
    for other in answers:
        if other is not ran[0]:
            assert other.status_code == 409 or (other.content == ran[0].content and other.headers[REPLAYED])


def test_two_threads_with_one_key_make_one_session(client, database_url):
    configure(client, signage.document())
    headers = {**signage.HEADERS, "Idempotency-Key": "race-1"}
    post = lambda: client.post(  # noqa: E731
        "/smart-engage/post/create-session", json={"campaign_id": "spring-form"}, headers=headers
    )
    one_side_effect(at_once(post, 4))
    assert count(database_url, "signage_sessions") == 1


def test_two_server_processes_with_one_key_make_one_session(database_url, start_server):
    if not database_url.startswith("postgresql"):
        pytest.skip("two processes share one database on PostgreSQL")
    first, second = start_server(database_url), start_server(database_url)
    assert httpx.put(f"{first}/admin/v1/config", json=signage.document(), headers=ADMIN).status_code == 200
    for attempt in range(5):
        one_side_effect(at_once(racer([first, second], f"two-processes-{attempt}")))
    assert count(database_url, "signage_sessions") == 5


def racer(bases: list[str], key: str) -> Any:
    """A sender that posts to each base in turn, every time with ``key``."""
    turns = iter(bases)
    headers = {**signage.HEADERS, "Idempotency-Key": key}

    def post() -> httpx.Response:
        url = f"{next(turns)}/smart-engage/post/create-session"
        return httpx.post(url, json={"campaign_id": "spring-form"}, headers=headers, timeout=30)

    return post


def held_in_progress(database_url: str, client: TestClient, key: str, age: timedelta) -> None:
    """A claim of ``key`` by the signage credential, for the create-session request below, made ``age``
    ago by a request that has not finished (or died)."""
    body = b'{"campaign_id": "spring-form"}'
    scope = {"method": "POST", "path": "/smart-engage/post/create-session", "query_string": b""}
    headers = [(b"api-key", signage.KEY.encode())]
    arrival = Arrival.of({**scope, "headers": headers, "type": "http"})
    at = utcnow() - age
    times = [
        t.replace(tzinfo=None) if database_url.startswith("sqlite") else t for t in (at, at + timedelta(1))
    ]
    rows(
        database_url,
        "INSERT INTO idempotency_keys (scope, key, request_hash, state, created_at, expires_at)"
        " VALUES (:scope, :key, :hash, 'in_progress', :at, :until)",
        scope=idempotency.scope_of(arrival, {**scope, "headers": headers}, "unused: a credential owns it"),
        key=key,
        hash=idempotency.request_hash(scope, body),
        at=times[0],
        until=times[1],
    )


def create_session(client: TestClient, key: str) -> httpx.Response:
    return client.post(
        "/smart-engage/post/create-session",
        content=b'{"campaign_id": "spring-form"}',
        headers={**signage.HEADERS, "Idempotency-Key": key, "Content-Type": "application/json"},
    )


def test_a_key_still_in_progress_answers_409_after_a_wait(client, database_url, monkeypatch):
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.3)
    configure(client, signage.document())
    held_in_progress(database_url, client, "busy", timedelta(seconds=1))
    in_envelope(client, create_session(client, "busy"), Conflict(idempotency.IN_PROGRESS), 409)
    assert count(database_url, "signage_sessions") == 0


def test_a_claim_abandoned_by_a_dead_process_is_taken_over(client, database_url):
    configure(client, signage.document())
    held_in_progress(database_url, client, "orphan", idempotency.ABANDONED + timedelta(seconds=1))
    taken = create_session(client, "orphan")
    assert taken.status_code == 200 and REPLAYED not in taken.headers, taken.text
    same_answer(taken, create_session(client, "orphan"))
    assert count(database_url, "signage_sessions") == 1


# --- what is kept, and for how long ----------------------------------------------------------------------


def test_a_key_expires_after_a_day(client, database_url):
    configure(client, signage.document())
    headers = {**signage.HEADERS, "Idempotency-Key": "old"}
    body = {"campaign_id": "spring-form"}
    client.post("/smart-engage/post/create-session", json=body, headers=headers)
    day_ago = utcnow() - timedelta(hours=24, seconds=1)
    shift = "UPDATE idempotency_keys SET created_at = :at, expires_at = :until"
    at, until = (
        t.replace(tzinfo=None) if database_url.startswith("sqlite") else t for t in (day_ago, utcnow())
    )
    rows(database_url, shift, at=at, until=until)
    again = client.post("/smart-engage/post/create-session", json=body, headers=headers)
    assert again.status_code == 200 and REPLAYED not in again.headers
    assert count(database_url, "signage_sessions") == 2
    rows(database_url, shift, at=at, until=until)
    engine = create_engine(normalize_url(database_url))
    try:
        assert idempotency.forget_expired(make_sessionmaker(engine)) == 1
    finally:
        engine.dispose()
    assert count(database_url, "idempotency_keys") == 0


def test_the_credential_is_never_stored_raw(client, database_url):
    configure(client, signage.document())
    headers = {**signage.HEADERS, "Idempotency-Key": "raw"}
    client.post("/smart-engage/post/create-session", json={"campaign_id": "spring-form"}, headers=headers)
    [(scope, stored_headers)] = rows(database_url, "SELECT scope, headers FROM idempotency_keys")
    assert signage.KEY not in scope and signage.KEY not in str(stored_headers)
    assert "x-request-id" not in str(stored_headers).lower()


@pytest.mark.parametrize(
    ("status", "complete", "kept"),
    [(200, True, True), (422, True, True), (503, True, False), (200, False, False)],
)
def test_only_complete_answers_below_500_are_kept(status, complete, kept):
    capture = idempotency._Capture()
    capture.start = {"type": "http.response.start", "status": status, "headers": [(b"x-request-id", b"r")]}
    capture.chunks, capture.complete = [b"{}"], complete
    answer = capture.answer()
    assert (answer is not None) == kept
    if answer is not None:
        assert answer.headers == []


def test_a_failed_request_leaves_no_claim(settings, database_url):
    """An answer of 500 drops the claim: the client may retry, and the retry runs."""
    app = create_app(settings)
    calls: list[int] = []

    @app.post("/admin/v1/boom")
    def boom() -> None:
        calls.append(1)
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        for _ in range(2):
            response = client.post("/admin/v1/boom", headers={**ADMIN, "Idempotency-Key": "boom"})
            assert response.status_code == 500 and REPLAYED not in response.headers
    assert calls == [1, 1]
    assert count(database_url, "idempotency_keys") == 0


def test_openapi_documents_the_header_on_every_write(client):
    paths = client.get("/openapi.json").json()["paths"]
    writes = [(m, op) for ops in paths.values() for m, op in ops.items() if m.upper() in WRITES]
    assert len(writes) >= 20
    for _, operation in writes:
        names = [p["name"] for p in operation.get("parameters", [])]
        assert idempotency.HEADER in names
    documented = paths["/smart-engage/post/create-session"]["post"]["responses"]
    assert {"409", "422"} <= set(documented)


def test_a_method_no_route_serves_is_405_whatever_key_it_carries(client):
    """A key names a write the path serves: a PATCH of a POST-only path is the router's 405, not a replay
    nor a 422 for a key first used by the POST."""
    configure(client, signage.document())
    headers = {**signage.HEADERS, "Idempotency-Key": "create-2"}
    body = {"campaign_id": "spring-form"}
    assert client.post("/smart-engage/post/create-session", json=body, headers=headers).status_code == 200
    wrong = client.patch("/smart-engage/post/create-session", json=body, headers=headers)
    assert wrong.status_code == 405, wrong.text
    assert "idempotent-replayed" not in wrong.headers


def test_without_a_credential_a_key_is_bound_to_its_request(client):
    """No credential, no owner to hold a key across requests: a retry of the same request replays, and
    another request under the key is answered as it would be without one (here the missing API key's 401,
    not a 422 for the key)."""
    configure(client, signage.document())
    key = {"Idempotency-Key": "anonymous-1"}
    first = client.post("/smart-engage/post/create-session", json={"campaign_id": "spring-form"}, headers=key)
    assert first.status_code == 401
    same_answer(
        first,
        client.post("/smart-engage/post/create-session", json={"campaign_id": "spring-form"}, headers=key),
    )
    other = client.post("/smart-engage/post/create-session", json={"campaign_id": "other"}, headers=key)
    assert other.status_code == 401 and "idempotent-replayed" not in other.headers
