"""POST /client/users/{correlation_id}/activity/trial/v2: the points estimate and near-miss prompts."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clicktrail.loyalty.money import parse_amount, points_for, to_cents, wire

from ..helpers import snapshot
from .conftest import AUTH, OTHER, activity, events, finalize, new_cid, start, start_anonymous, trial

NBSP = "\u00a0"  # CLDR separates amount and currency with no-break spaces


def test_estimate_and_near_miss_prompts(shop):
    session = start(shop)
    cid = session["correlationId"]
    response = trial(shop, cid, "46.50")
    assert response.status_code == 200
    body = response.json()
    assert body["basket"] == {"amount": "46.50", "currency": "USD", "lineItemCount": 1}
    assert body["estimate"] == {"basePoints": 465, "bonusPoints": 0, "totalPoints": 465}
    assert body["loyaltyId"] == session["loyaltyId"]
    assert [(n["offerId"], n["gap"], n["bonusPoints"]) for n in body["nearMiss"]] == [
        ("spend48", "1.50", 100),
        ("spend50", "3.50", 500),
    ]
    assert [n["promptMessage"] for n in body["nearMiss"]] == [
        "Only $1.50 away from 100 points",
        "Spend $3.50 more to earn 500 bonus points",
    ]
    # The nearest prompt is also at the top level.
    assert body["promptMessageID"] == body["nearMiss"][0]["promptMessageID"]
    assert body["promptMessage"] == "Only $1.50 away from 100 points"
    assert body["gap"] == "1.50"
    assert [(o["offerId"], o["met"], o["gap"]) for o in body["offers"]] == [
        ("spend48", False, "1.50"),
        ("spend50", False, "3.50"),
        ("spend100", False, "53.50"),
    ]
    kinds = [e["type"] for e in events(shop, cid)]
    assert kinds == ["member.enrolled", "session.started", "trial.recorded", "prompt.shown", "prompt.shown"]


def test_no_prompt_outside_the_window(shop):
    cid = start(shop)["correlationId"]
    body = trial(shop, cid, "10.00").json()
    assert body["nearMiss"] == []
    assert body["promptMessageID"] is None
    assert body["promptMessage"] is None
    assert body["gap"] is None
    assert body["estimate"]["totalPoints"] == 100


def test_window_edges(shop):
    cases = [("45.00", ["spend48", "spend50"]), ("44.99", ["spend48"]), ("42.99", []), ("43.00", ["spend48"])]
    for amount, offers in cases:
        cid = start(shop)["correlationId"]
        assert [n["offerId"] for n in trial(shop, cid, amount).json()["nearMiss"]] == offers


def test_met_offers_count_in_the_estimate(shop):
    cid = start(shop)["correlationId"]
    body = trial(shop, cid, "96.00").json()
    assert body["estimate"] == {"basePoints": 960, "bonusPoints": 600, "totalPoints": 1560}
    assert [n["offerId"] for n in body["nearMiss"]] == ["spend100"]
    assert body["promptMessage"] == "Spend $4.00 more for 2000 points"


def test_amounts_round_half_up_to_the_cent(shop):
    cases = [
        ("45.005", "45.01", "4.99"),  # half a cent rounds up
        ("45.004", "45.00", "5.00"),
        ("46.495", "46.50", "3.50"),
        ("46.4949", "46.49", "3.51"),
        (46.5, "46.50", "3.50"),  # JSON numbers are read as their decimal text
        (46, "46.00", "4.00"),
        ("  46.5 ", "46.50", "3.50"),
    ]
    for sent, amount, gap in cases:
        cid = start(shop)["correlationId"]
        body = trial(shop, cid, sent).json()
        assert body["basket"]["amount"] == amount
        assert next(n["gap"] for n in body["nearMiss"] if n["offerId"] == "spend50") == gap


def test_points_are_whole_and_rounded_down(shop):
    cid = start(shop)["correlationId"]
    assert trial(shop, cid, "46.59").json()["estimate"]["basePoints"] == 465


def test_gap_is_formatted_in_the_session_locale(shop):
    cases = [
        ("fr-CA", f"Dépensez 3,50{NBSP}${NBSP}US de plus pour gagner 500 points"),
        ("fr_CA", f"Dépensez 3,50{NBSP}${NBSP}US de plus pour gagner 500 points"),
        ("en-CA", "Spend US$3.50 more to earn 500 bonus points"),
        ("xx-XX", "Spend $3.50 more to earn 500 bonus points"),  # unknown: the app's locale
    ]
    for locale, message in cases:
        cid = start(shop, locale=locale)["correlationId"]
        body = trial(shop, cid, "46.50").json()
        assert next(n["promptMessage"] for n in body["nearMiss"] if n["offerId"] == "spend50") == message


def test_trial_locale_overrides_the_session(shop):
    cid = start(shop, locale="en-US")["correlationId"]
    body = trial(shop, cid, "46.50", locale="fr-CA").json()
    assert body["locale"] == "fr-CA"
    # spend48 has only English text: the French locale still formats the amount.
    assert body["promptMessage"] == f"Only 1,50{NBSP}${NBSP}US away from 100 points"


def test_repeated_call_id_returns_the_first_answer(shop, database_url):
    cid = start(shop)["correlationId"]
    first = trial(shop, cid, "46.50", callId="call-1")
    before = snapshot(database_url)
    again = trial(shop, cid, "46.50", callId="call-1")
    assert again.content == first.content
    assert snapshot(database_url) == before  # no new trial, prompt or event
    other = trial(shop, cid, "46.50", callId="call-2").json()
    assert other["promptMessageID"] != first.json()["promptMessageID"]


def test_anonymous_trial_shows_what_could_be_earned(shop):
    cid = start_anonymous(shop)["correlationId"]
    body = trial(shop, cid, "47.00").json()
    assert body["loyaltyId"] == "anonymous"
    assert body["estimate"]["totalPoints"] == 470
    assert body["promptMessage"] == "Only $1.00 away from 100 points"


def test_unknown_session(shop):
    response = trial(shop, new_cid())
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "errorMessage": "Session correlation ID does not exist--create it first",
        "errorCode": "INVALID_REQUEST",
    }


def test_session_of_another_app_is_unknown(shop):
    cid = start(shop)["correlationId"]
    assert (
        trial(shop, cid, headers=OTHER).json()["errorMessage"].startswith("Session correlation ID does not")
    )


def test_other_currency_is_refused(shop, database_url):
    cid = start(shop)["correlationId"]
    before = snapshot(database_url)
    body = activity("46.50")
    body["basket"]["currency"] = "EUR"
    response = shop.post(f"/client/users/{cid}/activity/trial/v2", json=body, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["errorMessage"] == "EUR is not a valid currency for this program (expected USD)"
    assert snapshot(database_url) == before


def test_malformed_trials_are_400(shop, database_url):
    cases = [
        {"basket": {"amount": "abc", "currency": "USD"}},
        {"basket": {"amount": "-1.00", "currency": "USD"}},
        {"basket": {"amount": "NaN", "currency": "USD"}},
        {"basket": {"amount": True, "currency": "USD"}},
        {"basket": {"amount": "99999999", "currency": "USD"}},
        {"basket": {"currency": "USD"}},
        {"action": "REFUND"},
        {"channel": ""},
        {"transactionDate": "yesterday"},
        {"callId": "has spaces"},
    ]
    for change in cases:
        cid = start(shop)["correlationId"]
        before = snapshot(database_url)
        response = shop.post(
            f"/client/users/{cid}/activity/trial/v2", json={**activity(), **change}, headers=AUTH
        )
        assert response.status_code == 400
        assert response.json()["errorCode"] == "INVALID_REQUEST"
        assert response.json()["statusCode"] == 400
        assert snapshot(database_url) == before


def test_malformed_json_is_400(shop):
    cid = start(shop)["correlationId"]
    response = shop.post(
        f"/client/users/{cid}/activity/trial/v2",
        content=b"{not json",
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "errorMessage": "malformed JSON",
        "errorCode": "INVALID_REQUEST",
    }


class TestMoney:
    @settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.decimals(min_value=0, max_value=1_000_000, places=3))
    def test_amounts_are_exact_cents(self, value: Decimal):
        cents = to_cents(parse_amount(str(value)))
        assert Decimal(wire(cents)) == value.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        assert wire(cents).count(".") == 1
        assert len(wire(cents).split(".")[1]) == 2

    @given(st.integers(min_value=0, max_value=10**9), st.decimals(min_value=0, max_value=1000, places=4))
    def test_points_never_exceed_the_exact_product(self, cents: int, rate: Decimal):
        points = points_for(cents, rate)
        assert points <= Decimal(cents) / 100 * rate < points + 1


def test_body_is_read_whatever_the_content_type(shop):
    cid = start(shop)["correlationId"]
    for content_type in ("application/x-www-form-urlencoded", "text/plain", None):
        headers = {**AUTH, **({"Content-Type": content_type} if content_type else {})}
        response = shop.post(
            f"/client/users/{cid}/activity/trial/v2",
            content=json.dumps(activity("46.50")).encode(),
            headers=headers,
        )
        assert response.status_code == 200, (content_type, response.text)
        assert response.json()["basket"]["amount"] == "46.50"


def test_long_correlation_id_is_400_before_the_body(shop):
    response = shop.post(
        f"/client/users/{'c' * 65}/activity/trial/v2", json={"action": "REFUND"}, headers=AUTH
    )
    assert response.status_code == 400
    assert response.json() == {
        "statusCode": 400,
        "errorMessage": "correlation_id: String should have at most 64 characters",
        "errorCode": "INVALID_REQUEST",
    }


def test_a_token_is_as_good_as_the_secret(shop):
    token = shop.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "pos-1", "client_secret": "pos-secret-1"},
    ).json()["access_token"]
    cid = start(shop)["correlationId"]
    response = trial(shop, cid, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    for headers, message in (
        ({}, "Missing or malformed Authorization header (expected Bearer)"),
        ({"Authorization": token}, "Missing or malformed Authorization header (expected Bearer)"),
        ({"Authorization": "Bearer wall-secret-1"}, "credential lacks the 'loyalty' scope"),
    ):
        refused = trial(shop, cid, headers=headers)
        assert refused.status_code == 401
        assert refused.json() == {"statusCode": 401, "errorMessage": message, "errorCode": "UNAUTHORIZED"}


def test_a_refused_trial_is_not_a_writer_failure(shop):
    """A trial of a finalized session is the client's 400, refused inside the writer's job: the writer's
    failure and retry counts (what an operator is alerted on) stay at zero."""
    cid = start(shop, correlationId=new_cid())["correlationId"]
    assert finalize(shop, cid).status_code == 200
    refused = trial(shop, cid)
    assert refused.status_code == 400, refused.text
    stats = shop.app.state.runtime.writer.stats
    assert (stats.failed_jobs, stats.retried_batches) == (0, 0)
