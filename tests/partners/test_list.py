"""GET /ib/v1/clicks: every filter, every sort field both ways, paging with X-Total-Count, the seed's
full curl, embeds without N+1, and 400 for anything unknown or malformed."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest

from clicktrail.partners import listing

from .conftest import AUTH, BANNER, LINK, LINK2, SEED_UA, stored_clicks

ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
GOOGLEBOT = "Googlebot/2.1 (+http://www.google.com/bot.html)"
C1_URI = (
    "https://my.stage.org/register?referral=1&utm_campaign=sport&utm_content=UEFA&utm_medium=banner"
    f"&utm_source=youtube.com&utm_term=bitcoin&banner={BANNER}"
)
C2_URI = "https://my.stage.org/register?referral=2&utm_source=google&utm_campaign=winter"
C3_URI = "https://my.stage.org/landing?x=1"


@pytest.fixture
def three(ib):
    """c1: the seed's click, registered (Mary Jane Smith, tag 61); c2: a Dutch IPv6 click on link 2;
    c3: a crawler from the UK on no link, registered (John Doe, tag 7)."""

    def post(body):
        response = ib.post("/ib/v1/clicks", json=body, headers=AUTH)
        assert response.status_code == 201, response.text
        return response.json()["clickId"]

    c1 = post(
        {
            "ip": "185.155.96.184",
            "uri": C1_URI,
            "referrer": "https://twitter.com",
            "time": "2021-01-01T00:00:00+00:00",
            "userAgent": SEED_UA,
            "uuid": "9",
        }
    )
    c2 = post(
        {
            "ip": "2a02:2e0::1",
            "uri": C2_URI,
            "referrer": "https://google.com",
            "time": "2021-01-15T12:00:00Z",
            "userAgent": ANDROID,
            "uuid": "10",
        }
    )
    c3 = post(
        {"ip": "81.2.69.160", "uri": C3_URI, "time": "2021-02-01T08:00:00+01:00", "userAgent": GOOGLEBOT}
    )
    mary = {
        "firstName": "Mary",
        "lastName": "Smith",
        "middleName": "Jane",
        "enabled": True,
        "uuid": None,
        "tag": "61",
        "contacts": [
            {"key": "email", "value": "a31b1402@privaterelay.appleid.com"},
            {"key": "phone", "value": "+14155552671"},
        ],
    }
    john = {
        "firstName": "John",
        "lastName": "Doe",
        "enabled": False,
        "tag": "7",
        "contacts": [{"key": "email", "value": "john@example.org"}],
    }
    assert ib.put(f"/ib/v1/clicks/{c1}", json={"profile": mary}, headers=AUTH).status_code == 200
    assert ib.put(f"/ib/v1/clicks/{c3}", json={"profile": john}, headers=AUTH).status_code == 200
    return {"c1": c1, "c2": c2, "c3": c3}


def listed(ib, params, status=200):
    response = ib.get("/ib/v1/clicks", params=params, headers=AUTH)
    assert response.status_code == status, response.text
    return response


FILTER_CASES = [
    ("bannerId", BANNER, {"c1"}),
    ("bannerIdFilter", BANNER, {"c1"}),
    ("clickStartTime", "2021-01-15T12:00:00+00:00", {"c2", "c3"}),
    ("clickStartTime", "2021-02-01T07:00:00Z", {"c3"}),
    ("clickEndTime", "2021-01-15T12:00:00+00:00", {"c1", "c2"}),
    ("clickEndTime", "2021-01-01T00:00:00Z", {"c1"}),
    ("clickEndTime", "2020-12-31T23:59:59.999+00:00", set()),
    ("countryCode", "NL", {"c2"}),
    ("countryCode", "nl", {"c2"}),
    ("countryCode", "N", set()),
    ("countryName", "United Kingdom", {"c3"}),
    ("countryName", "united KINGDOM", {"c3"}),
    ("countryName", "United", set()),
    ("ip", "2a02:2e0::1", {"c2"}),
    ("ip", "185.155.96.184", {"c1"}),
    ("linkId", LINK2, {"c2"}),
    ("linkId", LINK, {"c1"}),
    ("latitude", "37.751", {"c1"}),
    ("longitude", "-97.822", {"c1"}),
    ("latitude", "52.37", {"c2"}),
    ("registration", "1", {"c1", "c3"}),
    ("registration", "0", {"c2"}),
    ("profileName", "Mary Jane Smith", {"c1"}),
    ("profileName", "JANE", {"c1"}),
    ("profileName", "o", {"c3"}),
    ("profileContacts", "PrivateRelay", {"c1"}),
    ("profileContacts", "example.org", {"c3"}),
    ("profileContacts", "4155552671", {"c1"}),
    ("profileCountryName", "United States", {"c1"}),
    ("profileCountryName", "United Kingdom", {"c3"}),
    ("profileCountryName", "UNITED STATES", {"c1"}),
    ("profileCountryName", "States", set()),
    ("referrer", "https://twitter.com", {"c1"}),
    ("referrer", "https://twitter", {"c1"}),
    ("referrer", "https://", {"c1", "c2"}),
    ("referrer", "HTTPS://twitter.com", set()),
    ("referrer", "twitter.com", set()),
    ("tag", "61", {"c1"}),
    ("tag", "7", {"c3"}),
    ("uri", C2_URI, {"c2"}),
    ("uri", "https://my.stage.org/register?referral=1", {"c1"}),
    ("uri", "https://my.stage.org/register?referral=", {"c1", "c2"}),
    ("uri", "https://my.stage.org/", {"c1", "c2", "c3"}),
    ("uri", "https://MY.stage.org/", set()),
    ("uri", "my.stage.org", set()),
    ("userAgent", SEED_UA, {"c1"}),
    ("utmCampaign", "sport", {"c1"}),
    ("utmContent", "UEFA", {"c1"}),
    ("utmMedium", "banner", {"c1"}),
    ("utmSource", "google", {"c2"}),
    ("utmTerm", "bitcoin", {"c1"}),
    ("uuid", "9", {"c1"}),
    ("uuid", "10", {"c2"}),
    ("verdict", "bot", {"c3"}),
    ("verdict", "ok", {"c1", "c2"}),
    ("verdictReason", "bot_user_agent", {"c3"}),
    ("bot", "1", {"c3"}),
    ("bot", "0", {"c1", "c2"}),
    ("unique", "1", {"c1", "c2"}),
]


def test_every_filter(ib, three):
    """One case per filter (one app set-up for all of them, to keep the suite quick)."""
    for name, value, expected in FILTER_CASES:
        response = listed(ib, {f"filter[{name}]": value})
        ids = {c["clickId"] for c in response.json()}
        assert ids == {three[k] for k in expected}, (name, value)
        assert response.headers["X-Total-Count"] == str(len(expected)), (name, value)


def test_a_repeated_text_filter_matches_any_of_its_values(ib, three):
    response = listed(ib, [("filter[utmSource]", "google"), ("filter[utmSource]", "youtube.com")])
    assert {c["clickId"] for c in response.json()} == {three["c1"], three["c2"]}
    response = listed(ib, [("filter[uri]", C3_URI[:30]), ("filter[uri]", C2_URI)])
    assert {c["clickId"] for c in response.json()} == {three["c2"], three["c3"]}
    response = listed(ib, [("filter[countryCode]", "us"), ("filter[countryCode]", "Gb")])
    assert {c["clickId"] for c in response.json()} == {three["c1"], three["c3"]}


def test_the_seeds_uri_filter_with_its_utm_filters(ib, three):
    """The seed's curl combines a link's URI with UTM filters; the UTM values sit inside the click's URI, so
    the URI filter is a prefix."""
    params = [
        ("filter[uri]", "https://my.stage.org/register?referral=1"),
        ("filter[utmCampaign]", "sport"),
        *(("filter[utmContent]", value) for value in ("UEFA", "banner", "youtube.com", "bitcoin")),
    ]
    assert [c["clickId"] for c in listed(ib, params).json()] == [three["c1"]]


# Clicks whose URIs and referrers hold every character LIKE or GLOB would read as a wildcard (and a
# decoy beside each that such a wildcard would match).
WILD = {
    "pct": ("https://x.example/a%20b?utm_source=you_tube", "https://r.example/100%_off"),
    "pct-decoy": ("https://x.example/aX20b?utm_source=youXtube", "https://r.example/100XXoff"),
    "glob": ("https://x.example/[a]*?x\\y", "https://r.example/a\\b"),
    "glob-decoy": ("https://x.example/a-b?x", "https://r.example/a\\\\b"),
}
WILD_CASES = [
    ("uri", "https://x.example/a%", {"pct"}),
    ("uri", "https://x.example/a%20b?utm_source=you_", {"pct"}),
    ("uri", "https://x.example/a_", set()),
    ("uri", "https://x.example/[a]", {"glob"}),
    ("uri", "https://x.example/[a]*?", {"glob"}),
    ("uri", "https://x.example/[a]*?x\\y", {"glob"}),
    ("uri", "https://x.example/*", set()),
    ("uri", "https://x.example/?", set()),
    ("uri", "https://x.example/%", set()),
    ("uri", "https://x.example/", {"pct", "pct-decoy", "glob", "glob-decoy"}),
    ("referrer", "https://r.example/100%_", {"pct"}),
    ("referrer", "https://r.example/a\\", {"glob", "glob-decoy"}),
    ("referrer", "https://r.example/a\\b", {"glob"}),
    ("referrer", "https://r.example/a\\\\", {"glob-decoy"}),
]


def test_prefix_filters_take_wildcards_and_the_escape_character_literally(ib):
    ids = {}
    for i, (name, (uri, referrer)) in enumerate(WILD.items()):
        body = {"ip": f"185.155.96.{10 + i}", "uri": uri, "referrer": referrer}
        response = ib.post("/ib/v1/clicks", json=body, headers=AUTH)
        assert response.status_code == 201, response.text
        assert (response.json()["uri"], response.json()["referrer"]) == (uri, referrer)
        ids[response.json()["clickId"]] = name
    for name, value, expected in WILD_CASES:
        found = {ids[c["clickId"]] for c in listed(ib, {f"filter[{name}]": value}).json()}
        assert found == expected, (name, value)


def test_filters_combine(ib, three):
    params = {
        "filter[countryCode]": "US",
        "filter[registration]": "1",
        "filter[profileName]": "smith",
        "filter[clickStartTime]": "2021-01-01T00:00:00+00:00",
        "filter[clickEndTime]": "2021-01-31T23:59:59+00:00",
    }
    assert [c["clickId"] for c in listed(ib, params).json()] == [three["c1"]]


def test_the_seeds_full_curl(ib, three):
    """The seed's query verbatim (its uri filter names a host no click has, so nothing matches)."""
    query = (
        "limit=10&offset=0&sort_by=createTime&sort_order=desc&filter[bannerId]=6006dda272f002519c3eb505"
        "&filter[clickStartTime]=2021-01-01T00:00:00+00:00&filter[clickEndTime]=2021-01-31T23:59:59+00:00"
        "&filter[countryCode]=US&filter[countryName]=United States&filter[ip]=185.155.96.184"
        "&filter[linkId]=6006dda272f002519c3eb505&filter[latitude]=37.751&filter[longitude]=-97.822"
        "&filter[registration]=1&filter[profileName]=Mary Jane Smith"
        "&filter[profileContacts]=a31b1402@privaterelay.appleid.com&filter[profileCountryName]=United States"
        "&filter[referrer]=https://twitter.com&filter[tag]=61&filter[uri]=https://my.my.stage.org/register?referral=1"
        f"&filter[userAgent]={SEED_UA}&filter[utmCampaign]=sport&filter[utmContent]=UEFA"
        "&filter[utmContent]=banner&filter[utmContent]=youtube.com&filter[utmContent]=bitcoin&filter[uuid]=9"
        "&query[link]=1&query[profile]=1&query[metrics]=1&query[contacts]=1"
    )
    response = ib.get("/ib/v1/clicks?" + quote(query, safe="=&[]/:?+"), headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json() == [] and response.headers["X-Total-Count"] == "0"
    # The same query with the click's own banner and without the foreign URI finds it, with every embed.
    own = query.replace("filter[bannerId]=6006dda272f002519c3eb505", f"filter[bannerId]={BANNER}").replace(
        "&filter[uri]=https://my.my.stage.org/register?referral=1", ""
    )
    found = ib.get("/ib/v1/clicks?" + quote(own, safe="=&[]/:?+"), headers=AUTH)
    assert found.status_code == 200, found.text
    [click] = found.json()
    assert click["clickId"] == three["c1"]
    assert {"link", "profile", "metrics", "contacts"} <= set(click)


STORED_TIMES = {"createTime": "create_time", "updateTime": "update_time", "time": "time"}


def _sort_key(click, field, stored):
    if field in STORED_TIMES:  # answers show whole seconds; the order is that of the stored milliseconds
        return stored[click["clickId"]][STORED_TIMES[field]]
    value = click["profile"]["tag"] if field == "tag" and click["profile"] else click.get(field)
    if field in ("latitude", "longitude") and value is not None:
        value = Decimal(value)
    return value


SORT_FIELDS = [
    "clickId", "createTime", "ip", "latitude", "longitude", "referrer", "tag", "time", "uri", "userAgent",
    "utmCampaign", "utmContent", "utmMedium", "utmSource", "utmTerm", "updateTime",
]  # fmt: skip


def test_every_sort_field(ib, three, database_url):
    stored = stored_clicks(database_url)
    for field in SORT_FIELDS:
        for order in ("asc", "desc", "DESC"):
            clicks = listed(ib, {"sort_by": field, "sort_order": order, "query[profile]": 1}).json()
            descending = order.lower() == "desc"
            present = [c for c in clicks if _sort_key(c, field, stored) is not None]
            missing = [c for c in clicks if _sort_key(c, field, stored) is None]
            expected = sorted(
                present, key=lambda c: (_sort_key(c, field, stored), c["clickId"]), reverse=descending
            )
            expected += sorted(missing, key=lambda c: c["clickId"], reverse=descending)  # nulls last
            assert [c["clickId"] for c in clicks] == [c["clickId"] for c in expected], (field, order)


def test_a_time_filter_pages_alike_whichever_way_the_page_is_found(ib, three, monkeypatch):
    """Under a time filter alone, a page of few matches is ranked from the time index (listing.FEW_MATCHES),
    of many by walking the order's index: the same pages either way, in every order, at every offset."""
    since = {"filter[clickStartTime]": "2021-01-01T00:00:00Z"}  # all three
    for field in SORT_FIELDS:
        for order in ("asc", "desc"):
            everything = [c["clickId"] for c in listed(ib, {"sort_by": field, "sort_order": order}).json()]
            for few in (listing.FEW_MATCHES, -1):
                monkeypatch.setattr(listing, "FEW_MATCHES", few)
                params = {**since, "sort_by": field, "sort_order": order, "limit": 2}
                pages = [listed(ib, {**params, "offset": n}) for n in (0, 2, 3)]
                found = [c["clickId"] for page in pages for c in page.json()]
                assert found == everything, (field, order, few)
                assert {page.headers["X-Total-Count"] for page in pages} == {"3"}
            monkeypatch.undo()


def test_default_order_limit_offset_and_total(ib, three):
    everything = listed(ib, {}).json()
    assert [c["clickId"] for c in everything] == [three["c3"], three["c2"], three["c1"]]  # createTime desc
    page = listed(ib, {"limit": 1, "offset": 1})
    assert [c["clickId"] for c in page.json()] == [three["c2"]]
    assert page.headers["X-Total-Count"] == "3"
    assert listed(ib, {"offset": 5}).json() == []


def test_list_embeds_are_batched(ib, three):
    clicks = listed(
        ib,
        {"query[link]": 1, "query[profile]": 1, "query[metrics]": 1, "query[contacts]": 1, "sort_by": "time"},
    ).json()
    by_id = {c["clickId"]: c for c in clicks}
    c1, c2, c3 = (by_id[three[k]] for k in ("c1", "c2", "c3"))
    assert c1["link"]["linkId"] == LINK and c2["link"]["linkId"] == LINK2 and c3["link"] is None
    assert (
        c1["metrics"]["registrations"] == 1 and c2["metrics"]["registrations"] == 0 and c3["metrics"] is None
    )
    assert c3["profile"]["firstName"] == "John" and c3["profile"]["enabled"] is False
    assert c2["profile"] is None and c2["contacts"] is None
    assert [x["key"] for x in c1["contacts"]] == ["email", "phone"]


BAD_PARAMS = [
    {"filter[nope]": "1"},
    {"filter[]": "1"},
    {"sort_by": "nope"},
    {"sort_by": "profileName"},
    {"sort_order": "up"},
    {"limit": "-1"},
    {"limit": "0"},
    {"limit": "1001"},
    {"limit": "ten"},
    {"offset": "-5"},
    {"query[nope]": "1"},
    {"query[link]": "maybe"},
    {"filter[clickStartTime]": "yesterday"},
    {"filter[clickEndTime]": "2021-13-01T00:00:00Z"},
    {"filter[latitude]": "north"},
    {"filter[registration]": "2"},
    {"filter[verdict]": "human"},
    {"filter[profileName]": ""},
    {"filter[uri]": ""},
    {"filter[referrer]": ""},
    {"foo": "bar"},
    [("limit", "1"), ("limit", "2")],
    [("filter[registration]", "1"), ("filter[registration]", "0")],
]


def test_unknown_or_malformed_parameters_are_400(ib, three):
    for params in BAD_PARAMS:
        response = ib.get("/ib/v1/clicks", params=params, headers=AUTH)
        assert response.status_code == 400, params
        body = response.json()
        assert set(body) == {"message", "errors"} and body["errors"], params
    for params in [{"filter[linkId]": LINK}, {"limit": "1"}, {"sort_by": "ip"}]:
        response = ib.get(f"/ib/v1/clicks/{three['c1']}", params=params, headers=AUTH)
        assert response.status_code == 400, params
