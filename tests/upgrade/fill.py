"""Fill a running server through every family's public API, as clients would: the data an upgrade fixture
holds. Each step asserts its answer, so a fixture is only written from a release that worked."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

import httpx

ADMIN_TOKEN = "test-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
LINK = "6006dda272f002519c3eb505"


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.request.url, response.status_code, response.text)
    return response.json() if response.content else None


def fill_surveys(http: httpx.Client, user: str) -> str:
    wall = {"X-Api-Token": "wall-secret", "X-User-Id": user}
    listed = ok(http.get("/v2/client/surveys?client_country=US", headers=wall))
    survey = next(s for s in listed["data"]["surveys"] if s["id"] == "srv-auto")
    click_url = httpx.URL(survey["click_url"])
    click = ok(http.post(click_url.path, params=click_url.params))
    click_id = click["data"]["id"]
    for body in (
        {"answer_question": {"answers": ["1990-04-12"]}},
        {"answer_question": {"answers": ["1"]}},
        {"skip_question": True},
        {"answer_question": {"answers": ["2"]}},
    ):
        ok(http.post(f"/v2/client/clicks/{click_id}", json=body))
    target = f"/v2/server/clicks/{click_id}/complete?ts={int(time.time())}"
    digest = hmac.new(b"demo-callback-secret", target.encode(), hashlib.sha1).hexdigest()
    ok(http.get(f"{target}&hash={digest}"))
    return click_id


def fill_partners(http: httpx.Client, ip: str) -> str:
    token = ok(
        http.post("/ib/v1/tokens", auth=("ib-1", "ib-secret"), json={"grant_type": "client_credentials"})
    )["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    click = ok(
        http.post(
            "/ib/v1/clicks",
            headers=auth,
            json={
                "ip": ip,
                "uri": "https://my.stage.org/register?referral=1&utm_source=youtube.com&utm_campaign=sport",
                "referrer": "https://twitter.com",
                "time": "2026-11-01T00:00:00+00:00",
                "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15",
                "locale": "en",
                "uuid": None,
            },
        ),
        201,
    )
    profile = {"firstName": "Mary", "lastName": "Smith", "enabled": True}
    contacts = [{"key": "email", "value": f"{ip}@example.com"}, {"key": "phone", "value": "+37255555555"}]
    ok(http.put(f"/ib/v1/clicks/{click['clickId']}", headers=auth, json={**profile, "contacts": contacts}))
    return str(click["clickId"])


def fill_loyalty(http: httpx.Client, email: str, correlation: str) -> str:
    token = ok(
        http.post("/oauth/token", auth=("pos-1", "pos-secret"), data={"grant_type": "client_credentials"})
    )
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    ok(
        http.post(
            f"/client/users/{email}/sessions",
            headers={**auth, "X-Identifier-Type": "EMAIL"},
            json={"correlationId": correlation, "channel": "STORE", "locale": "en-US"},
        )
    )
    basket = {"amount": "46.50", "currency": "USD"}
    call = {"action": "PURCHASE", "channel": "STORE", "transactionDate": "2026-11-23T10:15:00Z"}
    trial = ok(
        http.post(
            f"/client/users/{correlation}/activity/trial/v2",
            headers=auth,
            json={**call, "callId": f"{correlation}-t1", "basket": basket},
        )
    )
    prompt = trial["promptMessageID"]
    ok(http.put(f"/client/users/{correlation}/prompts/{prompt}", headers=auth, json={"response": "accepted"}))
    ok(
        http.post(
            f"/client/users/{correlation}/activity/finalize/v2",
            headers=auth,
            json={**call, "callId": f"{correlation}-f1", "basket": {"amount": "50.00", "currency": "USD"}},
        )
    )
    return correlation


def fill_signage(http: httpx.Client) -> str:
    key = {"API-KEY": "signage-secret"}
    scan = http.get("/smart-engage/scan/demo/spring-form", headers={"User-Agent": "Mozilla/5.0 (iPhone)"})
    assert scan.status_code == 302, scan.text
    session = scan.headers["location"].split("session_id=")[1]
    for status in ("FORM_SUBMITTED", "FORM_APPROVED"):
        ok(
            http.post(
                "/smart-engage/post/update-session-status",
                headers=key,
                json={"session_id": session, "new_status": status},
            )
        )
    ok(http.post(f"/smart-engage/post/engage-v3/{session}", headers=key, json={}))
    return session


def fill(base_url: str, demo_config: str) -> dict[str, list[str]]:
    """Apply the demo config, run two journeys of every family; answers each family's journey ids."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        ok(
            http.put(
                "/admin/v1/config", content=demo_config, headers={**ADMIN, "Content-Type": "application/yaml"}
            )
        )
        return {
            "surveys": [fill_surveys(http, user) for user in ("alice", "bob")],
            "partners": [fill_partners(http, ip) for ip in ("185.155.96.184", "81.2.69.160")],
            "loyalty": [
                fill_loyalty(http, email, correlation)
                for email, correlation in (("ann@example.com", "till-1"), ("ben@example.com", "till-2"))
            ],
            "signage": [fill_signage(http) for _ in range(2)],
        }
