"""Member and anonymous sessions: enrolment on first sight, identifier types, correlation ids."""

from __future__ import annotations

from pathlib import Path

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.loyalty import service

from ..helpers import snapshot
from .conftest import AUTH, OTHER, events, new_cid, start, start_anonymous


def test_member_is_enrolled_on_first_sight_and_found_after(shop):
    first = start(shop, "acct-42")
    assert first["enrolled"] is True
    assert first["accountId"] == "acct-42"
    assert first["membershipType"] == "M"
    assert first["status"] == "ACTIVE"
    assert first["pointsBalance"] == 0
    assert first["identifierType"] == "ACCOUNT_ID"
    assert len(first["loyaltyId"]) == 16
    again = start(shop, "acct-42")
    assert again["enrolled"] is False
    assert again["loyaltyId"] == first["loyaltyId"]
    # The generated loyalty id finds the same member.
    by_loyalty_id = start(shop, first["loyaltyId"], kind="loyalty_id")
    assert (by_loyalty_id["accountId"], by_loyalty_id["enrolled"]) == ("acct-42", False)
    assert [e["type"] for e in events(shop, first["correlationId"])] == ["member.enrolled", "session.started"]
    assert [e["type"] for e in events(shop, again["correlationId"])] == ["session.started"]


def test_email_identifiers_are_case_insensitive(shop):
    first = start(shop, "Ann@Example.com", kind="EMAIL")
    again = start(shop, "ann@example.COM", kind="EMAIL")
    assert again["loyaltyId"] == first["loyaltyId"]
    assert again["enrolled"] is False


def test_phone_numbers_are_normalized_and_redeem_nothing(shop):
    first = start(shop, "+1 (416) 555-0100", kind="PHONE_NUMBER")
    again = start(shop, "+14165550100", kind="PHONE_NUMBER")
    assert again["loyaltyId"] == first["loyaltyId"]
    assert again["redeemableBalance"] == "0"


def test_the_same_value_under_another_type_is_another_member(shop):
    assert (
        start(shop, "X1", kind="EXTERNAL_ID")["loyaltyId"]
        != start(shop, "X1", kind="PARTNER_LINK_ID")["loyaltyId"]
    )


def test_bad_identifiers_are_400(shop, database_url):
    cases = [
        ("m1", "PASSPORT", "PASSPORT is not a valid X-Identifier-Type"),
        ("not-an-email", "EMAIL", "not-an-email is not a valid EMAIL"),
        ("12", "PHONE_NUMBER", "12 is not a valid PHONE_NUMBER (use +country format)"),
    ]
    for identifier, kind, message in cases:
        before = snapshot(database_url)
        response = shop.post(
            f"/client/users/{identifier}/sessions",
            json={"correlationId": new_cid()},
            headers={**AUTH, "X-Identifier-Type": kind},
        )
        assert response.status_code == 400
        assert response.json()["errorMessage"].startswith(message)
        assert response.json()["errorCode"] == "INVALID_REQUEST"
        assert snapshot(database_url) == before


def test_a_correlation_id_in_use_is_400_and_changes_nothing(shop, database_url):
    cid = start(shop, "m1")["correlationId"]
    before = snapshot(database_url)
    for response in (
        shop.post("/client/users/m2/sessions", json={"correlationId": cid}, headers=AUTH),
        shop.post("/client/users/anonymous/sessions", json={"correlationId": cid}, headers=AUTH),
    ):
        assert response.status_code == 400
        assert response.json() == {
            "statusCode": 400,
            "errorMessage": f"correlationId {cid} is already in use--choose a new one",
            "errorCode": "INVALID_REQUEST",
        }
    assert snapshot(database_url) == before  # m2 was not enrolled either


def test_correlation_ids_belong_to_their_app(shop):
    cid = start(shop)["correlationId"]
    assert start_anonymous(shop, headers=OTHER, correlationId=cid)["correlationId"] == cid


def test_malformed_session_bodies_are_400(shop):
    cases = [
        {},
        {"correlationId": ""},
        {"correlationId": "a b"},
        {"correlationId": "x" * 65},
        {"correlationId": "c", "channel": ""},
    ]
    for body in cases:
        response = shop.post("/client/users/m1/sessions", json=body, headers=AUTH)
        assert response.status_code == 400
        assert response.json()["errorCode"] == "INVALID_REQUEST"


def test_channel_is_case_insensitive_and_custom_values_are_kept(shop):
    assert start(shop, channel="pos")["channel"] == "POS"
    assert start(shop, channel="KIOSK_7")["channel"] == "KIOSK_7"


def test_anonymous_session(shop):
    body = start_anonymous(shop, externalIdentifier="receipt-9", locale="fr-CA", anonymousSessionId=True)
    assert body["loyaltyId"] == "anonymous"
    assert body["membershipType"] == "N"
    assert body["status"] == "NO_CARD"
    assert body["isValid"] is True
    assert (body["prompt"], body["promptMessage"]) == ("", "")
    assert body["locale"] == "fr-CA"
    assert body["externalIdentifier"] == "receipt-9"
    [event] = events(shop, body["correlationId"])
    assert (event["type"], event["payload"]["anonymous"], event["user_id"]) == ("session.started", True, None)


def test_invalid_or_missing_locale_falls_back_to_the_app_locale(shop):
    assert start_anonymous(shop, locale="zz-ZZ")["locale"] == "en-US"
    assert start_anonymous(shop)["locale"] == "en-US"


def test_unknown_loyalty_path_is_in_the_es_envelope(shop):
    response = shop.get("/client/nowhere", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["errorCode"] == "NOT_FOUND"
    assert set(response.json()) == {"statusCode", "errorMessage", "errorCode"}


def test_openapi_describes_every_loyalty_route():
    app = create_app(Settings(database_url="sqlite:///unused.db"))
    paths = set(app.openapi()["paths"])
    assert {
        "/oauth/token",
        "/client/users/anonymous/sessions",
        "/client/users/{identifier}/sessions",
        "/client/users/{correlation_id}/activity/trial/v2",
        "/client/users/{correlation_id}/prompts/{promptMessage_id}",
        "/client/users/{correlation_id}/activity/finalize/v2",
        "/client/users/{correlation_id}/transactions/history/v2",
    } <= paths


def test_docs_keep_every_vendor_message():
    docs = (Path(__file__).parents[2] / "docs" / "loyalty.md").read_text()
    for message in (
        "{response} is not a valid response",
        "{{promptMessage_id}} is not a valid promptMessageId",
        service.NO_SESSION,
        service.FINALIZED,
        service.CAPTURED,
    ):
        assert message in docs, message
