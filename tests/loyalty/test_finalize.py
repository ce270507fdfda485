"""POST /client/users/{correlation_id}/activity/finalize/v2 and GET .../transactions/history/v2."""

from __future__ import annotations

from ..helpers import snapshot
from .conftest import AUTH, OTHER, activity, answer, events, finalize, new_cid, start, start_anonymous, trial


def test_finalize_books_base_points_and_met_bonuses(shop):
    session = start(shop, "m1")
    cid = session["correlationId"]
    prompt_id = trial(shop, cid, "46.50").json()["promptMessageID"]
    answer(shop, cid, prompt_id, "accepted")
    response = finalize(shop, cid, "50.25", callId="till-7")
    assert response.status_code == 200
    body = response.json()
    assert body["earned"] == {"basePoints": 502, "bonusPoints": 600, "totalPoints": 1102}
    assert [(r["offerId"], r["points"]) for r in body["offerRewards"]] == [("spend48", 100), ("spend50", 500)]
    assert body["basket"] == {"amount": "50.25", "currency": "USD"}
    assert body["pointsBalance"] == 1102
    assert (body["callId"], body["loyaltyId"], body["accountId"]) == ("till-7", session["loyaltyId"], "m1")
    assert body["redeemed"] == []
    assert "ConfirmationDetails" not in body
    [event] = [e for e in events(shop, cid) if e["type"] == "transaction.finalized"]
    assert event["payload"]["offers"] == ["spend48", "spend50"]
    assert event["payload"]["amount"] == "50.25"
    # The next session of the same member adds to the balance.
    cid2 = start(shop, "m1")["correlationId"]
    assert finalize(shop, cid2, "10.00").json()["pointsBalance"] == 1202
    assert start(shop, "m1")["pointsBalance"] == 1202


def test_same_call_id_returns_the_first_result_and_books_nothing_twice(shop, database_url):
    cid = start(shop)["correlationId"]
    first = finalize(shop, cid, "50.00", callId="call-1")
    before = snapshot(database_url)
    again = finalize(shop, cid, "75.00", callId="call-1")  # a retry: the first booking stands
    assert again.status_code == 200
    assert again.content == first.content  # the first answer, byte for byte
    assert snapshot(database_url) == before


def test_a_second_finalize_is_refused(shop, database_url):
    cases = [None, "call-2"]
    for call_id in cases:
        cid = start(shop)["correlationId"]
        assert finalize(shop, cid, "50.00", callId="call-1").status_code == 200
        before = snapshot(database_url)
        extra = {"callId": call_id} if call_id else {}
        response = finalize(shop, cid, "50.00", **extra)
        assert response.status_code == 400
        assert response.json() == {
            "statusCode": 400,
            "errorMessage": "Session correlation ID is already finalized--start a new session",
            "errorCode": "INVALID_REQUEST",
        }
        assert (
            trial(shop, cid).json()["errorMessage"].startswith("Session correlation ID is already finalized")
        )
        assert snapshot(database_url) == before


def test_tender_in_both_documented_forms(shop):
    cases = [
        ({"CASH": "200", "LOYALTY": 100}, {"CASH": "200.00", "LOYALTY": "100.00"}),
        (
            {"VISA": [{"idType": "LAST_4", "prefix": "4111", "suffix": "1111", "amount": "500"}]},
            {"VISA": [{"idType": "LAST_4", "prefix": "4111", "suffix": "1111", "amount": "500.00"}]},
        ),
        (
            {"CASH": 10.5, "MASTERCARD": [{"idType": "LAST_4", "suffix": "4444", "amount": "39.995"}]},
            {
                "CASH": "10.50",
                "MASTERCARD": [{"idType": "LAST_4", "prefix": None, "suffix": "4444", "amount": "40.00"}],
            },
        ),
    ]
    for tender, view in cases:
        cid = start(shop)["correlationId"]
        response = finalize(shop, cid, "50.00", tender=tender)
        assert response.status_code == 200, response.text
        assert response.json()["tender"] == view


def test_malformed_tender_is_400(shop, database_url):
    cases = [
        {"CASH": "abc"},
        {"VISA": [{"idType": "LAST_4"}]},
        {"VISA": []},
        {"": "1.00"},
        {"CASH": None},
        ["CASH", "1.00"],
    ]
    for tender in cases:
        cid = start(shop)["correlationId"]
        before = snapshot(database_url)
        response = finalize(shop, cid, "50.00", tender=tender)
        assert response.status_code == 400
        assert response.json()["errorCode"] == "INVALID_REQUEST"
        assert snapshot(database_url) == before


def test_cart_confirmation(shop):
    cid = start(shop)["correlationId"]
    body = finalize(shop, cid, "12.00", confirmation={"mode": "CART"}).json()
    assert body["ConfirmationDetails"] == {"confirmed": True, "mode": "CART"}
    response = finalize(shop, start(shop)["correlationId"], confirmation={"mode": "LATER"})
    assert response.status_code == 400
    assert "unsupported mode 'LATER'" in response.json()["errorMessage"]


def test_anonymous_finalize_books_nothing_but_says_what_could_have_been_earned(shop):
    cid = start_anonymous(shop)["correlationId"]
    body = finalize(shop, cid, "50.00").json()
    assert body["loyaltyId"] == "anonymous"
    assert body["accountId"] is None
    assert body["earned"] == {"basePoints": 0, "bonusPoints": 0, "totalPoints": 0}
    assert body["couldHaveEarned"] == {"basePoints": 500, "bonusPoints": 600, "totalPoints": 1100}
    assert body["pointsBalance"] is None


def test_finalize_unknown_session_and_other_app(shop):
    cid = start(shop)["correlationId"]
    for response in (finalize(shop, new_cid()), finalize(shop, cid, headers=OTHER)):
        assert response.status_code == 400
        assert response.json()["errorMessage"] == "Session correlation ID does not exist--create it first"


def test_finalize_other_currency_changes_nothing(shop, database_url):
    cid = start(shop)["correlationId"]
    before = snapshot(database_url)
    body = activity("50.00")
    body["basket"]["currency"] = "CAD"
    response = shop.post(f"/client/users/{cid}/activity/finalize/v2", json=body, headers=AUTH)
    assert response.status_code == 400
    assert snapshot(database_url) == before
    assert finalize(shop, cid, "50.00").status_code == 200  # the session is still open


class TestHistory:
    def history(self, client, cid, headers=AUTH, **params):
        return client.get(f"/client/users/{cid}/transactions/history/v2", params=params, headers=headers)

    def test_keyset_paging_newest_first(self, shop):
        ids = []
        for n in range(5):
            cid = start(shop, "m1")["correlationId"]
            ids.append(
                finalize(shop, cid, f"{n + 1}.00", transactionDate=f"2026-11-0{n + 1}T12:00:00Z").json()[
                    "transactionId"
                ]
            )
        start(shop, "m2")  # another member's sessions are not in m1's history
        finalize(shop, start(shop, "m2")["correlationId"], "9.00")
        cid = start(shop, "m1")["correlationId"]
        page = self.history(shop, cid, limit=2).json()
        assert [t["transactionId"] for t in page["transactions"]] == ids[::-1][:2]
        assert page["transactions"][0]["amount"] == "5.00"
        assert page["transactions"][0]["totalPoints"] == 50
        assert page["nextTransactionId"] == ids[3]
        page = self.history(shop, cid, limit=2, transactionId=page["nextTransactionId"]).json()
        assert [t["transactionId"] for t in page["transactions"]] == [ids[2], ids[1]]
        page = self.history(shop, cid, limit=2, transactionId=page["nextTransactionId"]).json()
        assert [t["transactionId"] for t in page["transactions"]] == [ids[0]]
        assert page["nextTransactionId"] is None
        assert len(self.history(shop, cid).json()["transactions"]) == 5
        # from/to are epoch milliseconds, inclusive.
        since = 1_793_620_800_000  # 2026-11-02T12:00:00Z
        until = since + 2 * 86_400_000
        window = self.history(shop, cid, **{"from": since, "to": until}).json()
        assert [t["transactionId"] for t in window["transactions"]] == [ids[3], ids[2], ids[1]]

    def test_bad_parameters_are_400(self, shop):
        cases = [
            {"limit": 0},
            {"limit": 151},
            {"limit": "x"},
            {"from": -1},
            {"sort": "asc"},
            {"transactionId": "nope"},
        ]
        for params in cases:
            cid = start(shop)["correlationId"]
            response = self.history(shop, cid, **params)
            assert response.status_code == 400
            assert response.json()["errorCode"] == "INVALID_REQUEST"

    def test_anonymous_history_is_the_session_own(self, shop):
        cid = start_anonymous(shop)["correlationId"]
        assert self.history(shop, cid).json()["transactions"] == []
        finalize(shop, cid, "3.00")
        [only] = self.history(shop, cid).json()["transactions"]
        assert (only["amount"], only["totalPoints"]) == ("3.00", 0)

    def test_unknown_session(self, shop):
        response = self.history(shop, new_cid())
        assert response.json()["errorMessage"] == "Session correlation ID does not exist--create it first"


def test_a_transaction_date_is_an_iso_string_never_a_number(shop, database_url):
    cid = start(shop)["correlationId"]
    before = snapshot(database_url)
    for date in (0, 1e12, 1700000000, "1700000000", True):
        response = finalize(shop, cid, "50.00", transactionDate=date)
        assert response.status_code == 400, (date, response.text)
        assert "transactionDate" in response.json()["errorMessage"]
    assert snapshot(database_url) == before
    assert finalize(shop, cid, "50.00", transactionDate="2026-11-01T12:00:00Z").status_code == 200
