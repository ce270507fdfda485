"""The QR journey over HTTP: scan → statuses → coupon, with every documented answer of the vendor."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, select, text

from clicktrail.core.storage.db import normalize_url
from clicktrail.core.storage.ids import utcnow
from clicktrail.signage.models import JourneySession

from ..helpers import ADMIN, configure, snapshot
from .conftest import UK_ADDRESS
from .support import (
    HEADERS,
    IPHONE,
    OTHER_KEY,
    STATUSES,
    approved_session,
    campaign,
    document,
    engage,
    scan,
    session_of,
    set_status,
)

BAD_KEYS = [
    {},  # missing
    {"API-KEY": "wrong-key"},
    {"API-KEY": "wall-secret"},  # a real credential of the app, without the signage scope
    {"API-KEY": ""},
    {"Authorization": "Bearer signage-secret"},  # the right secret in the wrong header
]


def events(client, **params):
    response = client.get("/admin/v1/apps/demo/events", params={"family": "signage", **params}, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def run_sql(database_url: str, sql: str, **params) -> None:
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


class TestScan:
    def test_redirects_to_the_form_with_session_id_added(self, uk_shopper):
        response = uk_shopper.get("/smart-engage/scan/demo/spring-form", follow_redirects=False)
        assert response.status_code == 302
        location = response.headers["location"]
        session_id = session_of(location)
        assert str(uuid.UUID(session_id)) == session_id
        assert location == f"https://brand.example/form?lang=en&ref=screen%2042&session_id={session_id}#start"
        assert response.headers["cache-control"] == "no-store"

    def test_records_time_country_and_user_agent(self, uk_shopper):
        before = utcnow()
        session_id = scan(uk_shopper, headers={"User-Agent": IPHONE})
        [event] = events(uk_shopper)
        assert event["type"] == "scan.recorded"
        assert event["journey_id"] == session_id
        assert event["payload"] == {
            "campaign_id": "spring-form",
            "ip": UK_ADDRESS,
            "country": "GB",
            "browser": "Mobile Safari",
            "os": "iOS",
            "device": "iPhone",
            "is_bot": False,
            "is_link_preview": False,
            "rule": None,
            "verdict": "ok",
            "verdict_reason": None,
            "unique": True,
            "bot": False,
        }
        assert event["created_at"] >= before.isoformat().replace("+00:00", "Z")[:19]

    def test_bots_and_link_previews_are_flagged_not_dropped(self, shop):
        crawler = scan(shop, headers={"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"})
        preview = scan(shop, headers={"User-Agent": "WhatsApp/2.23.20.0 A"})
        flags = {e["journey_id"]: e["payload"] for e in events(shop)}
        assert (flags[crawler]["is_bot"], flags[crawler]["is_link_preview"]) == (True, False)
        assert (flags[preview]["is_bot"], flags[preview]["is_link_preview"]) == (True, True)
        assert flags[crawler]["country"] is None  # the test client's address is not a public one

    def test_every_scan_is_a_new_session(self, shop):
        assert len({scan(shop) for _ in range(3)}) == 3
        assert len(events(shop, type="scan.recorded")) == 3

    def test_a_stale_session_id_in_the_form_url_is_replaced(self, shop):
        configure(shop, document(campaign(form_url="https://brand.example/f?session_id=old&x=1")))
        response = shop.get("/smart-engage/scan/demo/spring-form", follow_redirects=False)
        session_id = session_of(response.headers["location"])
        assert response.headers["location"] == f"https://brand.example/f?x=1&session_id={session_id}"

    def test_unknown_campaign_is_404(self, shop, database_url, subtests):
        before = snapshot(database_url)
        for path, message in [
            ("/smart-engage/scan/demo/nope", "No record with campaign_id: nope"),
            ("/smart-engage/scan/nobody/spring-form", "No record with campaign_id: spring-form"),
            ("/smart-engage/scan/demo/other-form", "No record with campaign_id: other-form"),
            ("/smart-engage/scan/demo/a%00b", "No record with campaign_id: a\x00b"),
            ("/smart-engage/scan/a%00b/spring-form", "No record with campaign_id: spring-form"),
        ]:
            with subtests.test(path=path):
                response = shop.get(path, follow_redirects=False)
                assert response.status_code == 404
                assert response.json() == {"error_msg": message}
        assert snapshot(database_url) == before


class TestCreateSession:
    def test_form_backend_opens_a_session(self, shop):
        response = shop.post(
            "/smart-engage/post/create-session", json={"campaign_id": "spring-form"}, headers=HEADERS
        )
        assert response.status_code == 200
        session_id = response.json()["session_id"]
        assert response.json() == {"session_id": str(uuid.UUID(session_id))}
        [event] = events(shop)
        assert (event["type"], event["journey_id"], event["payload"]) == (
            "session.created",
            session_id,
            {"campaign_id": "spring-form", "source": "api"},
        )
        assert set_status(shop, session_id, "FORM_SUBMITTED").status_code == 200

    def test_campaign_of_another_app_is_404(self, shop):
        response = shop.post(
            "/smart-engage/post/create-session", json={"campaign_id": "other-form"}, headers=HEADERS
        )
        assert response.status_code == 404
        assert response.json() == {"error_msg": "No record with campaign_id: other-form"}

    def test_missing_campaign_is_400(self, shop):
        response = shop.post("/smart-engage/post/create-session", json={}, headers=HEADERS)
        assert response.status_code == 400
        assert response.json() == {"error_msg": "campaign_id is required"}


class TestStatus:
    def test_forward_one_step_at_a_time(self, shop):
        session_id = scan(shop)
        for status in STATUSES:
            response = set_status(shop, session_id, status)
            assert response.status_code == 200
            assert response.json() == {"message": "Status updated successfully"}
        changes = [(e["payload"]["from"], e["payload"]["to"]) for e in events(shop, type="status.changed")]
        assert changes == [(None, STATUSES[0]), (STATUSES[0], STATUSES[1]), (STATUSES[1], STATUSES[2])]

    def test_skipping_ahead_is_allowed(self, shop):
        session_id = scan(shop)
        assert set_status(shop, session_id, "FORM_APPROVED").status_code == 200
        [event] = events(shop, type="status.changed")
        assert event["journey_id"] == session_id
        assert event["payload"] == {
            "campaign_id": "spring-form",
            "from": None,
            "to": "FORM_APPROVED",
            "skipped": ["FORM_SUBMITTED", "FORM_REVIEWING"],
        }

    def test_same_or_earlier_status_is_already_completed(self, shop, database_url, subtests):
        session_id = scan(shop)
        assert set_status(shop, session_id, "FORM_REVIEWING").status_code == 200
        before = snapshot(database_url)
        for again in ("FORM_REVIEWING", "FORM_SUBMITTED"):  # a repeat, a step backward
            with subtests.test(status=again):
                response = set_status(shop, session_id, again)
                assert response.status_code == 400
                assert response.json() == {
                    "error_msg": f"Action already completed for session_id: {session_id}"
                }
        assert snapshot(database_url) == before

    def test_unknown_status_is_400(self, shop, database_url, subtests):
        session_id = scan(shop)
        before = snapshot(database_url)
        for status, message in [
            ("FORM_REJECTED", "Invalid new_status FORM_REJECTED"),
            ("form_submitted", "Invalid new_status form_submitted"),
            ("", "new_status: String should have at least 1 character"),
        ]:
            with subtests.test(status=status):
                response = set_status(shop, session_id, status)
                assert response.status_code == 400
                assert response.json() == {"error_msg": message}
        assert snapshot(database_url) == before

    def test_unknown_session_is_404(self, shop):
        for session_id in (str(uuid.uuid4()), "not-a-uuid"):  # a NUL in a body: tests/signage/test_nul.py
            response = set_status(shop, session_id, "FORM_SUBMITTED")
            assert response.status_code == 404
            assert response.json() == {"error_msg": f"No record with session_id: {session_id}"}

    def test_session_of_another_app_is_404(self, shop):
        theirs = scan(shop, app_id="other", campaign_id="other-form")
        response = set_status(shop, theirs, "FORM_SUBMITTED")
        assert response.status_code == 404
        assert response.json() == {"error_msg": f"No record with session_id: {theirs}"}
        assert set_status(shop, theirs, "FORM_SUBMITTED", headers={"API-KEY": OTHER_KEY}).status_code == 200

    def test_expired_session_is_404(self, shop, database_url):
        configure(shop, document(campaign(session_ttl_seconds=600)))
        session_id = scan(shop)
        assert set_status(shop, session_id, "FORM_SUBMITTED").status_code == 200
        run_sql(
            database_url,
            "UPDATE signage_sessions SET expires_at = created_at WHERE id = :id",
            id=session_id,
        )
        response = set_status(shop, session_id, "FORM_APPROVED")
        assert response.status_code == 404
        assert response.json() == {"error_msg": f"No record with session_id: {session_id}"}
        response = engage(shop, session_id)
        assert response.status_code == 400
        assert response.json() == {"error_msg": f"Invalid session_id {session_id}"}

    def test_malformed_body_is_400(self, shop, subtests):
        for body, message in [
            ('{"session_id": "x"', "Request body must be valid JSON"),
            ("", "Request body must be a JSON object"),
            ('["FORM_SUBMITTED"]', "Request body must be a JSON object"),
            ('{"new_status": "FORM_SUBMITTED"}', "session_id is required"),
            ('{"session_id": "abc"}', "new_status is required"),
            ('{"session_id": 7, "new_status": "FORM_SUBMITTED"}', "session_id must be a string"),
            ('{"session_id": "abc", "new_status": null}', "new_status must be a string"),
        ]:
            with subtests.test(body=body):
                response = shop.post(
                    "/smart-engage/post/update-session-status",
                    content=body,
                    headers={**HEADERS, "Content-Type": "application/json"},
                )
                assert response.status_code == 400
                assert response.json() == {"error_msg": message}

    def test_invalid_api_key_is_401(self, shop, database_url, subtests):
        session_id = approved_session(shop)
        before = snapshot(database_url)
        for headers in BAD_KEYS:
            with subtests.test(headers=headers):
                for response in (
                    set_status(shop, session_id, "FORM_SUBMITTED", headers=headers),
                    engage(shop, session_id, headers=headers),
                    shop.post(
                        "/smart-engage/post/create-session",
                        json={"campaign_id": "spring-form"},
                        headers=headers,
                    ),
                ):
                    assert response.status_code == 401
                    assert response.json() == {"error_msg": "API-KEY is invalid"}
        assert snapshot(database_url) == before

    def test_key_is_checked_before_the_body(self, shop):
        response = shop.post(
            "/smart-engage/post/update-session-status", content="{not json", headers={"API-KEY": "wrong"}
        )
        assert response.status_code == 401
        assert response.json() == {"error_msg": "API-KEY is invalid"}


class TestCoupon:
    def test_issued_once_the_status_reached_coupon_after(self, shop):
        session_id = approved_session(shop)
        response = engage(shop, session_id)
        assert response.status_code == 200
        assert response.json() == {"message": "success", "coupon_code": "SPRING-0001"}
        [event] = events(shop, type="coupon.issued")
        assert (event["journey_id"], event["payload"]) == (
            session_id,
            {"campaign_id": "spring-form", "coupon_code": "SPRING-0001", "status": "FORM_APPROVED"},
        )

    def test_codes_are_handed_out_in_order_one_per_session(self, shop):
        codes = [engage(shop, approved_session(shop)).json()["coupon_code"] for _ in range(3)]
        assert codes == ["SPRING-0001", "SPRING-0002", "SPRING-0003"]

    def test_body_is_optional(self, shop):
        session_id = approved_session(shop)
        response = shop.post(f"/smart-engage/post/engage-v3/{session_id}", headers=HEADERS)
        assert response.status_code == 200

    def test_not_before_eligibility(self, shop, database_url):
        session_id = scan(shop)
        for status in (None, "FORM_SUBMITTED", "FORM_REVIEWING"):
            if status:
                assert set_status(shop, session_id, status).status_code == 200
            before = snapshot(database_url)
            response = engage(shop, session_id)
            assert response.status_code == 400
            assert response.json() == {
                "error_msg": f"Coupon not available yet for session_id: {session_id}"
                " (status must reach FORM_APPROVED)"
            }
            assert snapshot(database_url) == before
        assert set_status(shop, session_id, "FORM_APPROVED").status_code == 200
        assert engage(shop, session_id).json()["coupon_code"] == "SPRING-0001"

    def test_eligible_past_a_middle_coupon_after(self, shop):
        configure(shop, document(campaign(coupon_after="FORM_REVIEWING")))
        at, past = scan(shop), scan(shop)
        assert set_status(shop, at, "FORM_REVIEWING").status_code == 200
        assert set_status(shop, past, "FORM_APPROVED").status_code == 200
        assert engage(shop, at).status_code == 200
        assert engage(shop, past).status_code == 200

    def test_twice_is_400_and_keeps_the_first_code(self, shop, database_url):
        session_id = approved_session(shop)
        assert engage(shop, session_id).json()["coupon_code"] == "SPRING-0001"
        before = snapshot(database_url)
        response = engage(shop, session_id)
        assert response.status_code == 400
        assert response.json() == {"error_msg": f"Coupon already issued for session_id: {session_id}"}
        assert snapshot(database_url) == before
        assert engage(shop, approved_session(shop)).json()["coupon_code"] == "SPRING-0002"

    def test_empty_pool_is_400_and_changes_nothing(self, shop, database_url):
        for _ in range(3):
            assert engage(shop, approved_session(shop)).status_code == 200
        session_id = approved_session(shop)
        before = snapshot(database_url)
        response = engage(shop, session_id)
        assert response.status_code == 400
        assert response.json() == {"error_msg": "No coupons left for campaign spring-form"}
        assert snapshot(database_url) == before

    def test_unknown_session_is_400(self, shop):
        for in_path, session_id in [(s, s) for s in (str(uuid.uuid4()), "not-a-uuid")] + [
            ("nul%00", "nul\x00")
        ]:
            response = engage(shop, in_path)
            assert response.status_code == 400
            assert response.json() == {"error_msg": f"Invalid session_id {session_id}"}

    def test_session_of_another_app_is_400(self, shop):
        theirs = scan(shop, app_id="other", campaign_id="other-form")
        other = {"API-KEY": OTHER_KEY}
        assert set_status(shop, theirs, "FORM_APPROVED", headers=other).status_code == 200
        response = engage(shop, theirs)
        assert response.status_code == 400
        assert response.json() == {"error_msg": f"Invalid session_id {theirs}"}
        assert engage(shop, theirs, headers=other).json() == {"message": "success", "coupon_code": "OTHER-1"}


class TestAnonymizedScans:
    def test_a_scan_stores_the_anonymized_address_and_the_right_country(self, uk_shopper, database_url):
        doc = document()
        doc["apps"][0]["privacy"] = {"anonymize_ip": True}
        configure(uk_shopper, doc)
        session_id = scan(uk_shopper, headers={"User-Agent": IPHONE})
        [event] = events(uk_shopper)
        assert (event["payload"]["ip"], event["payload"]["country"]) == ("81.2.69.0", "GB")
        engine = create_engine(normalize_url(database_url))
        try:
            with engine.connect() as conn:
                stored = conn.execute(
                    select(JourneySession.ip, JourneySession.country).where(JourneySession.id == session_id)
                ).one()
        finally:
            engine.dispose()
        assert tuple(stored) == ("81.2.69.0", "GB")
