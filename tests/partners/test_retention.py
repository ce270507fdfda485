"""Retention (``privacy.personal_data_days``) for partners: rows older than the cutoff are purged, newer
rows and apps without a retention keep everything; a second purge changes nothing."""

from __future__ import annotations

from ..admin.test_metrics_paths import assert_both_paths_agree
from ..helpers import ADMIN, configure
from ..retention_support import OLD, a_cutoff, nothing_left, purge_before, run_purge, sql, with_retention
from .conftest import AUTH, OTHER, SEED_PROFILE, create
from .conftest import document as partners_document

CLICK_IDS = ("gclid", "fbclid", "msclkid")
URI = "https://my.stage.org/register?referral=1&utm_source=news&sub1=abc&"


class TestPartners:
    CLICK = (
        "SELECT ip, user_agent, referrer, city, latitude, country_code, browser, verdict FROM partner_clicks"
    )

    def test_old_clicks_lose_ip_agent_referrer_and_place_and_old_profiles_their_contacts(
        self, ib, database_url
    ):
        configure(ib, with_retention(partners_document()))
        old = create(ib, ip="185.155.96.184")
        ib.put(f"/ib/v1/clicks/{old['clickId']}", json=SEED_PROFILE, headers=AUTH)
        new = create(ib, ip="185.155.96.184")
        other = create(ib, headers=OTHER)
        events_before = sql(database_url, "SELECT count(*) FROM journey_events")
        for click in (old, other):
            sql(
                database_url,
                "UPDATE partner_clicks SET create_time = :t WHERE id = :i",
                t=OLD,
                i=click["clickId"],
            )
        sql(database_url, "UPDATE partner_profiles SET update_time = :t", t=OLD)

        report = run_purge(database_url)
        assert set(report) == {"acme"}
        assert report["acme"]["anonymized"]["partners"] == {
            "partner_clicks": 1,
            "partner_profiles": 1,
            "journey_events": 0,
        }
        assert report["acme"]["removed"]["partners"] == {"partner_contacts": 2}
        [purged] = sql(database_url, f"{self.CLICK} WHERE id = :i", i=old["clickId"])
        assert purged[:5] == (None, None, None, None, None)
        assert purged[5:] == ("US", "Safari", "ok")  # country, browser and verdict stay
        [kept] = sql(database_url, f"{self.CLICK} WHERE id = :i", i=new["clickId"])
        assert kept[0] == "185.155.96.184" and kept[1] is not None and kept[3] == "Wichita"
        [untouched] = sql(database_url, f"{self.CLICK} WHERE id = :i", i=other["clickId"])
        assert untouched[0] == "185.155.96.184"  # app "other" sets no retention
        assert sql(database_url, "SELECT count(*) FROM partner_contacts WHERE app_id = 'acme'") == [(0,)]
        assert sql(database_url, "SELECT first_name, last_name, full_name_lc FROM partner_profiles") == [
            (None, None, "")
        ]
        assert sql(database_url, "SELECT count(*) FROM journey_events") == events_before

        shown = ib.get(f"/ib/v1/clicks/{old['clickId']}", params={"query[profile]": "1"}, headers=AUTH).json()
        assert (shown["ip"], shown["userAgent"], shown["countryCode"]) == (None, None, "US")
        assert shown["profileId"] is not None  # still registered: registration counts stay
        assert (shown["profile"]["firstName"], shown["profile"]["lastName"]) == (None, None)
        assert nothing_left(run_purge(database_url))

    def test_old_clicks_and_their_events_lose_their_click_ids_and_the_metrics_stay(self, ib, database_url):
        configure(ib, with_retention(partners_document()))
        old = create(ib, uri=URI + "gclid=G-old&msclkid=M-old", referrer="https://news.example/a")["clickId"]
        cutoff = a_cutoff()
        # registered after the cutoff: its event is recent, yet names the old click's click ids
        ib.put(f"/ib/v1/clicks/{old}", json=SEED_PROFILE, headers=AUTH)
        new = create(ib, uri=URI + "fbclid=F-new")["clickId"]
        counted = by_ad_network(ib)  # from the rollups
        assert counted == {"google_ads": (1, 1), "meta_ads": (1, 0)}
        assert by_ad_network(ib, utm_source="news") == counted  # a combination: from the click rows
        hosts = by_referrer_host(ib)
        assert hosts == {"news.example": (1, 1), "twitter.com": (1, 0)}
        assert by_referrer_host(ib, utm_source="news") == hosts

        report = purge_before(database_url, cutoff)
        assert report["acme"]["anonymized"]["partners"] == {
            "partner_clicks": 1,
            "partner_profiles": 0,
            "journey_events": 2,  # click.created, click.registered
        }
        held = (
            "SELECT gclid, fbclid, msclkid, referrer, utm_source, sub1, ad_network, referrer_host"
            " FROM partner_clicks WHERE id = :i"
        )
        # the row keeps what the metrics count it under: its network and referrer host name no person
        assert sql(database_url, held, i=old) == [
            (None, None, None, None, "news", "abc", "google_ads", "news.example")
        ]
        assert sql(database_url, held, i=new) == [
            (None, "F-new", None, "https://twitter.com", "news", "abc", "meta_ads", "twitter.com")
        ]
        payloads = journey_payloads(ib, old)
        assert set(payloads) == {"click.created", "click.registered"}
        for payload in payloads.values():
            assert not set(CLICK_IDS) & set(payload)
            assert (payload["ad_network"], payload["utm_source"], payload["sub1"]) == (
                "google_ads",
                "news",
                "abc",
            )
        assert journey_payloads(ib, new)["click.created"]["fbclid"] == "F-new"
        # the rollups and a combination (from the click rows) agree, and still count the purged click under
        # its network and its referrer's host (docs/metrics.md, "Purged clicks")
        assert by_ad_network(ib) == counted == by_ad_network(ib, utm_source="news")
        assert by_referrer_host(ib) == hosts == by_referrer_host(ib, utm_source="news")
        assert assert_both_paths_agree(ib.app.state.runtime.engine, "acme", ("partners",)) >= 40
        assert nothing_left(purge_before(database_url, cutoff))


def journey_payloads(ib, click_id):
    journey = ib.get(f"/admin/v1/apps/acme/journeys/partners/{click_id}", headers=ADMIN).json()
    return {event["type"]: event["payload"] for event in journey["events"]}


def by_ad_network(ib, **filters):
    return counted_by(ib, "ad_network", **filters)


def by_referrer_host(ib, **filters):
    return counted_by(ib, "referrer_host", **filters)


def counted_by(ib, dimension, **filters):
    params = {
        "family": "partners",
        "group_by": dimension,
        **{f"filter[{k}]": v for k, v in filters.items()},
    }
    answer = ib.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return {row["key"]: (row["clicks"], row["registrations"]) for row in answer.json()["rows"]}
