"""Every error of the signage paths leaves in SmartRetail's envelope, ``{"error_msg": "…"}``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from clicktrail.core.storage.db import normalize_url

from .support import HEADERS, approved_session, engage, scan, set_status

INTERNAL = {"error_msg": "Internal error occured, please check with our team"}


@contextmanager
def table_missing(database_url: str, table: str) -> Iterator[None]:
    """A real fault: the table is renamed away while the server runs, and put back afterwards."""
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.begin() as conn:
            conn.execute(text(f'ALTER TABLE "{table}" RENAME TO "{table}_away"'))
        try:
            yield
        finally:
            with engine.begin() as conn:
                conn.execute(text(f'ALTER TABLE "{table}_away" RENAME TO "{table}"'))
    finally:
        engine.dispose()


def test_database_fault_is_500_in_the_vendor_envelope(shop, database_url):
    approved = approved_session(shop)
    with table_missing(database_url, "signage_sessions"):
        answers = [
            shop.get("/smart-engage/scan/demo/spring-form", follow_redirects=False),
            shop.post(
                "/smart-engage/post/create-session", json={"campaign_id": "spring-form"}, headers=HEADERS
            ),
            set_status(shop, approved, "FORM_APPROVED"),
            engage(shop, approved),
        ]
    for response in answers:
        assert (response.status_code, response.json()) == (500, INTERNAL)
    # Once the table is back, the same session carries on.
    assert engage(shop, approved).json() == {"message": "success", "coupon_code": "SPRING-0001"}


def test_coupon_pool_fault_is_500_and_issues_nothing(shop, database_url):
    session_id = approved_session(shop)
    with table_missing(database_url, "signage_coupons"):
        response = engage(shop, session_id)
    assert (response.status_code, response.json()) == (500, INTERNAL)
    assert engage(shop, session_id).json() == {"message": "success", "coupon_code": "SPRING-0001"}


def test_unrouted_requests_use_the_envelope(shop, subtests):
    for method, path, status, message in [
        ("GET", "/smart-engage/post/update-session-status", 405, "method not allowed"),
        ("PUT", "/smart-engage/post/engage-v3/abc", 405, "method not allowed"),
        ("POST", "/smart-engage/scan/demo/spring-form", 405, "method not allowed"),
        ("POST", "/smart-engage/post/engage-v2/abc", 404, "not found"),
        ("GET", "/smart-engage/", 404, "not found"),
    ]:
        with subtests.test(method=method, path=path):
            response = shop.request(method, path, headers=HEADERS)
            assert response.status_code == status
            assert response.json() == {"error_msg": message}


def test_openapi_describes_every_signage_route(shop):
    paths = shop.get("/openapi.json").json()["paths"]
    assert {p for p in paths if p.startswith("/smart-engage")} == {
        "/smart-engage/scan/{app_id}/{campaign_id}",
        "/smart-engage/post/create-session",
        "/smart-engage/post/update-session-status",
        "/smart-engage/post/engage-v3/{session_id}",
    }
    body = paths["/smart-engage/post/update-session-status"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["required"] == ["session_id", "new_status"]


def test_scan_needs_no_key_but_the_api_does(shop):
    session_id = scan(shop)
    assert set_status(shop, session_id, "FORM_SUBMITTED", headers={}).json() == {
        "error_msg": "API-KEY is invalid"
    }


def test_refused_status_steps_are_not_writer_failures(shop):
    """A step the rules refuse (400) or a session nobody opened (404) is the client's answer: the writer's
    failure and retry counts (what an operator is alerted on) stay at zero."""
    sid = scan(shop)
    assert set_status(shop, sid, "FORM_APPROVED").status_code == 200
    assert set_status(shop, sid, "FORM_SUBMITTED").status_code == 400  # going back
    assert set_status(shop, sid, "NO_SUCH_STATUS").status_code == 400
    assert set_status(shop, "8960569d-db50-4742-8668-1da5c8ddf652", "FORM_SUBMITTED").status_code == 404
    stats = shop.app.state.runtime.writer.stats
    assert (stats.failed_jobs, stats.retried_batches) == (0, 0)
