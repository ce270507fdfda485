"""Redirect rules: each condition alone, their order, the default, the rule in the scan's event, metrics by
rule against a raw count of the events, config validation with paths and an admin round trip. Over HTTP,
both engines; the matchers' edge cases (q-values, user agents, DST) also directly."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from clicktrail.app import create_app
from clicktrail.core.enrich import redirect_rules
from clicktrail.core.enrich.redirect_rules import (
    RedirectRule,
    Visit,
    compile_rules,
    device_of,
    first_match,
    preferred_language,
)
from clicktrail.core.journeys.log import EVENTS

from ..admin.test_metrics_paths import assert_both_paths_agree
from ..helpers import ADMIN, configure, statements
from .conftest import UK_ADDRESS
from .support import IPHONE, campaign, document, session_of

FORM = "https://brand.example/form?lang=en&ref=screen%2042#start"  # support.campaign's form_url
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15"
)
GOOGLEBOT_PHONE = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)
KAIOS = "Mozilla/5.0 (Mobile; rv:48.0; KaiOS 2.5) Gecko/48.0 Firefox/48.0"


def rule(name: str, **conditions: Any) -> dict[str, Any]:
    return {"name": name, "target": f"https://brand.example/{name}?via=rule#top", **conditions}


def with_rules(*rules: dict[str, Any], timezone: str | None = None) -> dict[str, Any]:
    doc = document(campaign(rules=list(rules)))
    if timezone is not None:
        doc["apps"][0]["signage"]["timezone"] = timezone
    return doc


def scanned(client: TestClient, path: str = "", **kwargs: Any) -> tuple[str | None, str]:
    """(the rule the scan went by, None for the form; the session id), checking the redirect's URL."""
    response = client.get(f"/smart-engage/scan/demo/spring-form{path}", follow_redirects=False, **kwargs)
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    session_id = session_of(location)
    if location.startswith(FORM.split("#")[0]):
        assert location == FORM.replace("#", f"&session_id={session_id}#")
        return None, session_id
    name = location.removeprefix("https://brand.example/").split("?")[0]
    assert location == f"https://brand.example/{name}?via=rule&session_id={session_id}#top"
    return name, session_id


def went(client: TestClient, path: str = "", **kwargs: Any) -> str | None:
    return scanned(client, path, **kwargs)[0]


def scan_events(client: TestClient) -> list[dict[str, Any]]:
    response = client.get(
        "/admin/v1/apps/demo/events", params={"family": "signage", "type": "scan.recorded"}, headers=ADMIN
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


@pytest.fixture
def uk_client(settings) -> Iterator[TestClient]:
    """The app seen from a public address the embedded geo-IP database places in GB."""
    with TestClient(create_app(settings), raise_server_exceptions=False, client=(UK_ADDRESS, 51515)) as c:
        yield c


# --- each condition alone ---------------------------------------------------------------------------------


def test_country_is_the_scans_geo_ip_country(uk_client, client):
    configure(uk_client, with_rules(rule("germany", country=["DE"]), rule("britain", country=["gb", "IE"])))
    assert went(uk_client) == "britain"
    assert went(client) is None  # the test client's address has no country: no country rule matches


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (IPHONE, "apple"),
        (IPAD, "apple"),
        (ANDROID, "robot"),
        (ANDROID_TABLET, "robot"),
        (WINDOWS_CHROME, "desk"),
        (MAC_SAFARI, "desk"),
        (GOOGLEBOT_PHONE, None),  # a bot is no device, whatever it claims
        (KAIOS, None),  # a phone neither iOS nor Android
        (None, None),
    ],
)
def test_device_from_the_user_agent(client, agent, expected):
    rules = (
        rule("apple", device=["ios"]),
        rule("robot", device=["android"]),
        rule("desk", device=["desktop"]),
    )
    configure(client, with_rules(*rules))
    headers = {"User-Agent": agent} if agent is not None else {}
    assert went(client, headers=headers) == expected


def test_language_is_the_most_preferred_one(client):
    configure(client, with_rules(rule("german", language=["de"]), rule("french", language=["fr", "FR"])))
    assert went(client, headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}) == "german"
    assert went(client, headers={"Accept-Language": "en;q=0.2, de-AT;q=0.9"}) == "german"
    assert went(client, headers={"Accept-Language": "en-US,en;q=0.9,de;q=0.8"}) is None  # de is not first
    assert went(client, headers={"Accept-Language": "fr-CA;q=0.5, de;q=0.4"}) == "french"
    assert went(client, headers={"Accept-Language": "de;q=0, en;q=0.1"}) is None
    assert went(client, headers={"Accept-Language": "*"}) is None
    assert went(client) is None


def test_query_exact_value_or_present(client):
    configure(client, with_rules(rule("screen", query={"screen": 42}), rule("tagged", query={"src": "*"})))
    assert went(client, "?screen=42") == "screen"
    assert went(client, "?screen=4%32") == "screen"  # compared decoded
    assert went(client, "?screen=43") is None
    assert went(client, "?src=") == "tagged"  # present, even empty
    assert went(client, "?src=poster&screen=42") == "screen"  # both match: the first rule wins
    assert went(client, "?SCREEN=42") is None  # names are case-sensitive
    assert went(client) is None


def test_window_in_the_apps_time_zone(client):
    """Berlin is UTC+1 or +2: a window of an hour around Berlin's wall clock would be hours off if its
    bounds were read as UTC."""
    now = datetime.now(ZoneInfo("Europe/Berlin")).replace(tzinfo=None, microsecond=0)
    iso = lambda at: at.isoformat()  # noqa: E731
    rules = (
        rule("before", window={"from": iso(now + timedelta(minutes=30))}),
        rule("after", window={"until": iso(now - timedelta(minutes=30))}),
        rule(
            "inside",
            window={"from": iso(now - timedelta(minutes=30)), "until": iso(now + timedelta(minutes=30))},
        ),
    )
    configure(client, with_rules(*rules, timezone="Europe/Berlin"))
    assert went(client) == "inside"
    # The same wall-clock times read in UTC (an hour or two behind Berlin's): "after" ends later than now.
    configure(client, with_rules(*rules))
    assert went(client) == "after"


def test_window_bounds_across_daylight_saving_changes():
    """``from`` inclusive, ``until`` exclusive; 02:30 on the spring-forward night does not exist (it is
    read as 03:30 summer time), and 02:30 on the fall-back night is its first occurrence."""
    spec = RedirectRule.model_validate(
        {
            "name": "dst",
            "target": "https://x.example/",
            "window": {"from": "2026-03-29T02:30", "until": "2026-10-25T02:30"},
        }
    )
    [compiled] = compile_rules([spec], "Europe/Berlin")
    assert compiled.start == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert compiled.end == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    at = lambda when: Visit(now=when)  # noqa: E731
    assert not compiled.matches(at(compiled.start - timedelta(microseconds=1)))
    assert compiled.matches(at(compiled.start))
    assert compiled.matches(at(compiled.end - timedelta(microseconds=1)))
    assert not compiled.matches(at(compiled.end))


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("en;q=0.5, fr;q=0.7, de;q=0.6", "fr"),
        ("en, de", "en"),  # a tie: the first listed
        ("en;q=0.8, de;q=0.8", "en"),
        ("*, de;q=0.5", "de"),
        ("de;q=0", None),
        ("de;q=abc, fr;q=0.1", "fr"),
        ("zh-Hant-TW", "zh"),
        ("x-klingon, i-default", None),
        ("", None),
        (None, None),
    ],
)
def test_preferred_language(header, language):
    assert preferred_language(header) == language


@pytest.mark.parametrize(
    ("agent", "device"),
    [
        (IPHONE, "ios"),
        (IPAD, "ios"),
        ("Mozilla/5.0 (iPod touch; CPU iPhone OS 15_0 like Mac OS X) Mobile/15E148", "ios"),
        (ANDROID, "android"),
        (ANDROID_TABLET, "android"),
        (WINDOWS_CHROME, "desktop"),
        (MAC_SAFARI, "desktop"),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0", "desktop"),
        (GOOGLEBOT_PHONE, None),
        ("WhatsApp/2.23.20.0", None),  # a link previewer
        ("curl/8.4.0", None),
        (KAIOS, None),
        ("Mozilla/5.0", None),  # nothing recognised
        (None, None),
    ],
)
def test_device_of(agent, device):
    assert device_of(agent) == device


# --- order, default, target, event -----------------------------------------------------------------------


def test_the_first_matching_rule_wins_and_its_name_is_recorded(uk_client):
    configure(uk_client, with_rules(rule("first", country=["GB"]), rule("second", device=["ios"])))
    name, session_id = scanned(uk_client, headers={"User-Agent": IPHONE})
    assert name == "first"
    [event] = scan_events(uk_client)
    assert (event["journey_id"], event["payload"]["rule"]) == (session_id, "first")


def test_no_match_goes_to_the_form_and_records_no_rule(client):
    configure(client, with_rules(rule("phones", device=["ios", "android"])))
    name, session_id = scanned(client, headers={"User-Agent": WINDOWS_CHROME})
    assert name is None
    [event] = scan_events(client)
    assert (event["journey_id"], event["payload"]["rule"]) == (session_id, None)


def test_all_conditions_of_a_rule_must_hold(uk_client):
    configure(uk_client, with_rules(rule("both", country=["GB"], device=["android"])))
    assert went(uk_client, headers={"User-Agent": IPHONE}) is None
    assert went(uk_client, headers={"User-Agent": ANDROID}) == "both"


def test_a_scan_with_rules_costs_no_more_statements(client):
    configure(client, with_rules(rule("phones", device=["ios"]), rule("screen", query={"screen": "*"})))
    went(client)  # loads the campaign (and its rules) into memory
    with statements(client) as scanned_:
        assert went(client, "?screen=1", headers={"User-Agent": IPHONE}) == "phones"
    assert scanned_ == ["SELECT", "INSERT", "INSERT", "INSERT"]  # as a scan without rules (test_hot_path)


def test_what_no_rule_asks_for_is_never_parsed(client, monkeypatch):
    """A campaign without rules reads no language and parses nothing for rules; a rule stops at its first
    condition that fails (a window, before the user agent)."""

    def refuse(_value: Any) -> Any:
        raise AssertionError("parsed")

    monkeypatch.setattr(redirect_rules, "device_of", refuse)
    monkeypatch.setattr(redirect_rules, "preferred_language", refuse)
    configure(client, document())
    assert went(client, headers={"User-Agent": IPHONE, "Accept-Language": "de"}) is None
    later = {"from": "2999-01-01T00:00"}
    configure(client, with_rules(rule("later", window=later, device=["ios"], language=["de"])))
    assert went(client, headers={"User-Agent": IPHONE, "Accept-Language": "de"}) is None


# --- metrics ---------------------------------------------------------------------------------------------


def test_metrics_by_rule_equal_a_raw_count_of_scans(uk_client):
    configure(uk_client, with_rules(rule("apple", device=["ios"]), rule("robot", device=["android"])))
    for agent in (IPHONE, IPHONE, ANDROID, WINDOWS_CHROME, None):
        went(uk_client, headers={"User-Agent": agent} if agent else {})
    with Session(uk_client.app.state.runtime.engine) as session:
        payloads = session.scalars(
            select(EVENTS.c.payload).where(EVENTS.c.app_id == "demo", EVENTS.c.type == "scan.recorded")
        ).all()
    raw = Counter(p["rule"] for p in payloads)
    assert raw == {"apple": 2, "robot": 1, None: 2}
    for params in ({}, {"filter[campaign]": "spring-form"}, {"filter[country]": "GB"}):  # rollups, raw rows
        answer = uk_client.get(
            "/admin/v1/apps/demo/metrics",
            params={"family": "signage", "group_by": "rule", **params},
            headers=ADMIN,
        )
        assert answer.status_code == 200, answer.text
        rows = answer.json()["rows"]
        assert {row["key"]: row["scans"] for row in rows} == raw, params
        assert answer.json()["totals"]["scans"] == sum(raw.values())
    only = uk_client.get(
        "/admin/v1/apps/demo/metrics", params={"family": "signage", "filter[rule]": "apple"}, headers=ADMIN
    )
    assert only.json()["totals"]["scans"] == 2
    assert_both_paths_agree(uk_client.app.state.runtime.engine, "demo", ("signage",))


# --- config ---------------------------------------------------------------------------------------------


BAD_RULES = [
    (
        [rule("r", device=["ios", "tv"])],
        "rules[0].device[1]",
        "Input should be 'ios', 'android' or 'desktop'",
    ),
    (
        [rule("r", country=["DE", "XX"])],
        "rules[0].country[1]",
        "'XX' is not an ISO 3166-1 alpha-2 country code",
    ),
    ([rule("r", country=["DEU"])], "rules[0].country[0]", "is not an ISO 3166-1 alpha-2 country code"),
    ([rule("r")], "rules[0]", "a rule needs at least one condition"),
    ([rule("r", query={})], "rules[0].query", "at least 1 item"),
    (
        [rule("r", device=["ios"]), rule("s", device=["ios"]), rule("r", country=["DE"])],
        "rules",
        "duplicate rule name 'r' (at [0] and [2])",
    ),
    (
        [rule("r", window={"from": "2026-05-01T10:00", "until": "2026-05-01T10:00"})],
        "rules[0].window",
        "until must be after from",
    ),
    ([rule("r", window={"until": "2026-05-01T10:00:00+02:00"})], "rules[0].window.until", "without a zone"),
    ([rule("r", window={"from": "soon"})], "rules[0].window.from", "valid datetime"),
    ([{**rule("r", device=["ios"]), "target": "brand.example/x"}], "rules[0].target", "should match pattern"),
    ([rule("r", language=["en-US"])], "rules[0].language[0]", "not a primary language subtag"),
    ([rule("r", device=["ios"], colour="red")], "rules[0].colour", "unknown key"),
    ([rule("bad name", device=["ios"])], "rules[0].name", "should match pattern"),
]


@pytest.mark.parametrize(("rules", "path", "message"), BAD_RULES)
def test_bad_rules_are_refused_with_their_path(client, rules, path, message):
    doc = document(campaign("a"), campaign("b", rules=rules, coupons=None))
    response = client.put("/admin/v1/config", json=doc, headers=ADMIN)
    assert response.status_code == 400, response.text
    errors = response.json()["errors"]
    where = f"apps[0].signage.campaigns[1].{path}"
    assert any(e["path"] == where and message in e["message"] for e in errors), errors


def test_bad_time_zone_is_refused(client):
    response = client.put("/admin/v1/config", json=with_rules(timezone="Mars/Olympus"), headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "path": "apps[0].signage.timezone",
            "message": "unknown time zone 'Mars/Olympus' (an IANA name, e.g. Europe/Berlin or UTC)",
        }
    ]


def test_rules_round_trip_through_the_admin_api(client):
    first = with_rules(
        rule("phones", device=["ios"], window={"from": "2026-01-01T00:00"}), timezone="Europe/Berlin"
    )
    configure(client, first)
    shown = client.get("/admin/v1/apps/demo", headers=ADMIN).json()
    assert shown["config"]["signage"]["timezone"] == "Europe/Berlin"
    assert shown["config"]["signage"]["campaigns"][0]["rules"] == [
        {**rule("phones", device=["ios"]), "window": {"from": "2026-01-01T00:00:00"}}
    ]
    assert went(client, headers={"User-Agent": IPHONE}) == "phones"
    assert configure(client, first)["changed"] is False
    # Only the rules change: the apply says so, and the next scan follows them.
    changed = configure(client, with_rules(rule("droids", device=["android"]), timezone="Europe/Berlin"))
    assert changed["changes"] == ["demo: signage campaign 'spring-form' updated (rules)"]
    assert went(client, headers={"User-Agent": IPHONE}) is None
    assert went(client, headers={"User-Agent": ANDROID}) == "droids"
    moved = configure(client, with_rules(rule("droids", device=["android"])))
    assert moved["changes"] == ["demo: signage timezone set to 'UTC'"]
    # Rules dropped: the form again.
    assert configure(client, document())["changes"] == [
        "demo: signage campaign 'spring-form' updated (rules)"
    ]
    assert went(client, headers={"User-Agent": ANDROID}) is None


def test_yaml_rules_with_unquoted_dates(client):
    """YAML reads ``2026-05-01 08:00:00`` as a date-time and ``2026-05-01`` as a date (its midnight)."""
    yaml_doc = """
apps:
  - id: demo
    name: Demo
    signage:
      timezone: Europe/Berlin
      campaigns:
        - id: spring-form
          form_url: https://brand.example/form
          statuses: [DONE]
          rules:
            - name: launch
              target: https://brand.example/launch
              window: {from: 2026-05-01, until: 2026-05-01 08:00:00}
"""
    response = client.put(
        "/admin/v1/config", content=yaml_doc, headers={**ADMIN, "Content-Type": "application/yaml"}
    )
    assert response.status_code == 200, response.text
    shown = client.get("/admin/v1/apps/demo", headers=ADMIN).json()
    window = shown["config"]["signage"]["campaigns"][0]["rules"][0]["window"]
    assert window == {"from": "2026-05-01T00:00:00", "until": "2026-05-01T08:00:00"}


def test_first_match_takes_the_order_given():
    specs = [RedirectRule.model_validate(rule(name, query={"a": "*"})) for name in ("one", "two")]
    assert first_match(compile_rules(specs, "UTC"), Visit(now=datetime.now(UTC), query="a=1")).name == "one"
    assert first_match(compile_rules(specs, "UTC"), Visit(now=datetime.now(UTC), query="b=1")) is None


def test_stored_rules_that_no_longer_load_are_logged_by_field_not_value(client, caplog):
    """Rules stored by an older release that no longer validate are skipped with a warning naming the
    fields, never their values (a rule's query values and targets are the app's, not the log's)."""
    from clicktrail.core.tenancy.apps import App
    from clicktrail.signage.campaigns import load_rules

    configure(client, document(campaign()))
    sessions = client.app.state.runtime.sessions
    with sessions() as session, session.begin():
        app = session.get(App, "demo")
        section = dict(app.config["signage"])
        rule = {"name": "r", "target": "https://brand.example/x", "query": {"ref": "private-value-7"}}
        section["campaigns"] = [{**section["campaigns"][0], "rules": [{**rule, "device": ["tv"]}]}]
        app.config = {**app.config, "signage": section}
    with caplog.at_level("WARNING"), sessions() as session:
        loaded = load_rules(session, "demo")
    assert all(not rules.redirects for rules in loaded.values())
    logged = " ".join(r.getMessage() for r in caplog.records if "rules not loaded" in r.getMessage())
    assert "device" in logged and "private-value-7" not in logged and "'tv'" not in logged
