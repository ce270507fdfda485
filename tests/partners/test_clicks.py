"""The seed's requests end to end: token, create, get with every embed, PUT and PATCH with the seed's
body, delete; and the journey events, postbacks and tenant isolation around them."""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import create_engine, select

from clicktrail.core.journeys.log import JourneyEvent
from clicktrail.core.journeys.outbox import OutboxMessage
from clicktrail.core.storage.db import normalize_url
from clicktrail.partners.models import PartnerContact, PartnerProfile

from ..helpers import snapshot
from .conftest import (
    AUTH,
    BANNER,
    LINK,
    OTHER,
    SECRET,
    SEED_PROFILE,
    SEED_UA,
    create,
    seed_click,
    stored_clicks,
)

CLICK_FIELDS = [
    "clickId", "time", "referrer", "ip", "uri", "userAgent", "utmCampaign", "utmContent", "utmMedium",
    "utmSource", "utmTerm", "profileId", "linkId", "bannerId", "bannerName", "bannerCdnFileUrl", "cdnFileUrl",
    "latitude", "longitude", "countryCode", "countryName", "createTime", "updateTime", "uuid",
]  # fmt: skip
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")  # the seed's format: no fractions


def rows(database_url, model):
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(model.__table__)).mappings())
    finally:
        engine.dispose()


def events(database_url, app_id="acme"):
    found = [
        e for e in rows(database_url, JourneyEvent) if e["app_id"] == app_id and e["family"] == "partners"
    ]
    return sorted(found, key=lambda e: e["id"])  # a table has no order: an UPDATE moves a PostgreSQL row


class TestTokens:
    def test_client_credentials_issue_a_bearer_token(self, ib):
        response = ib.post(
            "/ib/v1/tokens", json={"grant_type": "client_credentials"}, auth=("ib-acme", SECRET)
        )
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"access_token", "token_type", "expires_in"}
        assert body["token_type"] == "Bearer"
        assert isinstance(body["expires_in"], int) and 60 <= body["expires_in"] <= 3600
        listed = ib.get("/ib/v1/clicks", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert listed.status_code == 200

    def test_the_secret_works_as_bearer_too(self, ib):
        assert ib.get("/ib/v1/clicks", headers=AUTH).status_code == 200

    def test_bad_token_requests(self, ib):
        for auth, body, status in [
            (("ib-acme", "wrong-secret"), {"grant_type": "client_credentials"}, 401),
            (("nobody", SECRET), {"grant_type": "client_credentials"}, 401),
            (None, {"grant_type": "client_credentials"}, 401),
            (("ib-acme", SECRET), {"grant_type": "password"}, 400),
            (("ib-acme", SECRET), {}, 400),
        ]:
            response = ib.post("/ib/v1/tokens", json=body, auth=auth)
            assert response.status_code == status, (auth, body)
            assert set(response.json()) == {"message", "errors"}

    def test_every_route_needs_a_partners_bearer(self, ib):
        click = create(ib)["clickId"]
        for headers in [
            {},
            {"Authorization": "Bearer nope"},
            {"Authorization": "Basic aWItYWNtZTppYi1zZWNyZXQtYWNtZQ=="},
            {"Authorization": "Bearer wall-secret-acme"},  # a surveys-only credential
        ]:
            for method, path, body in [
                ("GET", "/ib/v1/clicks", None),
                ("POST", "/ib/v1/clicks", seed_click()),
                ("GET", f"/ib/v1/clicks/{click}", None),
                ("PUT", f"/ib/v1/clicks/{click}", SEED_PROFILE),
                ("PATCH", f"/ib/v1/clicks/{click}", SEED_PROFILE),
                ("DELETE", f"/ib/v1/clicks/{click}", None),
            ]:
                response = ib.request(method, path, json=body, headers=headers)
                assert response.status_code == 401, (headers, method, path)
                assert set(response.json()) == {"message", "errors"}


class TestCreate:
    def test_seed_example(self, ib, database_url):
        response = ib.post("/ib/v1/clicks", json=seed_click(), headers=AUTH)
        assert response.status_code == 201
        click = response.json()
        assert list(click) == CLICK_FIELDS
        assert re.fullmatch(r"[0-9a-f]{24}", click["clickId"])
        assert click["time"] == "2021-01-01T00:00:00+00:00"
        assert click["referrer"] == "https://twitter.com"
        assert click["ip"] == "185.155.96.184"
        assert click["userAgent"] == SEED_UA
        assert click["linkId"] == LINK
        assert click["profileId"] is None and click["uuid"] is None
        assert click["bannerId"] is None and click["bannerCdnFileUrl"] is None and click["cdnFileUrl"] is None
        assert (click["latitude"], click["longitude"]) == ("37.751", "-97.822")
        assert (click["countryCode"], click["countryName"]) == ("US", "United States")
        assert ISO.match(click["createTime"]) and click["createTime"] == click["updateTime"]
        created = [e for e in events(database_url) if e["type"] == "click.created"]
        assert len(created) == 1
        payload = created[0]["payload"]
        assert created[0]["journey_id"] == click["clickId"]
        assert payload["verdict"] == "ok" and payload["unique"] is True and payload["bot"] is False
        assert payload["browser"] == "Safari" and payload["country_code"] == "US"
        assert "ip" not in payload and SEED_UA not in str(payload)

    def test_times_are_whole_seconds_and_keep_their_sub_second_order(self, ib, database_url):
        """Answers use the seed's format (strict parsers such as PHP's DATE_ATOM refuse fractions); the
        stored values keep their milliseconds, and so does the order."""
        made = {}
        for ms in (300, 100, 200):  # three clicks in one second, posted out of order
            click = create(ib, time=f"2021-01-01T00:00:00.{ms:03d}+00:00", ip=f"185.155.96.{ms // 100}")
            assert click["time"] == "2021-01-01T00:00:00+00:00"
            made[click["clickId"]] = ms
        stored = stored_clicks(database_url)
        assert {click_id: stored[click_id]["time"].microsecond for click_id in made} == {
            click_id: ms * 1000 for click_id, ms in made.items()
        }
        for order, expected in [("asc", [100, 200, 300]), ("desc", [300, 200, 100])]:
            listed = ib.get("/ib/v1/clicks", params={"sort_by": "time", "sort_order": order}, headers=AUTH)
            assert [made[c["clickId"]] for c in listed.json()] == expected, order
        registered = next(iter(made))
        ib.put(f"/ib/v1/clicks/{registered}", json=SEED_PROFILE, headers=AUTH)
        answer = ib.get(f"/ib/v1/clicks/{registered}?query[profile]=1&query[link]=1", headers=AUTH).json()
        times = [answer[k] for k in ("time", "createTime", "updateTime")]
        times += [answer[e][k] for e in ("profile", "link") for k in ("createTime", "updateTime")]
        for value in times:
            assert ISO.match(value), value
            datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")  # DATE_ATOM's layout, nothing more

    def test_utm_fields_banner_and_defaults(self, ib):
        uri = (
            "https://my.stage.org/register/?referral=1&utm_campaign=sport%20cup&utm_content=UEFA"
            "&utm_medium=banner&utm_source=youtube.com&utm_term=bit%2Bcoin&banner=" + BANNER
        )
        response = ib.post("/ib/v1/clicks", json={"ip": "185.155.96.184", "uri": uri}, headers=AUTH)
        assert response.status_code == 201
        click = response.json()
        assert (click["utmCampaign"], click["utmContent"], click["utmMedium"]) == (
            "sport cup",
            "UEFA",
            "banner",
        )
        assert (click["utmSource"], click["utmTerm"]) == ("youtube.com", "bit+coin")
        assert (click["linkId"], click["bannerId"], click["bannerName"]) == (LINK, BANNER, "Tight Spreads")
        assert click["bannerCdnFileUrl"] == click["cdnFileUrl"] == "https://cdn.example/Tight+Spreads.png"
        assert click["time"] == click["createTime"]
        assert click["referrer"] is None and click["userAgent"] is None

    def test_banner_alone_resolves_its_link_and_other_links_do_not_match(self, ib):
        by_banner = create(ib, uri=f"https://elsewhere.example/?bannerId={BANNER}")
        assert (by_banner["linkId"], by_banner["bannerId"]) == (LINK, BANNER)
        second = create(ib, uri="https://MY.stage.org:443/register?referral=2")
        assert second["linkId"] == "6006dda272f002519c3eb5aa" and second["bannerId"] is None
        unknown = create(ib, uri="https://my.stage.org/register?referral=3")
        assert unknown["linkId"] is None

    def test_the_seeds_curl_without_a_json_content_type(self, ib):
        """curl --data-raw without a Content-Type header labels the JSON form-urlencoded."""
        form = {**AUTH, "Content-Type": "application/x-www-form-urlencoded"}
        response = ib.post("/ib/v1/clicks", content=json.dumps(seed_click()), headers=form)
        assert response.status_code == 201 and list(response.json()) == CLICK_FIELDS
        click = response.json()["clickId"]
        put = ib.put(f"/ib/v1/clicks/{click}", content=json.dumps(SEED_PROFILE), headers=form)
        assert put.status_code == 200 and put.json()["profileId"]
        bad = ib.patch(f"/ib/v1/clicks/{click}", content=b"firstName=Mary", headers=form)
        assert bad.status_code == 400 and bad.json()["errors"] == {"body": ["malformed JSON"]}
        grant = json.dumps({"grant_type": "client_credentials"})
        token = ib.post(
            "/ib/v1/tokens",
            content=grant,
            headers={"Content-Type": form["Content-Type"]},
            auth=("ib-acme", SECRET),
        )
        assert token.status_code == 200 and token.json()["token_type"] == "Bearer"

    def test_a_retry_with_the_same_uuid_returns_the_same_click(self, ib, database_url):
        first = ib.post("/ib/v1/clicks", json=seed_click(uuid="ext-1"), headers=AUTH)
        again = ib.post("/ib/v1/clicks", json=seed_click(uuid="ext-1"), headers=AUTH)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json() == again.json()
        assert len([e for e in events(database_url) if e["type"] == "click.created"]) == 1
        # uuids are per app
        assert ib.post("/ib/v1/clicks", json=seed_click(uuid="ext-1"), headers=OTHER).status_code == 201


class TestGet:
    def test_all_embeds(self, ib):
        click = create(ib, uri=f"https://my.stage.org/register?referral=1&banner={BANNER}")
        assert ib.put(f"/ib/v1/clicks/{click['clickId']}", json=SEED_PROFILE, headers=AUTH).status_code == 200
        create(ib, ip="185.155.96.185")
        response = ib.get(
            f"/ib/v1/clicks/{click['clickId']}",
            params={"query[link]": 1, "query[profile]": 1, "query[metrics]": 1, "query[contacts]": 1},
            headers=AUTH,
        )
        assert response.status_code == 200
        body = response.json()
        assert list(body)[: len(CLICK_FIELDS)] == CLICK_FIELDS
        assert set(body) == {*CLICK_FIELDS, "link", "profile", "metrics", "contacts"}
        assert (
            body["link"]["linkId"] == LINK
            and body["link"]["uri"] == "https://my.stage.org/register?referral=1"
        )
        profile = body["profile"]
        assert profile["profileId"] == body["profileId"]
        assert (profile["firstName"], profile["middleName"], profile["lastName"]) == ("Mary", "Jane", "Smith")
        assert profile["enabled"] is True and profile["uuid"] is None
        assert body["contacts"] == [
            {"key": "email", "value": "client@email.com", "uuid": None},
            {"key": "phone", "value": "+9876543210", "uuid": None},
        ]
        assert body["metrics"] == {
            "clicks": 2,
            "uniqueClicks": 2,
            "botClicks": 0,
            "duplicateClicks": 0,
            "blockedClicks": 0,
            "registrations": 1,
            "conversionRate": "0.5000",
        }

    def test_embeds_of_a_click_without_link_or_profile_are_null(self, ib):
        click = create(ib, uri="https://nowhere.example/")
        body = ib.get(
            f"/ib/v1/clicks/{click['clickId']}",
            params={"query[link]": 1, "query[profile]": 1, "query[metrics]": 1, "query[contacts]": 1},
            headers=AUTH,
        ).json()
        assert (body["link"], body["profile"], body["metrics"], body["contacts"]) == (None, None, None, None)

    def test_traffic_embed_exposes_agent_and_verdict(self, ib):
        click = create(ib)
        body = ib.get(f"/ib/v1/clicks/{click['clickId']}?query[traffic]=1", headers=AUTH).json()
        assert body["traffic"] == {
            "verdict": "ok",
            "reason": None,
            "unique": True,
            "bot": False,
            "linkPreview": False,
            "browser": "Safari",
            "browserVersion": "14.1.2",
            "os": "Mac OS X",
            "osVersion": "10.15.7",
            "device": "Mac",
            "city": "Wichita",
        }

    @pytest.mark.parametrize(
        "click_id", ["60ba407d15951453e60e49f8", "not-an-id", "60BA407D15951453E60E49F8"]
    )
    def test_unknown_click_is_404(self, ib, click_id):
        response = ib.get(f"/ib/v1/clicks/{click_id}", headers=AUTH)
        assert response.status_code == 404
        assert response.json() == {"message": "Click not found", "errors": {"clickId": ["not found"]}}


class TestRegistration:
    def test_put_seed_body_registers_once_and_queues_the_postback(self, ib, database_url):
        uri = "https://my.stage.org/register?referral=1&utm_source=you%20tube&subid=net-77&gclid=Cj0K"
        click = create(ib, uri=uri)
        response = ib.put(f"/ib/v1/clicks/{click['clickId']}", json=SEED_PROFILE, headers=AUTH)
        assert response.status_code == 200
        body = response.json()
        assert list(body) == CLICK_FIELDS
        assert re.fullmatch(r"[0-9a-f]{24}", body["profileId"])
        assert body["updateTime"] >= body["createTime"]
        registered = [e for e in events(database_url) if e["type"] == "click.registered"]
        assert len(registered) == 1 and registered[0]["user_id"] == body["profileId"]
        outbox = rows(database_url, OutboxMessage)
        assert len(outbox) == 1 and outbox[0]["topic"] == "partners.postback" and outbox[0]["method"] == "GET"
        query = parse_qs(urlsplit(outbox[0]["url"]).query)
        assert query == {
            "click": [click["clickId"]],
            "profile": [body["profileId"]],
            "link": [LINK],
            "src": ["you tube"],
            "aff": ["net-77"],  # the affiliate network's own click id, passed as a sub-id, comes back
            "g": ["Cj0K"],
        }
        assert "you%20tube" in outbox[0]["url"]

        # A second registration replaces the profile; no second postback.
        again = dict(SEED_PROFILE["profile"], firstName="Anna", middleName=None, contacts=[])
        second = ib.put(f"/ib/v1/clicks/{click['clickId']}", json={"profile": again}, headers=AUTH)
        assert second.status_code == 200 and second.json()["profileId"] == body["profileId"]
        embedded = ib.get(
            f"/ib/v1/clicks/{click['clickId']}?query[profile]=1&query[contacts]=1", headers=AUTH
        ).json()
        assert (embedded["profile"]["firstName"], embedded["profile"]["middleName"]) == ("Anna", None)
        assert embedded["contacts"] == []
        assert len(rows(database_url, OutboxMessage)) == 1
        assert [e["type"] for e in events(database_url)][-1] == "profile.updated"

    def test_patch_seed_body_then_a_part(self, ib):
        click = create(ib)["clickId"]
        assert ib.patch(f"/ib/v1/clicks/{click}", json=SEED_PROFILE, headers=AUTH).status_code == 200
        response = ib.patch(f"/ib/v1/clicks/{click}", json={"profile": {"firstName": "Maria"}}, headers=AUTH)
        assert response.status_code == 200
        body = ib.get(f"/ib/v1/clicks/{click}?query[profile]=1&query[contacts]=1", headers=AUTH).json()
        assert (body["profile"]["firstName"], body["profile"]["lastName"]) == ("Maria", "Smith")
        assert len(body["contacts"]) == 2

    def test_put_takes_the_field_tables_flat_form(self, ib, database_url):
        """The seed's field table lists the profile's fields at the top level; its curl wraps them."""
        flat, wrapped = create(ib)["clickId"], create(ib, ip="185.155.96.190")["clickId"]
        response = ib.put(f"/ib/v1/clicks/{flat}", json=SEED_PROFILE["profile"], headers=AUTH)
        assert response.status_code == 200, response.text
        assert list(response.json()) == CLICK_FIELDS and re.fullmatch(
            r"[0-9a-f]{24}", response.json()["profileId"]
        )
        assert ib.put(f"/ib/v1/clicks/{wrapped}", json=SEED_PROFILE, headers=AUTH).status_code == 200
        embeds = "?query[profile]=1&query[contacts]=1"
        a = ib.get(f"/ib/v1/clicks/{flat}{embeds}", headers=AUTH).json()
        b = ib.get(f"/ib/v1/clicks/{wrapped}{embeds}", headers=AUTH).json()
        assert a["contacts"] == b["contacts"] and len(a["contacts"]) == 2
        same = {"profileId", "createTime", "updateTime"}
        assert {k: v for k, v in a["profile"].items() if k not in same} == {
            k: v for k, v in b["profile"].items() if k not in same
        }
        registered = [e for e in events(database_url) if e["type"] == "click.registered"]
        assert {e["journey_id"] for e in registered} == {flat, wrapped}
        assert len(rows(database_url, OutboxMessage)) == 2
        # PATCH takes it flat too
        response = ib.patch(f"/ib/v1/clicks/{flat}", json={"firstName": "Maria"}, headers=AUTH)
        assert response.status_code == 200, response.text
        patched = ib.get(f"/ib/v1/clicks/{flat}{embeds}", headers=AUTH).json()
        assert (patched["profile"]["firstName"], patched["profile"]["lastName"]) == ("Maria", "Smith")

    def test_a_partial_patch_of_an_unregistered_click_is_422_and_changes_nothing(self, ib, database_url):
        click = create(ib)["clickId"]
        before = snapshot(database_url)
        everything = ["firstName", "lastName", "enabled", "contacts"]
        for body, missing in [
            ({"profile": {}}, [f"profile.{name}" for name in everything]),
            ({}, everything),
            (
                {"profile": {"firstName": "Mary", "tag": "61"}},
                ["profile.lastName", "profile.enabled", "profile.contacts"],
            ),
            ({"firstName": "Mary", "lastName": "Smith", "enabled": True}, ["contacts"]),
            ({"profile": {**SEED_PROFILE["profile"], "enabled": None}}, ["profile.enabled"]),
            ({"profile": {"foo": "bar"}}, [f"profile.{name}" for name in everything]),
        ]:
            response = ib.patch(f"/ib/v1/clicks/{click}", json=body, headers=AUTH)
            assert response.status_code == 422, body
            answer = response.json()
            assert set(answer) == {"message", "errors"} and "no profile" in answer["message"], body
            assert answer["errors"] == {name: ["required to register the click"] for name in missing}, body
        # no profile, no event, no outbox row, not even the click's updateTime moved
        assert snapshot(database_url) == before
        assert ib.get(f"/ib/v1/clicks/{click}", headers=AUTH).json()["profileId"] is None

    def test_a_complete_patch_registers_as_put_does_then_patches_amend(self, ib, database_url):
        click = create(ib)["clickId"]
        response = ib.patch(
            f"/ib/v1/clicks/{click}",
            json={"profile": {"firstName": "Mary", "lastName": "Smith", "enabled": True, "contacts": []}},
            headers=AUTH,
        )
        assert response.status_code == 200, response.text
        profile_id = response.json()["profileId"]
        assert re.fullmatch(r"[0-9a-f]{24}", profile_id)
        assert [e["type"] for e in events(database_url)] == ["click.created", "click.registered"]
        assert len(rows(database_url, OutboxMessage)) == 1
        response = ib.patch(f"/ib/v1/clicks/{click}", json={"profile": {"middleName": "Jane"}}, headers=AUTH)
        assert response.status_code == 200 and response.json()["profileId"] == profile_id
        body = ib.get(f"/ib/v1/clicks/{click}?query[profile]=1&query[contacts]=1", headers=AUTH).json()
        assert [body["profile"][k] for k in ("firstName", "middleName", "lastName")] == [
            "Mary",
            "Jane",
            "Smith",
        ]
        assert body["profile"]["enabled"] is True and body["contacts"] == []
        assert [e["type"] for e in events(database_url)][-1] == "profile.updated"
        assert len(rows(database_url, OutboxMessage)) == 1
        [profile] = rows(database_url, PartnerProfile)
        assert profile["id"] == profile_id

    def test_same_profile_uuid_links_clicks_to_one_profile(self, ib):
        first, second = create(ib)["clickId"], create(ib, ip="185.155.96.190")["clickId"]
        profile = dict(SEED_PROFILE["profile"], uuid="crm-42")
        a = ib.put(f"/ib/v1/clicks/{first}", json={"profile": profile}, headers=AUTH).json()
        b = ib.put(f"/ib/v1/clicks/{second}", json={"profile": profile}, headers=AUTH).json()
        assert a["profileId"] == b["profileId"]

    def test_email_is_normalized_and_phone_kept_in_international_form(self, ib):
        click = create(ib)["clickId"]
        profile = dict(
            SEED_PROFILE["profile"],
            contacts=[
                {"key": "email", "value": "Mary@Example.COM"},
                {"key": "phone", "value": "+1 415 555 2671"},
            ],
        )
        ib.put(f"/ib/v1/clicks/{click}", json={"profile": profile}, headers=AUTH)
        body = ib.get(f"/ib/v1/clicks/{click}?query[contacts]=1&query[profile]=1", headers=AUTH).json()
        assert [c["value"] for c in body["contacts"]] == ["Mary@example.com", "+14155552671"]
        assert (body["profile"]["countryCode"], body["profile"]["countryName"]) == ("US", "United States")


class TestDelete:
    def test_delete_removes_click_and_personal_data(self, ib, database_url):
        click = create(ib)["clickId"]
        ib.put(f"/ib/v1/clicks/{click}", json=SEED_PROFILE, headers=AUTH)
        response = ib.delete(f"/ib/v1/clicks/{click}", headers=AUTH)
        assert response.status_code == 204 and response.content == b""
        assert ib.get(f"/ib/v1/clicks/{click}", headers=AUTH).status_code == 404
        assert ib.delete(f"/ib/v1/clicks/{click}", headers=AUTH).status_code == 404
        assert ib.get("/ib/v1/clicks", headers=AUTH).json() == []
        assert rows(database_url, PartnerProfile) == [] and rows(database_url, PartnerContact) == []
        logged = events(database_url)
        assert [e["type"] for e in logged] == ["click.created", "click.registered", "click.deleted"]
        assert all(e["user_id"] is None for e in logged)
        text = str([dict(e) for e in logged])
        for personal in ("185.155.96.184", "Mozilla", "Mary", "Smith", "client@email.com", "9876543210"):
            assert personal not in text

    def test_delete_removes_the_click_ids_from_its_events_and_keeps_the_ad_network(self, ib, database_url):
        """A click id is personal data (the ad network can tie it to a person): the events that stay lose
        it, as they lose the profile id; what the metrics counted (ad network, UTM fields) stays."""
        uri = "https://my.stage.org/register?referral=1&utm_source=news&gclid=Cj0KCQ&msclkid=9f1c"
        click = create(ib, uri=uri)["clickId"]
        kept = create(ib, uri=uri)["clickId"]
        ib.put(f"/ib/v1/clicks/{click}", json=SEED_PROFILE, headers=AUTH)
        assert ib.delete(f"/ib/v1/clicks/{click}", headers=AUTH).status_code == 204
        logged = {e["type"]: e["payload"] for e in events(database_url) if e["journey_id"] == click}
        assert set(logged) == {"click.created", "click.registered", "click.deleted"}
        assert not any({"gclid", "fbclid", "msclkid"} & set(payload) for payload in logged.values())
        assert (logged["click.created"]["ad_network"], logged["click.created"]["utm_source"]) == (
            "google_ads",
            "news",
        )
        assert logged["click.registered"]["ad_network"] == "google_ads"
        [other] = [e["payload"] for e in events(database_url) if e["journey_id"] == kept]
        assert (other["gclid"], other["msclkid"]) == ("Cj0KCQ", "9f1c")  # another click keeps its own


class TestTenantIsolation:
    def test_another_apps_click_is_not_found_on_every_route(self, ib, database_url):
        click = create(ib)["clickId"]
        before = snapshot(database_url)
        for method, body in [("GET", None), ("PUT", SEED_PROFILE), ("PATCH", SEED_PROFILE), ("DELETE", None)]:
            response = ib.request(method, f"/ib/v1/clicks/{click}", json=body, headers=OTHER)
            assert response.status_code == 404, method
        assert ib.get("/ib/v1/clicks", headers=OTHER).json() == []
        assert ib.get(f"/ib/v1/clicks?filter[linkId]={LINK}", headers=OTHER).headers["X-Total-Count"] == "0"
        assert snapshot(database_url) == before
        # the other app's own click on a link with the same id resolves to its own link
        theirs = create(ib, headers=OTHER, uri="https://other.example/register?referral=1")
        assert theirs["linkId"] == LINK
        mine = ib.get(f"/ib/v1/clicks/{click}?query[metrics]=1", headers=AUTH).json()
        assert mine["metrics"]["clicks"] == 1


@pytest.mark.parametrize("enabled", [0, 1, "yes", "off", "true"])
def test_enabled_is_a_json_boolean_on_put_and_patch(ib, database_url, enabled):
    click = create(ib)["clickId"]
    before = snapshot(database_url)
    body = {"profile": {**SEED_PROFILE["profile"], "enabled": enabled}}
    for method in ("PUT", "PATCH"):
        answer = ib.request(method, f"/ib/v1/clicks/{click}", json=body, headers=AUTH)
        assert answer.status_code == 400, (method, answer.text)
        assert "enabled" in answer.json()["message"]
    assert snapshot(database_url) == before
    assert ib.put(f"/ib/v1/clicks/{click}", json=SEED_PROFILE, headers=AUTH).status_code == 200


@pytest.mark.parametrize("time", [0, 1e12, 1700000000, "1700000000", True, "yesterday"])
def test_a_click_time_is_an_iso_string_never_a_number(ib, database_url, time):
    before = snapshot(database_url)
    answer = ib.post("/ib/v1/clicks", json=seed_click(time=time), headers=AUTH)
    assert answer.status_code == 400, answer.text
    assert "time" in answer.json()["message"]
    assert snapshot(database_url) == before
    assert create(ib, time="2024-03-12T09:30:00+00:00")["time"] == "2024-03-12T09:30:00+00:00"
