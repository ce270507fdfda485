"""GET /api/public/v1/apps/{token}: the app settings document the SDKs load colours and currency from."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ..helpers import ADMIN, configure
from .support import TOKEN, document

SDK_KEYS = [  # what BitBurst's SDKs look up (Flutter firstWhere: a missing key throws)
    f"app.visual.{scheme}.{key}"
    for scheme in ("light", "dark")
    for key in ("navigation_color", "background_color", "survey_icon_color")
] + ["general.currency.symbol.is_image", "general.currency.symbol.content"]


@dataclass
class Configuration:
    """The SDKs' model: internalIdentifier a string; value a string (Flutter: anything else reads null)."""

    internal_identifier: str
    value: str | None

    @classmethod
    def from_json(cls, item: dict) -> Configuration:
        identifier = item["internalIdentifier"]
        assert isinstance(identifier, str)
        value = item["value"]
        return cls(identifier, value if isinstance(value, str) else None)


def decode(body: dict) -> dict[str, str | None]:
    """GetAppSettingsResponse: {"configuration": [Configuration, …]}, looked up by identifier."""
    entries = [Configuration.from_json(item) for item in body["configuration"]]
    return {e.internal_identifier: e.value for e in entries}


def test_defaults_read_as_the_sdks_read_them(client):
    configure(client, document())
    r = client.get(f"/api/public/v1/apps/{TOKEN}")
    assert r.status_code == 200, r.text
    config = decode(r.json())
    assert all(isinstance(v, str) for v in config.values())  # Android: value is a non-null String
    assert set(SDK_KEYS) <= set(config)
    assert config["general.currency.factor"] == "100"  # the section's currency_factor
    assert config["general.currency.symbol.is_image"] == "0"
    assert config["general.currency.floor_decimal"] == "0"
    assert config["app.visual.light.navigation_color"].startswith("#")


def test_configured_theme_and_currency(client):
    settings = {
        "light": {
            "navigation_color": "linear-gradient(90deg, #ff6a00 0%, #ee0979 100%)",
            "interaction_color": "#0b8043",
        },
        "dark": {"background_color": "#000000"},
        "currency": {
            "symbol": "https://cdn.example/coin.svg",
            "symbol_is_image": True,
            "floor_decimal": True,
        },
    }
    configure(client, document(currency_factor="2.5", app_settings=settings))
    config = decode(client.get(f"/api/public/v1/apps/{TOKEN}").json())
    assert config["app.visual.light.navigation_color"] == settings["light"]["navigation_color"]
    assert config["app.visual.light.interaction_color"] == "#0b8043"
    assert config["app.visual.dark.background_color"] == "#000000"
    assert config["general.currency.symbol.is_image"] == "1"
    assert config["general.currency.symbol.content"] == "https://cdn.example/coin.svg"
    assert config["general.currency.floor_decimal"] == "1"
    assert config["general.currency.factor"] == "2.5"


@pytest.mark.parametrize(
    "bad",
    [
        {"light": {"navigation_color": "red;} body{display:none"}},
        {"currency": {"symbol": "coins", "symbol_is_image": True}},
        {"light": {"unknown": "#fff"}},
    ],
)
def test_refused_settings(client, bad):
    r = client.put("/admin/v1/config", json=document(app_settings=bad), headers=ADMIN)
    assert r.status_code in (400, 422), r.text


@pytest.mark.parametrize(("token", "status"), [("nope-nope", 401), ("x" * 300, 400)])
def test_unknown_token_in_the_bitlabs_envelope(client, token, status):
    configure(client, document())
    r = client.get(f"/api/public/v1/apps/{token}")
    assert r.status_code == status, r.text
    body = r.json()
    assert body["status"] == "error" and body["trace_id"]
    assert body["error"]["details"]["http"].startswith(str(status))


def test_a_miss_under_the_prefix_speaks_bitlabs(client):
    r = client.get("/api/public/v1/nothing-here")
    assert r.status_code == 404
    assert r.json()["error"]["details"]["http"] == "404 Not Found"
