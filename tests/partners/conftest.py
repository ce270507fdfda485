"""Fixtures of the partners tests: a small MaxMind-format database built here, and apps configured
through the admin API with real credentials."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.storage.db import normalize_url
from clicktrail.partners.models import PartnerClick

from ..helpers import ADMIN_TOKEN, LOOPBACK, configure

LINK = "6006dda272f002519c3eb505"
LINK2 = "6006dda272f002519c3eb5aa"
BANNER = "6006dda272f002519c3eb506"
SEED_UA = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/14.1.2 Safari/605.1.15"
)
SECRET = "ib-secret-acme"
OTHER_SECRET = "ib-secret-other"
AUTH = {"Authorization": f"Bearer {SECRET}"}
OTHER = {"Authorization": f"Bearer {OTHER_SECRET}"}
POSTBACK = "http://127.0.0.1:9/postback?click={click_id}&profile={profile_id}&link={link_id}&src={utm_source}&aff={sub1}&g={gclid}"


def document() -> dict:
    return {
        "apps": [
            {
                "id": "acme",
                "name": "Acme Broker",
                "credentials": [
                    {"name": "ib", "client_id": "ib-acme", "secret": SECRET, "scopes": ["partners"]},
                    {"name": "wall", "secret": "wall-secret-acme", "scopes": ["surveys"]},
                ],
                "partners": {
                    "links": [
                        {
                            "id": LINK,
                            "name": "Sign-up",
                            "uri": "https://my.stage.org/register?referral=1",
                            "banners": [
                                {
                                    "id": BANNER,
                                    "name": "Tight Spreads",
                                    "cdn_file_url": "https://cdn.example/Tight+Spreads.png",
                                }
                            ],
                            "postback_url": POSTBACK,
                        },
                        {"id": LINK2, "uri": "https://my.stage.org/register?referral=2"},
                    ],
                    "duplicate_window_seconds": 600,
                    "blocklist": {"networks": ["198.51.100.0/24"], "countries": ["DE"]},
                },
            },
            {
                "id": "other",
                "name": "Other Broker",
                "credentials": [{"name": "ib", "secret": OTHER_SECRET, "scopes": ["partners"]}],
                "partners": {"links": [{"id": LINK, "uri": "https://other.example/register?referral=1"}]},
            },
        ]
    }


@pytest.fixture
def ib(database_url: str, geoip_db: str) -> Iterator[TestClient]:
    """The real app with the city database, configured with two partner apps."""
    settings = Settings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        geoip_db=geoip_db,
        outbox_poll_seconds=0,
        auth_failures_per_minute=0,  # tests refuse many wrong credentials in a row on purpose
        outbound_allow=LOOPBACK,  # POSTBACK names loopback
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        configure(client, document())
        yield client


def seed_click(**overrides) -> dict:
    body = {
        "ip": "185.155.96.184",
        "uri": "https://my.stage.org/register?referral=1",
        "locale": None,
        "referrer": "https://twitter.com",
        "time": "2021-01-01T00:00:00+00:00",
        "userAgent": SEED_UA,
        "uuid": None,
    }
    body.update(overrides)
    return body


SEED_PROFILE = {
    "profile": {
        "firstName": "Mary",
        "lastName": "Smith",
        "middleName": "Jane",
        "enabled": True,
        "uuid": None,
        "contacts": [
            {"key": "email", "value": "client@email.com", "uuid": None},
            {"key": "phone", "value": "+9876543210", "uuid": None},
        ],
    }
}


def create(client: TestClient, headers: dict | None = None, **overrides) -> dict:
    response = client.post("/ib/v1/clicks", json=seed_click(**overrides), headers=headers or AUTH)
    assert response.status_code == 201, response.text
    return response.json()


def here() -> Path:
    return Path(__file__).parent


def stored_clicks(database_url: str) -> dict[str, dict]:
    """The click rows as stored (times with their milliseconds, which answers leave out), by id."""
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return {row["id"]: dict(row) for row in conn.execute(select(PartnerClick.__table__)).mappings()}
    finally:
        engine.dispose()
