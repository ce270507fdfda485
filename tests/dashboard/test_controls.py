"""The dashboard's date controls, comparison, filters and CSV links over HTTP (the real app, both
engines); the ranges themselves as plain functions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from clicktrail.dashboard import controls, ranges

from ..helpers import configure
from ..signage.support import campaign, scan
from ..signage.support import document as signage_document
from .test_dashboard import sign_in

NOW = datetime(2026, 3, 15, 10, 30, tzinfo=UTC)  # a Sunday, 11:30 in Berlin
SIGNAGE = "/dashboard/apps/demo/families/signage"


@pytest.mark.parametrize(
    ("key", "begin", "stop"),
    [
        ("today", "2026-03-14T23:00:00+00:00", "2026-03-15T10:30:00+00:00"),
        ("yesterday", "2026-03-13T23:00:00+00:00", "2026-03-14T23:00:00+00:00"),
        ("24h", "2026-03-14T10:30:00+00:00", "2026-03-15T10:30:00+00:00"),
        ("7d", "2026-03-08T23:00:00+00:00", "2026-03-15T10:30:00+00:00"),
        ("month", "2026-02-28T23:00:00+00:00", "2026-03-15T10:30:00+00:00"),
        ("last-month", "2026-01-31T23:00:00+00:00", "2026-02-28T23:00:00+00:00"),
    ],
)
def test_named_ranges_are_days_of_the_chosen_zone(key, begin, stop):
    span = ranges.span(key, None, None, "Europe/Berlin", now=NOW)
    assert (span.begin.isoformat(), span.stop.isoformat()) == (begin, stop)
    previous = span.previous()
    assert previous is not None and previous.stop == span.begin
    assert previous.stop - previous.begin == span.stop - span.begin


def test_a_custom_range_includes_its_last_day_and_all_time_has_no_previous():
    span = ranges.span(None, "2026-03-01", "2026-03-02", "UTC", now=NOW)
    assert span.params()["from"] == "2026-03-01T00:00:00+00:00"
    assert span.params()["to"] == "2026-03-03T00:00:00+00:00" and span.label == "2026-03-01 to 2026-03-02"
    assert ranges.span("all", None, None, "UTC", now=NOW).previous() is None
    for bad in (
        ("x", None, None, "UTC"),
        (None, "2026-03-05", "2026-03-01", "UTC"),
        ("7d", None, None, "Mars/X"),
    ):
        with pytest.raises(ranges.RangeError):
            ranges.span(*bad, now=NOW)


def test_changes_are_percent_for_counts_and_points_for_rates():
    assert ranges.change(15, 10, "scans") == ("+50 %", "up")
    assert ranges.change(5, 10, "scans") == ("-50 %", "down")
    assert ranges.change(3, 0, "scans") == ("new", "up")
    assert ranges.change(0.25, 0.2, "completion_rate") == ("+5.0 pt", "up")
    assert ranges.change(None, 0.2, "completion_rate") == ("", "flat")


def scanned(client) -> None:
    configure(client, signage_document(campaign(), campaign("summer", coupons={"codes": ["SUMMER-1"]})))
    for campaign_id in ("spring-form", "spring-form", "summer"):
        scan(client, campaign_id=campaign_id)
    sign_in(client)


def figure(html: str, measure: str) -> str:
    found = re.search(rf'id="totals".*?data-measure="{measure}"[^>]*>([^<]*)<', html, re.S)
    assert found, html
    return found.group(1)


def test_today_against_yesterday_and_nothing_yesterday(client):
    scanned(client)
    today = client.get(SIGNAGE, params={"range": "today"})
    assert today.status_code == 200 and figure(today.text, "scans") == "3"
    assert re.search(r'data-change="scans"[^>]*>new<', today.text)  # none the period before
    assert 'aria-current="true">Today<' in today.text
    by_campaign = re.search(r'data-grouping="campaign".*?</table>', today.text, re.S).group(0)
    assert re.search(r'>spring-form<.*?data-change="scans">new<', by_campaign, re.S)  # each row too
    yesterday = client.get(SIGNAGE, params={"range": "yesterday"})
    assert figure(yesterday.text, "scans") == "0"
    assert 'aria-current="true">Last 7 days<' in client.get(SIGNAGE, params={"days": "7"}).text  # old links
    everything = client.get(SIGNAGE, params={"range": "all"})
    assert figure(everything.text, "scans") == "3" and 'data-change="scans"' not in everything.text
    overview = client.get("/dashboard", params={"range": "today"})
    assert re.search(r'data-family="signage".*?data-change="scans"[^>]*>new<', overview.text, re.S)


def test_a_chosen_zone_is_remembered(client):
    scanned(client)
    chosen = client.get(SIGNAGE, params={"tz": "Asia/Kolkata"})
    assert chosen.status_code == 200 and "Asia/Kolkata" in chosen.headers["set-cookie"]
    later = client.get(SIGNAGE)
    assert "<option selected>Asia/Kolkata</option>" in later.text and "days in Asia/Kolkata" in later.text
    client.cookies.set("clicktrail_tz", "Mars/Olympus", path="/dashboard")
    assert "days in UTC" in client.get(SIGNAGE).text  # a bad remembered zone is forgotten, not a 400


@pytest.mark.parametrize(
    "params", [{"range": "fortnight"}, {"from": "2026-03-05", "to": "2026-03-01"}, {"from": "soon"}]
)
def test_a_range_the_page_cannot_use_is_a_400(client, params):
    scanned(client)
    answer = client.get(SIGNAGE, params=params)
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html")


def unescaped(link: str) -> str:
    return link.replace("&amp;", "&")


def chips(html: str) -> dict[str, str]:
    """The page's filter chips: dimension → the link that removes it."""
    found = re.findall(r'<a class="chip" href="([^"]+)" data-filter="(\w+)"', html)
    return {name: unescaped(link) for link, name in found}


def row_link(html: str, grouping: str, shown: str) -> str:
    table = re.search(rf'data-grouping="{grouping}".*?</table>', html, re.S)
    assert table, html
    link = re.search(rf'<td class="key"[^>]*><a href="([^"]+)"[^>]*>{re.escape(shown)}<', table.group(0))
    assert link, table.group(0)
    return unescaped(link.group(1))


def test_rows_add_filters_that_combine_as_chips_in_the_url(client):
    scanned(client)
    page = client.get(SIGNAGE, params={"range": "today"})
    filtered = client.get(SIGNAGE + row_link(page.text, "campaign", "summer"))
    assert filtered.status_code == 200 and figure(filtered.text, "scans") == "1"
    assert list(chips(filtered.text)) == ["campaign"] and "campaign: summer" in filtered.text
    both_link = row_link(filtered.text, "country", "(none)")  # by country, under the campaign's filter
    assert "filter%5Bcampaign%5D=summer" in both_link and "filter%5Bcountry%5D=" in both_link
    both = client.get(SIGNAGE + both_link)
    assert both.status_code == 200 and figure(both.text, "scans") == "1"
    assert list(chips(both.text)) == ["campaign", "country"] and "country: (none)" in both.text
    for api in re.findall(r'data-api="([^"]+)"', both.text):  # every panel asks the API with both
        assert "filter%5Bcampaign%5D=summer" in api and "filter%5Bcountry%5D=" in api, api
    kept = re.findall(r'<input type="hidden" name="(filter\[\w+\])" value="([^"]*)">', both.text)
    assert ("filter[campaign]", "summer") in kept and ("filter[country]", "") in kept  # the forms keep them
    again = client.get(SIGNAGE + both_link)  # the URL is the view: shared, it shows the same
    assert chips(again.text) == chips(both.text) and figure(again.text, "scans") == "1"

    no_country = client.get(SIGNAGE + chips(both.text)["country"])  # removing one chip keeps the other
    assert list(chips(no_country.text)) == ["campaign"] and figure(no_country.text, "scans") == "1"
    no_campaign = client.get(SIGNAGE + chips(both.text)["campaign"])
    assert list(chips(no_campaign.text)) == ["country"] and figure(no_campaign.text, "scans") == "3"
    assert "filter" not in chips(no_campaign.text)["country"]
    assert figure(client.get(SIGNAGE + chips(no_campaign.text)["country"]).text, "scans") == "3"


def test_a_filter_link_adds_to_the_others_and_replaces_its_own_dimension():
    span = ranges.span("7d", None, None, "UTC", now=NOW)
    view = controls.Controls(span, {"campaign": "summer", "country": "EE"})
    assert view.with_filter("country", None) == (
        "?range=7d&tz=UTC&filter%5Bcampaign%5D=summer&filter%5Bcountry%5D="
    )
    assert view.without_filter("campaign") == "?range=7d&tz=UTC&filter%5Bcountry%5D=EE"
    assert view.api_params()["filter[campaign]"] == "summer" and view.api_params()["filter[country]"] == "EE"


def test_csv_links_give_the_api_csv_of_the_same_view(client):
    scanned(client)
    page = client.get(SIGNAGE, params={"range": "today", "filter[campaign]": "summer"})
    link = re.search(r'href="(/dashboard/[^"]+metrics\.csv[^"]+group_by=campaign[^"]*)"', page.text)
    assert link, page.text
    answer = client.get(link.group(1).replace("&amp;", "&"))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = answer.text.strip().splitlines()
    assert lines[1].startswith("summer,1") and len(lines) == 3  # the row and the total


def test_a_running_period_is_drawn_as_partial(client):
    assert ranges.span("7d", None, None, "Europe/Berlin", now=NOW).partial
    assert not ranges.span("last-month", None, None, "Europe/Berlin", now=NOW).partial
    assert not ranges.span(None, "2026-03-01", "2026-03-02", "UTC", now=NOW).partial
    scanned(client)
    assert 'class="partial"' in client.get(SIGNAGE, params={"range": "7d"}).text
    assert 'class="partial"' not in client.get(SIGNAGE, params={"range": "last-month"}).text


def test_the_none_row_filters_to_the_events_without_a_value(client):
    scanned(client)  # the test client's address has no country
    page = client.get(SIGNAGE, params={"range": "today"})
    assert 'href="?range=today&amp;tz=UTC&amp;filter%5Bcountry%5D="' in page.text
    nowhere = client.get(SIGNAGE, params={"range": "today", "filter[country]": ""})
    assert figure(nowhere.text, "scans") == "3" and "country: (none)" in nowhere.text
    assert figure(client.get(SIGNAGE, params={"filter[country]": "EE"}).text, "scans") == "0"


def test_link_names_survive_a_partners_section_shown_redacted_whole() -> None:
    """A partners section that no longer validates (an outbound rule changed since it was applied) comes
    back from the admin API as one redacted string: the page's link names are then none, not a 500."""
    from clicktrail.dashboard.routes import _names

    assert _names("partners", {"partners": "********"}) == {"link": {}}
    links = {"partners": {"links": [{"id": "l1", "name": "Spring"}, {"id": "l2"}, "********"]}}
    assert _names("partners", links) == {"link": {"l1": "Spring", "l2": "l2"}}
