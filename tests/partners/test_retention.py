"""Retention (``privacy.personal_data_days``) for partners: rows older than the cutoff are purged, newer
rows and apps without a retention keep everything; a second purge changes nothing."""

from __future__ import annotations

from ..helpers import configure
from ..retention_support import OLD, nothing_left, run_purge, sql, with_retention
from .conftest import AUTH, OTHER, SEED_PROFILE, create
from .conftest import document as partners_document


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
        assert report["acme"]["anonymized"]["partners"] == {"partner_clicks": 1, "partner_profiles": 1}
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
