"""Config documents and small request helpers for the signage tests."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

KEY = "signage-secret"
OTHER_KEY = "other-signage-secret"
HEADERS = {"API-KEY": KEY}
STATUSES = ["FORM_SUBMITTED", "FORM_REVIEWING", "FORM_APPROVED"]
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def campaign(campaign_id: str = "spring-form", **overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "id": campaign_id,
        "form_url": "https://brand.example/form?lang=en&ref=screen%2042#start",
        "statuses": list(STATUSES),
        "coupon_after": "FORM_APPROVED",
        "coupons": {"codes": ["SPRING-0001", "SPRING-0002", "SPRING-0003"]},
    }
    spec.update(overrides)
    return spec


def document(*campaigns: dict[str, Any], other: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """App ``demo`` with the given campaigns (default: one), and app ``other`` with its own key."""
    return {
        "apps": [
            {
                "id": "demo",
                "name": "Demo",
                "credentials": [
                    {"name": "signage", "secret": KEY, "scopes": ["signage"]},
                    {"name": "wall", "secret": "wall-secret", "scopes": ["surveys"]},
                ],
                "signage": {"campaigns": list(campaigns) or [campaign()]},
            },
            {
                "id": "other",
                "name": "Other",
                "credentials": [{"name": "signage", "secret": OTHER_KEY, "scopes": ["signage"]}],
                "signage": {
                    "campaigns": other
                    if other is not None
                    else [campaign("other-form", coupons={"codes": ["OTHER-1"]})]
                },
            },
        ]
    }


def session_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["session_id"][0]


def scan(client: Any, app_id: str = "demo", campaign_id: str = "spring-form", **kwargs: Any) -> str:
    response = client.get(f"/smart-engage/scan/{app_id}/{campaign_id}", follow_redirects=False, **kwargs)
    assert response.status_code == 302, response.text
    return session_of(response.headers["location"])


def set_status(client: Any, session_id: str, status: str, headers: dict[str, str] = HEADERS) -> Any:
    return client.post(
        "/smart-engage/post/update-session-status",
        json={"session_id": session_id, "new_status": status},
        headers=headers,
    )


def engage(client: Any, session_id: str, headers: dict[str, str] = HEADERS) -> Any:
    return client.post(f"/smart-engage/post/engage-v3/{session_id}", json={}, headers=headers)


def approved_session(client: Any) -> str:
    session_id = scan(client)
    assert set_status(client, session_id, "FORM_APPROVED").status_code == 200
    return session_id
