"""One source for every figure: a fixed data set is written through the four families' real APIs, then
every figure on every dashboard page (the overview, the four family pages with their funnels) must equal
the admin API's answer behind the panel's own API link, and a count over the raw journey event rows made
here, independently of the rollups and the funnel code (plain Python over the table). Both engines."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clicktrail.core.journeys.log import EVENTS
from clicktrail.dashboard.routes import _number

from ..e2e.journeys import APP, SIGNAGE_KEY, Journeys, document
from ..helpers import ADMIN, configure
from ..loyalty import conftest as loyalty
from ..partners import conftest as partners
from ..signage import support as signage
from ..surveys import support as surveys
from .test_dashboard import sign_in

SUMMER = signage.campaign(
    "summer-quiz",
    statuses=["QUIZ_STARTED", "QUIZ_DONE"],
    coupon_after="QUIZ_DONE",
    coupons={"codes": ["SUMMER-1", "SUMMER-2"]},
    rules=[{"name": "quiz-de", "target": "https://brand.example/quiz-de", "language": ["de"]}],
)
PARTNER_RULES = [
    {"name": "poster", "target": "https://brand.example/poster", "query": {"utm_source": "poster"}}
]


BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
# surveys: clicks through three placements (and none), with and without UTM fields
SURVEY_CLICKS = [
    {"utm_source": "newsletter", "utm_campaign": "dec", "link": "home-banner"},
    {"utm_source": "newsletter", "link": "tab"},
    {},
]


def partner_clicks(client) -> None:
    """Partners: clicks on two links (one registers) and one on a URI no link matches (an orphan)."""
    token = client.post(
        "/ib/v1/tokens", json={"grant_type": "client_credentials"}, auth=("ib-acme", partners.SECRET)
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    for n, uri in enumerate(
        [
            "https://my.stage.org/register?referral=1&utm_source=google",
            "https://my.stage.org/register?referral=2&utm_source=google",
            "https://my.stage.org/register?referral=2",
            "https://my.stage.org/register?referral=99&utm_source=google",  # no link: an orphan
        ]
    ):
        created = partners.create(client, auth, uri=uri, ip="81.2.69.142" if n else "185.155.96.184")
        if n == 1:
            assert (
                client.put(
                    f"/ib/v1/clicks/{created['clickId']}", json=partners.SEED_PROFILE, headers=auth
                ).status_code
                == 200
            )
    for query in ("?utm_source=poster", "?utm_source=poster&n=2", ""):  # the link's tracked redirect
        followed = client.get(f"/partners/go/{APP}/{partners.LINK}{query}", follow_redirects=False)
        assert followed.status_code == 302, followed.text


def seed(client, receiver) -> None:
    """Whole journeys of each family (the e2e walk), then journeys that stop early or branch."""
    doc = document(receiver)
    doc["apps"][0]["signage"]["campaigns"].append(SUMMER)
    doc["apps"][0]["signage"]["fallback_url"] = "https://brand.example/gone"
    doc["apps"][0]["partners"]["links"][0]["rules"] = PARTNER_RULES
    full = {**surveys.SURVEYS[0], "id": "srv-full", "quota": {"open_clicks": 1}}  # one open click at a time
    doc["apps"][0]["surveys"]["list"].append(full)
    configure(client, doc)
    Journeys(client, receiver).all()
    for n, attribution in enumerate(SURVEY_CLICKS):  # surveys: one more qualified, two clicks only
        wall = surveys.Wall(client, user=f"user-{n}@example.com")
        click = wall.click("srv-auto", **attribution)
        if n == 0:
            wall.answer(click, "1980-01-01")
            wall.answer(click, "1")
            wall.answer(click, "12345")
        if n == 1:  # the same user again within the window: a click, a duplicate, not unique
            wall.click("srv-auto", **attribution)
    # a bot's click (a click, not unique): its verdict is ours, the click opens as any other
    crawler = urlsplit(surveys.Wall(client, user="crawler@example.com").click_url("srv-auto", link="tab"))
    assert client.post(f"{crawler.path}?{crawler.query}", headers={"User-Agent": BOT}).status_code == 200
    # a quota exit: the second user's click URL was listed before the first took the only open slot
    late = surveys.Wall(client, user="late@example.com")
    stale = urlsplit(late.click_url("srv-full", utm_source="ads", link="tab"))
    surveys.Wall(client, user="early@example.com").click("srv-full", utm_source="newsletter")
    ended = client.post(f"{stale.path}?{stale.query}").json()["data"]["id"]
    assert late.state(ended)["redirect"]["type"] == "termination"
    partner_clicks(client)
    issued = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "pos-1", "client_secret": loyalty.SECRET},
    ).json()["access_token"]
    pos = {"Authorization": f"Bearer {issued}"}
    for n, response in enumerate(["declined", None]):
        cid = loyalty.start(client, f"member-{n}@example.com", kind="EMAIL", headers=pos)["correlationId"]
        prompt = loyalty.trial(client, cid, headers=pos).json().get("promptMessageID")
        if response and prompt:
            assert loyalty.answer(client, cid, prompt, response, headers=pos).status_code == 200
    key = {"API-KEY": SIGNAGE_KEY}
    walks = [("spring-form", ["FORM_SUBMITTED"]), ("spring-form", ["FORM_APPROVED"]), ("spring-form", [])]
    walks += [("summer-quiz", ["QUIZ_STARTED"]), ("summer-quiz", ["QUIZ_STARTED", "QUIZ_DONE"])]
    for n, (campaign, statuses) in enumerate(walks):
        language = {"Accept-Language": "de-DE"} if n == len(walks) - 1 else {}  # its redirect rule
        session = signage.scan(client, APP, campaign, headers=language)
        for status in statuses:
            assert signage.set_status(client, session, status, key).status_code == 200
        if statuses and statuses[-1] in ("FORM_APPROVED", "QUIZ_DONE"):
            assert signage.engage(client, session, key).status_code == 200
    # a bot's scan: it opens a session (counted there) but is a bot scan, not a scan
    signage.scan(client, APP, "spring-form", headers={"User-Agent": BOT})
    for gone in ("autumn-form", "autumn-form"):  # a campaign the app does not have: orphan scans
        orphan = client.get(f"/smart-engage/scan/{APP}/{gone}", follow_redirects=False)
        assert orphan.headers["location"] == "https://brand.example/gone"


# --- the independent count ------------------------------------------------------------------------------


def raw_events(client) -> list[dict[str, Any]]:
    """The app's journey event rows, oldest first, as stored."""
    with Session(client.app.state.runtime.engine) as session:
        rows = session.execute(
            select(EVENTS).where(EVENTS.c.app_id == APP).order_by(EVENTS.c.created_at, EVENTS.c.id)
        ).mappings()
        return [
            {
                **row,
                "payload": json.loads(row["payload"]) if isinstance(row["payload"], str) else row["payload"],
            }
            for row in rows
        ]


def _answered(response: str) -> Any:
    def count(e: dict[str, Any]) -> int:
        p = e["payload"]
        if e["type"] != "prompt.answered" or p.get("response") == p.get("previous"):
            return 0
        return int(p.get("response") == response) - int(p.get("previous") == response)

    return count


def _is(kind: str, **fields: Any) -> Any:
    return lambda e: int(e["type"] == kind and all(e["payload"].get(k) == v for k, v in fields.items()))


# measure → what one event adds to it
COUNTS: dict[str, dict[str, Any]] = {
    "partners": {
        "clicks": _is("click.created"),
        "unique_clicks": lambda e: int(e["type"] == "click.created" and bool(e["payload"].get("unique"))),
        "bot_clicks": lambda e: int(e["type"] == "click.created" and bool(e["payload"].get("bot"))),
        "orphan_clicks": _is("click.created", verdict="orphan"),
        "registrations": _is("click.registered"),
    },
    "surveys": {
        "clicks": _is("click.created"),
        "unique_clicks": lambda e: int(e["type"] == "click.created" and bool(e["payload"].get("unique"))),
        "bot_clicks": lambda e: int(e["type"] == "click.created" and bool(e["payload"].get("bot"))),
        "qualified": _is("click.qualified"),
        "screened_out": _is("click.screened_out"),
        "left": _is("click.left"),
        "quota_exits": _is("click.terminated", reason="quota_full"),
        "completed": _is("survey.completed"),
        "start_bonus": _is("start_bonus.completed"),
    },
    "loyalty": {
        "sessions": _is("session.started"),
        "trials": _is("trial.recorded"),
        "prompts_shown": _is("prompt.shown"),
        "accepted": _answered("accepted"),
        "declined": _answered("declined"),
        "deferred": _answered("deferred"),
        "bonus_points": lambda e: (
            int(e["payload"].get("bonusPoints") or 0)
            if e["type"] == "transaction.finalized" and not e["payload"].get("anonymous")
            else 0
        ),
    },
    "signage": {
        "scans": lambda e: int(e["type"] == "scan.recorded" and not e["payload"].get("bot")),
        "unique_scans": lambda e: int(e["type"] == "scan.recorded" and bool(e["payload"].get("unique"))),
        "bot_scans": lambda e: int(e["type"] == "scan.recorded" and bool(e["payload"].get("bot"))),
        "orphan_scans": _is("scan.orphaned"),
        "sessions": lambda e: int(e["type"] in ("scan.recorded", "session.created")),
        "coupons_issued": _is("coupon.issued"),
    },
}
RATES = {
    "conversion_rate": ("registrations", "unique_clicks"),
    "qualification_rate": ("qualified", "clicks"),
    "acceptance_rate": ("accepted", "prompts_shown"),
    "completion_rate": ("coupons_issued", "sessions"),
}
# grouping → the payload field it reads
FIELDS = {
    "country": ("country_code", "country"),
    "link": ("link_id", "link"),  # partners' link id, surveys' placement
    "utm_source": ("utm_source",),
    "utm_medium": ("utm_medium",),
    "utm_campaign": ("utm_campaign",),
    "referrer_host": ("referrer_host",),
    "device": ("device",),
    "verdict": ("verdict",),
    "survey": ("survey_id",),
    "leave_reason": ("reason",),
    "offer": ("offerId",),
    "channel": ("channel",),
    "campaign": ("campaign_id",),
    "rule": ("rule",),
}


SKIP = object()  # an event a grouping does not count at all
ONLY = {  # (family, grouping) → the only events counted under it
    ("signage", "country"): ("scan.recorded", "scan.orphaned"),
    ("signage", "rule"): ("scan.recorded",),
    ("loyalty", "offer"): ("prompt.shown", "prompt.answered"),
    ("surveys", "leave_reason"): ("click.left",),
}


# (family, grouping) read from the journey's first event, whatever the event itself carries: a survey
# click's outcomes count under the UTM fields and link its click URL had
BY_JOURNEY = {("surveys", name) for name in ("utm_source", "utm_medium", "utm_campaign", "link")}


def key_of(family: str, grouping: str, event: dict[str, Any], first: dict[str, dict[str, Any]]) -> Any:
    """The value ``event`` counts under; ``first``: each journey's first event."""
    only = ONLY.get((family, grouping))
    if only is not None and event["type"] not in only:
        return SKIP
    names = ("country_code",) if family == "partners" and grouping == "country" else FIELDS[grouping]
    payload = event["payload"]
    if (family, grouping) in BY_JOURNEY:
        payload = first.get(event["journey_id"], {}).get("payload", {})
    return next((payload.get(name) for name in names if name in payload), None)


def measure(family: str, name: str, events: list[dict[str, Any]]) -> int | float | None:
    if name in RATES:
        top, bottom = (measure(family, part, events) for part in RATES[name])
        return round(top / bottom, 4) if bottom else None  # type: ignore[operator]
    return sum(COUNTS[family][name](e) for e in events)


def in_range(events: list[dict[str, Any]], family: str, query: dict[str, str]) -> list[dict[str, Any]]:
    """The family's events in the range widened to whole UTC hours, as metrics read it (docs/metrics.md)."""
    begin, stop = (datetime.fromisoformat(query[k]).astimezone(UTC) for k in ("from", "to"))
    begin = begin.replace(minute=0, second=0, microsecond=0)
    if stop != stop.replace(minute=0, second=0, microsecond=0):
        stop = stop.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return [e for e in events if e["family"] == family and begin <= e["created_at"] < stop]


def firsts(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each journey's first event."""
    first: dict[str, dict[str, Any]] = {}
    for e in events:
        first.setdefault(e["journey_id"], e)
    return first


def passes(family: str, event: dict[str, Any], filters: dict[str, str], first: dict[str, Any]) -> bool:
    """Whether an event is counted under every filter's value ("" for none)."""
    for grouping, wanted in filters.items():
        key = key_of(family, grouping, event, first)
        if key is SKIP or str(key if key is not None else "") != wanted:
            return False
    return True


def filters_of(query: dict[str, str]) -> dict[str, str]:
    return {k[len("filter[") : -1]: v for k, v in query.items() if k.startswith("filter[")}


def filtered(
    events: list[dict[str, Any]], family: str, query: dict[str, str], first: dict[str, Any]
) -> list[dict[str, Any]]:
    return [e for e in events if passes(family, e, filters_of(query), first)]


STEPS = {
    "click": lambda e: e["type"] == "click.created",
    "unique": lambda e: e["type"] == "click.created" and bool(e["payload"].get("unique")),
    "registered": lambda e: e["type"] == "click.registered",
    "qualified": lambda e: e["type"] == "click.qualified",
    "completed": lambda e: e["type"] == "survey.completed",
    "prompt": lambda e: e["type"] == "prompt.shown",
    "accepted": lambda e: e["type"] == "prompt.answered" and e["payload"].get("response") == "accepted",
    "scan": lambda e: e["type"] == "scan.recorded" and not e["payload"].get("bot"),  # a human scan
    "coupon": lambda e: e["type"] == "coupon.issued",
}


def step_matches(name: str, event: dict[str, Any]) -> bool:
    if name in STEPS:
        return STEPS[name](event)
    p = event["payload"]
    return event["type"] == "status.changed" and (p.get("to") == name or name in (p.get("skipped") or []))


def journeys_reaching(events: list[dict[str, Any]], query: dict[str, str]) -> list[int]:
    """Per step, the journeys that did the first step in the range and each next one in order (an event
    may be several steps at once) within 7 days of the first."""
    steps = query["steps"].split(",")
    begin, stop = (datetime.fromisoformat(query[k]) for k in ("from", "to"))
    mine = [e for e in events if e["family"] == query["family"]]
    if "campaign" in query:
        mine = [e for e in mine if e["payload"].get("campaign_id") == query["campaign"]]
    by_journey: dict[str, list[dict[str, Any]]] = {}
    for e in mine:
        by_journey.setdefault(e["journey_id"], []).append(e)
    reached = [0] * len(steps)
    for walk in by_journey.values():
        starts = [
            i
            for i, e in enumerate(walk)
            if step_matches(steps[0], e)
            and begin <= e["created_at"] < stop
            and passes(query["family"], e, filters_of(query), firsts(events))
        ]
        if not starts:
            continue
        at, first = starts[0], walk[starts[0]]["created_at"]
        done = 1
        for name in steps[1:]:
            found = next(
                (
                    i
                    for i in range(at, len(walk))
                    if step_matches(name, walk[i]) and walk[i]["created_at"] <= first + timedelta(days=7)
                ),
                None,
            )
            if found is None:
                break
            at, done = found, done + 1
        for index in range(done):
            reached[index] += 1
    return reached


# --- reading the pages ----------------------------------------------------------------------------------


def value(text: str) -> Any:
    if text in ("", "None"):
        return None
    number = float(text)
    return int(number) if number.is_integer() and "." not in text else number


def api(client, link: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The answer of a panel's API link, and the link's parameters."""
    url = urlsplit(html.unescape(link))
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    answer = client.get(url.path, params=query, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return answer.json(), query


CELL = re.compile(r'data-measure="(\w+)" data-value="([^"]*)">([^<]*)<')


def totals_of(text: str) -> str:
    """The page's totals cards (up to the paragraph after them)."""
    start = text.index('id="totals"')
    return text[start : text.index("</div>\n<p", start)]


def check(shown: str, raw_value: str, name: str, from_api: Any, counted: Any) -> None:
    assert value(raw_value) == from_api == counted, (name, raw_value, from_api, counted)
    assert html.unescape(shown) == _number(from_api, name), (name, shown)


@pytest.fixture
def seeded(client, receiver):
    seed(client, receiver)
    sign_in(client)
    return client, raw_events(client)


def check_family_page(
    client, events: list[dict[str, Any]], family: str, url_query: str, checked: Counter[str]
) -> None:
    """Every figure of a family page (its URL's ``url_query``: range, filters) against its API answer and the
    raw rows under the same filters, counted in ``checked`` (per family, per figure, cards and rows)."""
    first = firsts(events)
    page = client.get(f"/dashboard/apps/{APP}/families/{family}{url_query}")
    assert page.status_code == 200, page.text
    text = page.text
    day_link = re.search(r'<div class="panel" data-api="([^"]+group_by=day[^"]*)"', text)
    assert day_link is not None
    answer, query = api(client, day_link[1])
    mine = filtered(in_range(events, family, query), family, query, first)
    cards = totals_of(text)
    for name, raw, shown in CELL.findall(cards):
        check(shown, raw, name, answer["totals"][name], measure(family, name, mine))
        checked[family] += 1
        checked[f"{family}:{name}={raw}"] += 1
        checked[f"{family}:cards"] += 1
    main = answer["measures"][0]
    points = re.findall(r"<title>([\d-]+): ([\d,.]+)</title>", text)
    assert [(day, float(n.replace(",", ""))) for day, n in points] == [
        (row["key"], float(row[main])) for row in answer["rows"]
    ]
    per_day = Counter(
        e["created_at"].date().isoformat() for e in mine for _ in range(COUNTS[family][main](e))
    )
    assert {day: int(float(n.replace(",", ""))) for day, n in points if float(n.replace(",", ""))} == dict(
        per_day
    )
    checked[family] += len(points)

    for link, grouping, table in re.findall(
        r'<div class="panel" data-api="([^"]+)"><table data-grouping="(\w+)">(.*?)</table>', text, re.S
    ):
        answer, query = api(client, link)
        by_key = {str(row["key"]) if row["key"] is not None else "": row for row in answer["rows"]}
        mine = filtered(in_range(events, family, query), family, query, first)
        cell = r'<td class="key" data-key="([^"]*)">.*?</td>\s*(.*?)</tr>'
        for key, cells in re.findall(cell, table, re.S):
            key = html.unescape(key)
            keys = ((e, key_of(family, grouping, e, first)) for e in mine)
            own = [e for e, k in keys if k is not SKIP and str(k if k is not None else "") == key]
            for name, raw, shown in CELL.findall(cells):
                check(shown, raw, name, by_key[key][name], measure(family, name, own))
                checked[family] += 1
                checked[f"{family}:{grouping}={key}"] += 1
                checked[f"{family}:rows"] += 1

    funnels = re.findall(
        r'<div class="panel" data-api="([^"]+funnels[^"]+)"><table class="funnel"[^>]*>(.*?)</table>',
        text,
        re.S,
    )
    assert funnels, family
    for link, table in funnels:
        answer, query = api(client, link)
        shown = [(step, int(n)) for step, n in re.findall(r'data-step="([^"]+)" data-value="(\d+)"', table)]
        from_api = [(s["step"], s["count"]) for s in answer["steps"]]
        assert (
            shown
            == from_api
            == list(zip(query["steps"].split(","), journeys_reaching(events, query), strict=True))
        )
        assert all(count <= shown[0][1] for _, count in shown)
        checked[family] += len(shown)


def test_every_figure_is_the_apis_and_the_raw_rows(seeded):
    client, events = seeded
    checked = Counter[str]()
    home = client.get("/dashboard")
    assert home.status_code == 200
    found = re.findall(r'<a href="([^"]+)">(partners|surveys|loyalty|signage)</a>', home.text)
    links = {family: link for link, family in found}
    assert len(links) == 4
    for family, link in links.items():
        answer, query = api(client, link)
        card = re.search(rf'data-family="{family}">.*?' + CELL.pattern, home.text, re.S)
        assert card is not None
        name = card[1]
        check(
            card[3],
            card[2],
            name,
            answer["totals"][name],
            measure(family, name, in_range(events, family, query)),
        )
        checked["home"] += 1

    for family in ("partners", "surveys", "loyalty", "signage"):
        check_family_page(client, events, family, "", checked)
    assert (
        all(checked[f] >= 8 for f in ("partners", "surveys", "loyalty", "signage")) and checked["home"] == 4
    )
    # the surveys' attribution panels and quota exits were among them, with their values and "none"
    for shown in ("utm_source=newsletter", "utm_source=ads", "utm_source=", "utm_campaign=dec", "link=tab"):
        assert checked[f"surveys:{shown}"], shown
    assert checked["surveys:link=home-banner"] and checked["surveys:quota_exits=1"]
    # the "by rule" tables: the rules followed and none (the form, the link's uri, the click API's clicks)
    assert checked["partners:rule=poster"] and checked["partners:rule="]
    assert checked["signage:rule=quiz-de"] and checked["signage:rule="]
    # and the clicks' verdicts: unique and bot clicks beside all clicks, a duplicate and a bot among them
    cards = {
        key.split(":")[1].split("=")[0]: float(key.split("=")[1])
        for key in checked
        if key.split("=")[0] in ("surveys:clicks", "surveys:unique_clicks", "surveys:bot_clicks")
    }
    assert cards["bot_clicks"] == 1 and 0 < cards["unique_clicks"] < cards["clicks"] - 1, cards
    # and the scans' verdicts: unique and bot scans beside the (human) scans, a bot among them
    scans = {
        key.split(":")[1].split("=")[0]: float(key.split("=")[1])
        for key in checked
        if key.split("=")[0] in ("signage:scans", "signage:unique_scans", "signage:bot_scans")
    }
    assert scans["bot_scans"] == 1 and 0 < scans["unique_scans"] <= scans["scans"], scans
    # every page's total cards and top tables were read (a markup change must not skip them silently)
    for family in ("partners", "surveys", "loyalty", "signage"):
        assert checked[f"{family}:cards"] >= 3 and checked[f"{family}:rows"] >= 6, family


def row_links(text: str) -> dict[str, str]:
    """Per grouping table, the filter link of its first row."""
    tables = re.findall(r'<table data-grouping="(\w+)">(.*?)</table>', text, re.S)
    links = {}
    for grouping, table in tables:
        found = re.search(r'<td class="key"[^>]*><a href="([^"]+)"', table)
        if found:
            links[grouping] = html.unescape(found[1])
    return links


@pytest.mark.parametrize(
    ("family", "first", "then"),
    [
        ("partners", "link", "utm_source"),
        ("surveys", "survey", "country"),
        ("loyalty", "channel", "offer"),
        ("signage", "campaign", "country"),
    ],
)
def test_a_view_filtered_by_two_rows_is_the_apis_and_the_raw_rows(seeded, family, first, then):
    client, events = seeded
    page = client.get(f"/dashboard/apps/{APP}/families/{family}")
    one = row_links(page.text)[first]
    two = row_links(client.get(f"/dashboard/apps/{APP}/families/{family}{one}").text)[then]
    assert f"filter%5B{first}%5D=" in two and f"filter%5B{then}%5D=" in two
    text = client.get(f"/dashboard/apps/{APP}/families/{family}{two}").text
    assert text.count('class="chip"') == 2
    table = re.search(rf'<table data-grouping="{first}">(.*?)</table>', page.text, re.S)
    assert table is not None
    shown = re.search(r'<td class="key"[^>]*><a [^>]*>([^<]*)</a>', table[1])
    assert shown and f"{first.replace('_', ' ')}: {shown[1]} " in text  # the chip names it as its row does
    checked = Counter[str]()
    check_family_page(client, events, family, two, checked)
    assert checked[family] >= 8
    funnel_links = re.findall(r'data-api="([^"]+funnels[^"]+)"', text)
    assert funnel_links and all(f"filter%5B{then}%5D=" in link for link in funnel_links)
    cards = totals_of(text)
    assert any(value(n) for _, n, _ in CELL.findall(cards)), "a view counting nothing proves little"


def test_the_pages_name_what_they_show(seeded):
    client, _ = seeded
    partners_page = client.get(f"/dashboard/apps/{APP}/families/partners").text
    links = partners_page[partners_page.index('data-grouping="link"') :]
    assert ">Sign-up</a></td>" in links[: links.index("</table>")]  # by its name, not its id
    surveys_page = client.get(f"/dashboard/apps/{APP}/families/surveys").text
    by_survey = surveys_page[surveys_page.index('data-grouping="survey"') :]
    assert '<th class="num">completed</th>' in by_survey[: by_survey.index("</table>")]
    signage_page = client.get(f"/dashboard/apps/{APP}/families/signage").text
    assert 'data-campaign="spring-form"' in signage_page and 'data-campaign="summer-quiz"' in signage_page
    summer = signage_page[signage_page.index('data-campaign="summer-quiz"') :]
    assert 'data-step="QUIZ_STARTED"' in summer and "FORM_SUBMITTED" not in summer[: summer.index("</table>")]
    assert ">partial</text>" in signage_page  # today is under way: drawn as such, not as a cliff


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (0.0003, "0.03 %"),
        (0.0025, "0.25 %"),
        (0.5, "50.0 %"),
        (0.6667, "66.7 %"),
        (0.0, "0.0 %"),
        (None, "-"),
    ],
)
def test_small_rates_keep_their_digits(rate, shown):
    assert _number(rate, "conversion_rate") == shown


def funnel_tables(text: str) -> list[tuple[str, list[tuple[str, int]]]]:
    found = re.findall(
        r'<div class="panel" data-api="([^"]+funnels[^"]+)"><table class="funnel"[^>]*>(.*?)</table>',
        text,
        re.S,
    )
    return [
        (link, [(s, int(n)) for s, n in re.findall(r'data-step="([^"]+)" data-value="(\d+)"', t)])
        for link, t in found
    ]


def test_funnel_options_go_to_the_api_and_a_refusal_shows_in_the_panel(seeded):
    client, _ = seeded
    page = client.get(
        f"/dashboard/apps/{APP}/families/signage",
        params={"window": "P1D", "step_windows": "PT1H,,,", "exclude": "FORM_SUBMITTED@2-4"},
    )
    assert page.status_code == 400  # summer-quiz has 4 steps: three step windows are one too many there
    [(link, shown)] = funnel_tables(page.text)  # spring-form: scan, 3 statuses, coupon
    answer, query = api(client, link)
    assert (query["window"], query["step_windows"], query["exclude"]) == (
        "P1D",
        "PT1H,,,",
        "FORM_SUBMITTED@2-4",
    )
    assert shown == [(s["step"], s["count"]) for s in answer["steps"]]
    assert 'class="error">step_windows: give one duration' in page.text
    excluded = client.get(
        f"/dashboard/apps/{APP}/families/signage", params={"exclude": "FORM_REVIEWING@2-4", "window": "P2D"}
    )
    assert excluded.status_code == 200 and 'value="FORM_REVIEWING@2-4"' in excluded.text
    for link, shown in funnel_tables(excluded.text):  # both campaigns'
        answer, query = api(client, link)
        assert query["exclude"] == "FORM_REVIEWING@2-4" and query["window"] == "P2D"
        assert shown == [(s["step"], s["count"]) for s in answer["steps"]]


def test_every_csv_link_is_the_apis_csv_of_the_same_call(seeded):
    client, _ = seeded
    text = client.get(f"/dashboard/apps/{APP}/families/signage").text
    panel = (
        r'<div class="panel" data-api="([^"]+)">(?:(?!class="panel").)*?<a href="([^"]+\.csv\?[^"]+)">CSV</a>'
    )
    panels = re.findall(panel, text, re.S)
    assert len(panels) == 6  # per day, two funnels (one per campaign), by campaign, country and rule
    for api_link, csv_link in panels:
        url = urlsplit(html.unescape(api_link))
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        from_api = client.get(url.path, params={**params, "format": "csv"}, headers=ADMIN)
        download = client.get(html.unescape(csv_link))
        assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
        assert download.headers["content-disposition"].startswith("attachment;")
        assert download.text == from_api.text and download.text.count("\r\n") >= 2
    client.cookies.clear()
    assert client.get(html.unescape(panels[0][1]), follow_redirects=False).status_code == 303
