"""Link rules and the tracked redirect (GET /partners/go/{app}/{link}), the real app on both engines: each
matcher, rule order and the default, the rule kept on the click row and its event, metrics by rule against
the raw rows, the Location and the query it carries, 404s, limits (no rule followed; where the visit goes
then: test_link_fallback.py), and rules refused with their path from the admin API and from ``clicktrail
apply``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from clicktrail.app import create_app
from clicktrail.cli import cli
from clicktrail.core.config.settings import Settings
from clicktrail.core.journeys.log import EVENTS

from ..admin.test_metrics_paths import assert_both_paths_agree
from ..helpers import ADMIN, ADMIN_TOKEN, LOOPBACK, configure
from .conftest import LINK, LINK2, document, stored_clicks

GO = f"/partners/go/acme/{LINK}"
URI = "https://my.stage.org/register?referral=1"  # the link's uri (conftest.document)
US, GB = "185.155.96.184", "81.2.69.142"  # the test city database's United States and United Kingdom
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def rule(name: str, **conditions: Any) -> dict[str, Any]:
    return {"name": name, "target": f"https://brand.example/{name}?via=rule", **conditions}


def with_rules(*rules: dict[str, Any], timezone: str | None = None, **link: Any) -> dict[str, Any]:
    doc = document()
    section = doc["apps"][0]["partners"]
    section["links"][0].update(rules=list(rules), **link)
    section["duplicate_window_seconds"] = 0  # every visit of these tests is a click of its own
    if timezone is not None:
        section["timezone"] = timezone
    return doc


@pytest.fixture
def visitor(database_url: str, geoip_db: str) -> Iterator[Callable[[str], TestClient]]:
    """Clients of one app (one database) seen from the given addresses."""
    settings = Settings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        geoip_db=geoip_db,
        outbox_poll_seconds=0,
        outbound_allow=LOOPBACK,
    )
    app = create_app(settings)
    opened: dict[str, TestClient] = {}

    def client_from(address: str) -> TestClient:
        if address not in opened:
            opened[address] = TestClient(app, raise_server_exceptions=False, client=(address, 50000))
            opened[address].__enter__()
        return opened[address]

    yield client_from
    for client in reversed(opened.values()):
        client.__exit__(None, None, None)


@pytest.fixture
def us(visitor) -> TestClient:
    return visitor(US)


def went(client: TestClient, query: str = "", **kwargs: Any) -> str | None:
    """The rule the visit followed (None: the link's uri), checking the Location it was sent to."""
    response = client.get(GO + (f"?{query}" if query else ""), follow_redirects=False, **kwargs)
    assert response.status_code == 302, response.text
    assert response.headers["cache-control"] == "no-store"
    location = response.headers["location"]
    if location.startswith(URI):
        return None
    return location.removeprefix("https://brand.example/").split("?")[0]


# --- each matcher ---------------------------------------------------------------------------------------


def test_country_is_the_visits_geo_ip_country(visitor):
    configure(visitor(US), with_rules(rule("uk", country=["GB"])))
    assert went(visitor(GB)) == "uk"
    assert went(visitor(US)) is None


@pytest.mark.parametrize(
    ("agent", "expected"), [(IPHONE, "apple"), (ANDROID, "robot"), (WINDOWS, "desk"), (None, None)]
)
def test_device_from_the_user_agent(us, agent, expected):
    rules = (
        rule("apple", device=["ios"]),
        rule("robot", device=["android"]),
        rule("desk", device=["desktop"]),
    )
    configure(us, with_rules(*rules))
    assert went(us, headers={"User-Agent": agent} if agent else {}) == expected


def test_language_is_the_most_preferred_one(us, database_url):
    configure(us, with_rules(rule("german", language=["de"])))
    assert went(us, headers={"Accept-Language": "en;q=0.2, de-AT;q=0.9"}) == "german"
    (row,) = stored_clicks(database_url).values()
    assert row["locale"] == "en" and row["rule"] == "german"  # the click's locale: the first tag listed
    assert went(us, headers={"Accept-Language": "en-US,en;q=0.9,de;q=0.8"}) is None
    assert went(us) is None


def test_query_exact_value_or_present(us):
    configure(us, with_rules(rule("poster", query={"screen": 42, "src": "*"})))
    assert went(us, "screen=42&src=") == "poster"
    assert went(us, "screen=41&src=x") is None
    assert went(us, "screen=42") is None


def test_window_in_the_apps_partners_time_zone(us):
    """A window around now in Tokyo's local time holds there; the same local times in UTC are 9 hours off."""
    local = datetime.now(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None, microsecond=0)
    window = {
        "from": (local - timedelta(hours=1)).isoformat(),
        "until": (local + timedelta(hours=1)).isoformat(),
    }
    configure(us, with_rules(rule("tokyo-hour", window=window), timezone="Asia/Tokyo"))
    assert went(us) == "tokyo-hour"
    changed = configure(us, with_rules(rule("tokyo-hour", window=window)))  # back to UTC
    assert changed["changes"] == ["acme: partners settings updated"]
    assert went(us) is None


# --- order, default, what is recorded -------------------------------------------------------------------


def test_the_first_matching_rule_wins_and_is_kept_on_the_click_and_its_event(us, database_url):
    configure(us, with_rules(rule("first", query={"a": "*"}), rule("second", query={"a": "1"})))
    assert went(us, "a=1") == "first"
    assert went(us, "b=1") is None  # no rule holds: the link's uri
    rows = sorted(stored_clicks(database_url).values(), key=lambda row: row["create_time"])
    assert [(row["rule"], row["link_id"], row["verdict"]) for row in rows] == [
        ("first", LINK, "ok"),
        (None, LINK, "ok"),
    ]
    assert [row["uri"] for row in rows] == [f"{URI}&a=1", f"{URI}&b=1"]
    assert [row["ip"] for row in rows] == [US, US] and rows[0]["country_code"] == "US"
    assert [p["rule"] for p in created_payloads(us)] == ["first", None]


def test_the_visits_query_is_carried_but_never_overrides_the_links_own(us, database_url):
    configure(us, with_rules(rule("tagged", query={"utm_source": "poster"})))
    response = us.get(f"{GO}?utm_source=poster&referral=9&x=%20y", follow_redirects=False)
    assert response.headers["location"] == (
        "https://brand.example/tagged?via=rule&utm_source=poster&referral=9&x=%20y"
    )
    plain = us.get(f"{GO}?utm_source=flyer&referral=9", follow_redirects=False)
    assert plain.headers["location"] == f"{URI}&utm_source=flyer"
    assert us.get(GO, follow_redirects=False).headers["location"] == URI
    sources = sorted(
        (row["utm_source"] or "", row["link_id"]) for row in stored_clicks(database_url).values()
    )
    assert sources == [("", LINK), ("flyer", LINK), ("poster", LINK)]  # UTM kept, the referral the link's


def test_unknown_links_and_apps_are_a_404_in_the_vendors_envelope(us, database_url):
    configure(us, with_rules())
    for path in ("/partners/go/acme/nope", "/partners/go/nope/" + LINK, "/partners/go/acme/a%00b"):
        answer = us.get(path, follow_redirects=False)
        assert answer.status_code == 404, path
        assert answer.json() == {"message": "Link not found", "errors": {"linkId": ["not found"]}}
    assert us.get("/partners/nowhere").json()["message"]  # the family's envelope, for its other paths too
    assert stored_clicks(database_url) == {}


def test_a_nul_or_an_overlong_query_is_a_400_and_records_nothing(us, database_url):
    configure(us, with_rules())
    assert us.get(f"{GO}?utm_source=%00", follow_redirects=False).status_code == 400
    assert us.get(f"{GO}?q={'x' * 2100}", follow_redirects=False).status_code == 400
    assert stored_clicks(database_url) == {}


def test_a_link_without_rules_redirects_to_its_uri(us):
    configure(us, document())
    response = us.get(f"/partners/go/acme/{LINK2}?utm_medium=qr", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "https://my.stage.org/register?referral=2&utm_medium=qr"


# --- limits ---------------------------------------------------------------------------------------------


ENDED = "https://brand.example/ended"  # the app's partners.fallback_url (test_link_fallback.py has more)


def ended(doc: dict[str, Any]) -> dict[str, Any]:
    doc["apps"][0]["partners"]["fallback_url"] = ENDED
    return doc


def test_past_max_clicks_the_click_is_kept_with_its_verdict_and_follows_no_rule(us, database_url):
    configure(us, ended(with_rules(rule("all", query={"a": "*"}), max_clicks=1)))
    assert went(us, "a=1") == "all"
    assert us.get(f"{GO}?a=2", follow_redirects=False).headers["location"] == ENDED  # no rule: the fallback
    rows = sorted(stored_clicks(database_url).values(), key=lambda row: row["create_time"])
    assert [(row["verdict"], row["rule"]) for row in rows] == [("ok", "all"), ("limit_reached", None)]


def test_past_expires_at_the_click_is_kept_as_expired_and_follows_no_rule(us, database_url):
    gone = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    configure(us, ended(with_rules(rule("all", query={"a": "*"}), expires_at=gone)))
    assert us.get(f"{GO}?a=1", follow_redirects=False).headers["location"] == ENDED
    (row,) = stored_clicks(database_url).values()
    assert (row["verdict"], row["verdict_reason"], row["rule"]) == ("expired", "expires_at", None)


# --- metrics --------------------------------------------------------------------------------------------


def created_payloads(client: TestClient) -> list[dict[str, Any]]:
    with Session(client.app.state.runtime.engine) as session:
        return list(
            session.scalars(
                select(EVENTS.c.payload)
                .where(EVENTS.c.app_id == "acme", EVENTS.c.type == "click.created")
                .order_by(EVENTS.c.created_at, EVENTS.c.id)
            )
        )


def test_metrics_by_rule_equal_the_raw_rows(us, database_url):
    configure(us, with_rules(rule("apple", device=["ios"]), rule("robot", device=["android"])))
    for agent in (IPHONE, IPHONE, ANDROID, WINDOWS, None):
        went(us, headers={"User-Agent": agent} if agent else {})
    api_click = {"ip": US, "uri": URI, "userAgent": IPHONE}  # the click API follows no rule
    assert us.post(
        "/ib/v1/clicks", json=api_click, headers={"Authorization": "Bearer ib-secret-acme"}
    ).is_success
    raw = Counter(row["rule"] for row in stored_clicks(database_url).values())
    assert raw == {"apple": 2, "robot": 1, None: 3}
    assert Counter(p["rule"] for p in created_payloads(us)) == raw
    for params in ({}, {"filter[link]": LINK}, {"filter[country]": "US"}):  # rollups, then raw rows
        answer = us.get(
            "/admin/v1/apps/acme/metrics",
            params={"family": "partners", "group_by": "rule", **params},
            headers=ADMIN,
        )
        assert answer.status_code == 200, answer.text
        assert {row["key"]: row["clicks"] for row in answer.json()["rows"]} == raw, params
    only = us.get(
        "/admin/v1/apps/acme/metrics", params={"family": "partners", "filter[rule]": "apple"}, headers=ADMIN
    )
    assert only.json()["totals"]["clicks"] == 2
    assert_both_paths_agree(us.app.state.runtime.engine, "acme", ("partners",))


# --- config ---------------------------------------------------------------------------------------------


BAD_RULES = [
    (
        [rule("r", device=["ios", "tv"])],
        "rules[0].device[1]",
        "Input should be 'ios', 'android' or 'desktop'",
    ),
    ([rule("r", country=["DE", "XX"])], "rules[0].country[1]", "'XX' is not an ISO 3166-1 alpha-2"),
    ([rule("r")], "rules[0]", "a rule needs at least one condition"),
    (
        [rule("r", device=["ios"]), rule("s", device=["ios"]), rule("r", country=["DE"])],
        "rules",
        "duplicate rule name 'r' (at [0] and [2])",
    ),
    (
        [rule("r", window={"from": "2026-05-01T10:00", "until": "2026-05-01"})],
        "rules[0].window",
        "until must",
    ),
    ([rule("r", window={"until": "2026-05-01T10:00:00+02:00"})], "rules[0].window.until", "without a zone"),
    ([{**rule("r", device=["ios"]), "target": "brand.example/x"}], "rules[1 - 1].target", "should match"),
    ([rule("r", language=["en-US"])], "rules[0].language[0]", "not a primary language subtag"),
    ([rule("r", device=["ios"], colour="red")], "rules[0].colour", "unknown key"),
]


@pytest.mark.parametrize(("rules", "path", "message"), BAD_RULES)
def test_bad_rules_are_refused_by_the_admin_api_with_their_path(us, database_url, rules, path, message):
    doc = document()
    doc["apps"][0]["partners"]["links"][1]["rules"] = rules
    response = us.put("/admin/v1/config", json=doc, headers=ADMIN)
    assert response.status_code == 400, response.text
    where = f"apps[0].partners.links[1].{path.replace('[1 - 1]', '[0]')}"
    errors = response.json()["errors"]
    assert any(e["path"] == where and message in e["message"] for e in errors), errors
    assert stored_clicks(database_url) == {}


def test_bad_time_zone_is_refused(us):
    response = us.put("/admin/v1/config", json=with_rules(timezone="Mars/Olympus"), headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "path": "apps[0].partners.timezone",
            "message": "unknown time zone 'Mars/Olympus' (an IANA name, e.g. Europe/Berlin or UTC)",
        }
    ]


YAML = """
apps:
  - id: acme
    name: Acme Broker
    partners:
      timezone: Europe/Berlin
      links:
        - id: 6006dda272f002519c3eb505
          uri: https://my.stage.org/register?referral=1
          rules:
            - name: launch
              target: https://brand.example/launch
              window: {from: 2026-05-01, until: 2026-05-01 08:00:00}
            - name: phones
              target: https://brand.example/app
              device: [ios, tv]
"""


def test_clicktrail_apply_refuses_bad_yaml_rules_with_their_path(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CLICKTRAIL_DATABASE_URL", database_url)
    file = tmp_path / "config.yaml"
    file.write_text(YAML)
    refused = CliRunner().invoke(cli, ["apply", str(file)])
    assert refused.exit_code == 2, refused.output
    assert "apps[0].partners.links[0].rules[1].device[1]: Input should be 'ios', 'android' or 'desktop'" in (
        refused.output
    )
    file.write_text(YAML.replace("[ios, tv]", "[ios]"))
    applied = CliRunner().invoke(cli, ["apply", str(file)])
    assert applied.exit_code == 0, applied.output


def test_rules_round_trip_through_the_admin_api(us):
    first = with_rules(
        rule("phones", device=["ios"], window={"from": "2026-01-01T00:00"}), timezone="Europe/Berlin"
    )
    configure(us, first)
    shown = us.get("/admin/v1/apps/acme", headers=ADMIN).json()["config"]["partners"]
    assert shown["timezone"] == "Europe/Berlin"
    assert shown["links"][0]["rules"] == [
        {**rule("phones", device=["ios"]), "window": {"from": "2026-01-01T00:00:00"}}
    ]
    assert went(us, headers={"User-Agent": IPHONE}) == "phones"
    assert configure(us, first)["changed"] is False
    changed = configure(us, with_rules(rule("droids", device=["android"]), timezone="Europe/Berlin"))
    assert changed["changes"] == [f"acme: partners link {LINK} updated"]
    assert went(us, headers={"User-Agent": IPHONE}) is None
    assert went(us, headers={"User-Agent": ANDROID}) == "droids"
