"""The partners seed replayed literally: its five curls (``seed_clicks.txt`` is the vendor page as given)
are sent as curl would send them, and every answer is held against the page's example Click object field
by field: its names and order, the type and format of each value, and the value itself wherever it
follows from the request.

Two things are changed in a curl, and only these: ``https://your.base-url.here`` becomes ``/ib/v1`` with
``<token>`` a token of ``POST /ib/v1/tokens``, and the example click id ``60ba407d15951453e60e49f8`` becomes
the id of a click recorded here. The list curl's spaces are sent as ``%20`` (curl itself refuses a URL with
spaces; Postman, whose export these curls are, encodes them); its ``+`` stay ``+``, as curl sends them."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..helpers import configure
from .conftest import SECRET

PAGE = (Path(__file__).parent / "seed_clicks.txt").read_text()
EXAMPLE_ID = "60ba407d15951453e60e49f8"
HEX_ID = re.compile(r"^[0-9a-f]{24}$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")  # the page's own: no fractions
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
IDS = ("clickId", "profileId", "linkId", "bannerId")
TIMES = ("time", "createTime", "updateTime")
GENERATED = ("clickId", "profileId", "createTime", "updateTime")  # made here: their format is checked


def example_click() -> dict[str, Any]:
    start = PAGE.index("THE CLICK OBJECT\n{") + len("THE CLICK OBJECT\n")
    return json.loads(PAGE[start : PAGE.index("\n}", start) + 2])


EXAMPLE = example_click()


@dataclass
class Curl:
    method: str
    url: str
    headers: dict[str, str]
    data: str | None


def curls() -> dict[str, Curl]:
    """The page's curls by method (its two GETs as ``LIST`` and ``GET``), parsed as a shell would."""
    found: dict[str, Curl] = {}
    for text in re.findall(r"^curl .*?(?=\n\n|\Z)", PAGE, re.S | re.M):
        words = iter(shlex.split(text.replace("\\\n", " ")))
        method, url, headers, data = "GET", "", {}, None
        for word in words:
            if word == "--request":
                method = next(words)
            elif word == "--header":
                name, value = next(words).split(": ", 1)
                headers[name] = value
            elif word == "--data-raw":
                data = next(words)
            elif word not in ("curl", "--location", "-g"):
                url = word
        key = "LIST" if method == "GET" and url.split("?")[0].endswith("/clicks") else method
        found[key] = Curl(method, url, headers, data)
    return found


CURLS = curls()


def replay(client, curl: Curl, token: str, click_id: str | None = None):
    url = curl.url.replace("https://your.base-url.here", "/ib/v1").replace(" ", "%20")
    if click_id is not None:
        url = url.replace(EXAMPLE_ID, click_id)
    headers = {name: value.replace("<token>", token) for name, value in curl.headers.items()}
    if curl.data is not None and "Content-Type" not in headers:
        headers["Content-Type"] = "application/x-www-form-urlencoded"  # what curl --data-raw says
    return client.request(curl.method, url, headers=headers, content=curl.data)


def conforms(answer: dict[str, Any], *, equal: dict[str, Any]) -> None:
    """The answer is a Click as the page's example shows one: the same names in the same order (plus the
    field table's ``cdnFileUrl``, the same URL as ``bannerCdnFileUrl``), each value of the example's type
    and format or null where the value is absent, and the values in ``equal``."""
    click = {k: v for k, v in answer.items() if k not in ("link", "profile", "metrics", "contacts")}
    assert [k for k in click if k != "cdnFileUrl"] == list(EXAMPLE)
    assert click["cdnFileUrl"] == click["bannerCdnFileUrl"]
    for name, value in click.items():
        if name in IDS:
            assert value is None or HEX_ID.match(value), (name, value)
        elif name in TIMES:
            assert isinstance(value, str) and TIME.match(value), (name, value)
        elif name in ("latitude", "longitude"):
            assert value is None or (isinstance(value, str) and DECIMAL.match(value)), (name, value)
        else:
            assert value is None or isinstance(value, str), (name, value)
    assert click["updateTime"] >= click["createTime"]
    for name, value in equal.items():
        assert click[name] == value, name


def example_except(*names: str) -> dict[str, Any]:
    return {k: v for k, v in EXAMPLE.items() if k not in names}


@pytest.fixture
def seeded(ib):
    """The app set up as the page's example implies: its link (the example click's URI without its UTM
    parameters) and its banner, both with the example's ids (one id throughout, as in the example)."""
    link = EXAMPLE["linkId"]
    configure(
        ib,
        {
            "apps": [
                {
                    "id": "acme",
                    "name": "Acme Broker",
                    "credentials": [
                        {"name": "ib", "client_id": "ib-acme", "secret": SECRET, "scopes": ["partners"]}
                    ],
                    "partners": {
                        "links": [
                            {
                                "id": link,
                                "uri": EXAMPLE["uri"].split("&")[0],
                                "banners": [
                                    {
                                        "id": EXAMPLE["bannerId"],
                                        "name": EXAMPLE["bannerName"],
                                        "cdn_file_url": EXAMPLE["bannerCdnFileUrl"],
                                    }
                                ],
                            }
                        ]
                    },
                }
            ]
        },
    )
    token = ib.post("/ib/v1/tokens", json={"grant_type": "client_credentials"}, auth=("ib-acme", SECRET))
    assert token.status_code == 200, token.text
    return ib, token.json()["access_token"]


def test_the_pages_curls_in_turn(seeded):
    ib, token = seeded
    assert set(CURLS) == {"LIST", "GET", "POST", "PUT", "DELETE"}

    # POST: the page's body, labelled form data as curl --data-raw does
    sent = json.loads(CURLS["POST"].data)
    response = replay(ib, CURLS["POST"], token)
    assert response.status_code == 201, response.text
    created = response.json()
    echoed = ("time", "referrer", "ip", "uri", "userAgent", "uuid")
    conforms(
        created,
        equal={
            **{k: sent[k] for k in echoed},
            # the body's URI has no UTM parameters and names no banner
            **dict.fromkeys(["utmCampaign", "utmContent", "utmMedium", "utmSource", "utmTerm"], None),
            **dict.fromkeys(["bannerId", "bannerName", "bannerCdnFileUrl"], None),
            "profileId": None,  # a page view until a registration
            # the link of the URI, and where the address is (the example's place for it)
            **{k: EXAMPLE[k] for k in ("linkId", "latitude", "longitude", "countryCode", "countryName")},
        },
    )
    assert {k: sent[k] for k in echoed if k != "uri"} == {k: EXAMPLE[k] for k in echoed if k != "uri"}
    assert created["createTime"] == created["updateTime"]
    click = created["clickId"]

    # PUT: the page's profile, on the click just recorded
    response = replay(ib, CURLS["PUT"], token, click)
    assert response.status_code == 200, response.text
    registered = response.json()
    assert HEX_ID.match(registered["profileId"])
    conforms(registered, equal={k: v for k, v in created.items() if k not in ("profileId", "updateTime")})

    # GET with every embed: the click as PUT answered it, the profile and contacts as PUT sent them
    response = replay(ib, CURLS["GET"], token, click)
    assert response.status_code == 200, response.text
    got = response.json()
    conforms(got, equal=registered)
    profile = json.loads(CURLS["PUT"].data)["profile"]
    assert got["contacts"] == profile["contacts"]
    assert {k: got["profile"][k] for k in ("firstName", "lastName", "middleName", "enabled", "uuid")} == {
        k: profile[k] for k in ("firstName", "lastName", "middleName", "enabled", "uuid")
    }
    assert got["profile"]["profileId"] == got["profileId"]
    assert got["link"]["linkId"] == EXAMPLE["linkId"] and got["metrics"]["registrations"] == 1

    # DELETE: no body; the click is gone
    response = replay(ib, CURLS["DELETE"], token, click)
    assert (response.status_code, response.content) == (204, b"")
    assert replay(ib, CURLS["GET"], token, click).status_code == 404


def test_the_example_click_is_answered_as_the_page_shows_it(seeded):
    """A click recorded from the example object's own request fields reads back as the example, but for
    what is made here and the banner, which the example's URI does not name."""
    ib, token = seeded
    body = {k: EXAMPLE[k] for k in ("ip", "uri", "referrer", "time", "userAgent", "uuid")}
    response = ib.post("/ib/v1/clicks", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    conforms(
        response.json(),
        equal={
            **example_except(*GENERATED, "bannerId", "bannerName", "bannerCdnFileUrl"),
            "profileId": None,
            "bannerId": None,
        },
    )


def test_the_pages_list_curl_finds_the_click_it_describes(seeded):
    """Every filter of the list curl at once, its uri filter (a prefix) with the UTM filters whose values
    sit inside the uri. The curl names the host ``my.my.stage.org``, so the click it finds is recorded
    there, on the example's banner (which gives it the example's link); its uuid, profile name, contact,
    country and tag are the filters' values. The page's POST and the example click are listed too, and
    are not found."""
    ib, token = seeded
    bearer = {"Authorization": f"Bearer {token}"}
    query = dict(re.findall(r"filter\[(\w+)\]=([^&]*)", CURLS["LIST"].url))
    assert query["uri"] == "https://my.my.stage.org/register?referral=1"
    utm = EXAMPLE["uri"].split("&", 1)[1]
    target = {k: EXAMPLE[k] for k in ("ip", "referrer", "time", "userAgent")}
    target |= {"uri": f"{query['uri']}&{utm}&banner={EXAMPLE['bannerId']}", "uuid": query["uuid"]}
    response = ib.post("/ib/v1/clicks", json=target, headers=bearer)
    assert response.status_code == 201, response.text
    click = response.json()["clickId"]
    first, middle, last = query["profileName"].split()
    profile = {
        "firstName": first,
        "middleName": middle,
        "lastName": last,
        "enabled": True,
        "tag": query["tag"],
        "contacts": [{"key": "email", "value": query["profileContacts"]}],
    }
    assert ib.put(f"/ib/v1/clicks/{click}", json={"profile": profile}, headers=bearer).status_code == 200
    # the decoys: the page's own POST and PUT, and the example click
    decoy = replay(ib, CURLS["POST"], token).json()["clickId"]
    assert replay(ib, CURLS["PUT"], token, decoy).status_code == 200
    example = {k: EXAMPLE[k] for k in ("ip", "uri", "referrer", "time", "userAgent", "uuid")}
    assert ib.post("/ib/v1/clicks", json=example, headers=bearer).status_code == 201

    response = replay(ib, CURLS["LIST"], token)
    assert response.status_code == 200, response.text
    assert response.headers["X-Total-Count"] == "1"
    [found] = response.json()
    assert found["clickId"] == click
    conforms(found, equal={**example_except(*GENERATED, "uri", "uuid"), "uri": target["uri"], "uuid": "9"})
    assert found["profile"]["firstName"] == first and found["profile"]["countryName"] == "United States"
    assert found["contacts"] == [{"key": "email", "value": query["profileContacts"], "uuid": None}]
    assert found["link"]["linkId"] == EXAMPLE["linkId"] and found["metrics"]["registrations"] == 2
