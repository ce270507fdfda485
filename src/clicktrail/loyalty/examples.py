"""Examples for /openapi.json: what the demo app (examples/demo.yaml) really sends and answers."""

from __future__ import annotations

LOYALTY_ID = "6320872739134931"
PROMPT_ID = "01a21364-2aa8-7af9-9316-32de7a5bada1"
PROMPT = "Spend $3.50 more to earn 500 bonus points"

TOKEN_FORM = {"grant_type": "client_credentials"}
TOKEN = {
    "access_token": "ctt_QKGMOxKAqelmWwiSyt--pd8295L86_zUOTAIIhMS3aE",
    "token_type": "Bearer",
    "expires_in": 3600,
    "scope": "loyalty",
}

ANONYMOUS_SESSION_REQUEST = {"correlationId": "c-1001", "channel": "POS"}
ANONYMOUS_SESSION = {
    "loyaltyId": "anonymous",
    "membershipType": "N",
    "status": "NO_CARD",
    "prompt": "",
    "isValid": True,
    "promptMessage": "",
    "correlationId": "c-1001",
    "externalIdentifier": None,
    "channel": "POS",
    "locale": "en-US",
}
MEMBER_SESSION_REQUEST = {"correlationId": "c-1002", "channel": "POS"}
MEMBER_SESSION = {
    "accountId": "member-7",
    "loyaltyId": LOYALTY_ID,
    "correlationId": "c-1002",
    "identifierType": "ACCOUNT_ID",
    "membershipType": "M",
    "status": "ACTIVE",
    "enrolled": True,
    "channel": "POS",
    "locale": "en-US",
    "pointsBalance": 0,
    "redeemableBalance": "0",
}

ACTIVITY = {
    "action": "PURCHASE",
    "channel": "POS",
    "transactionDate": "2026-03-01T10:15:00Z",
    "basket": {"amount": "46.50", "currency": "USD", "lineItems": []},
}
TRIAL = {
    "correlationId": "c-1002",
    "callId": "01a21364-2aa8-7ec5-b340-169965a07c4e",
    "action": "PURCHASE",
    "channel": "POS",
    "transactionDate": "2026-03-01T10:15:00Z",
    "locale": "en-US",
    "loyaltyId": LOYALTY_ID,
    "basket": {"amount": "46.50", "currency": "USD", "lineItemCount": 0},
    "estimate": {"basePoints": 465, "bonusPoints": 0, "totalPoints": 465},
    "offers": [{"offerId": "spend50", "threshold": "50.00", "bonusPoints": 500, "met": False, "gap": "3.50"}],
    "nearMiss": [
        {
            "promptMessageID": PROMPT_ID,
            "offerId": "spend50",
            "gap": "3.50",
            "bonusPoints": 500,
            "promptMessage": PROMPT,
        }
    ],
    "gap": "3.50",
    "promptMessageID": PROMPT_ID,
    "promptMessage": PROMPT,
}

PROMPT_RESPONSE = {"response": "accepted"}
PROMPT_CAPTURED = {"message": "Customer's response captured successfully."}

FINALIZE = {**ACTIVITY, "basket": {"amount": "52.00", "currency": "USD", "lineItems": []}}
TRANSACTION_ID = "d8c8bcc0-91ff-41b2-b285-8c744dcf260f"
FINALIZED = {
    "transactionId": TRANSACTION_ID,
    "correlationId": "c-1002",
    "callId": "ff4967f6-4387-43e4-823f-2791469bb901",
    "action": "PURCHASE",
    "channel": "POS",
    "transactionDate": "2026-03-01T10:15:00Z",
    "loyaltyId": LOYALTY_ID,
    "accountId": "member-7",
    "basket": {"amount": "52.00", "currency": "USD"},
    "tender": None,
    "earned": {"basePoints": 520, "bonusPoints": 500, "totalPoints": 1020},
    "offerRewards": [{"offerId": "spend50", "type": "POINTS", "threshold": "50.00", "points": 500}],
    "redeemed": [],
    "pointsBalance": 1020,
}
HISTORY = {
    "transactions": [
        {
            "transactionId": TRANSACTION_ID,
            "correlationId": "c-1002",
            "callId": "ff4967f6-4387-43e4-823f-2791469bb901",
            "transactionDate": "2026-03-01T10:15:00Z",
            "channel": "POS",
            "amount": "52.00",
            "currency": "USD",
            "basePoints": 520,
            "bonusPoints": 500,
            "totalPoints": 1020,
        }
    ],
    "limit": 1,
    "nextTransactionId": None,
}
