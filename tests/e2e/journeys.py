"""A whole journey of every family and a dashboard session, over any HTTP client (a real server's), with
every value that must stay out of the logs noted as it goes: people's ids, emails and addresses,
secrets and tokens, signatures, capabilities."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from clicktrail.surveys.callbacks import sign

from ..helpers import ADMIN, ADMIN_TOKEN, Receiver
from ..loyalty import conftest as loyalty
from ..partners import conftest as partners
from ..signage import support as signage
from ..surveys import support as surveys

APP = "acme"
VISITOR_IP = "81.2.69.142"  # every request's client, through X-Forwarded-For (serve trusts loopback)
SURVEY_USER = "mary.surveys@example.com"
MEMBER = "mary.member@example.com"
HOOK_SECRET = "hook-secret-for-logs"
SIGNAGE_KEY = "signage-secret-for-logs"
POSTBACK_SECRET = "postback-secret-for-logs"


def document(receiver: Receiver) -> dict[str, Any]:
    """One app with the four families, a webhook for every event, callbacks and postbacks to
    ``receiver``, and IP anonymization on."""
    partners_section = partners.document()["apps"][0]["partners"]
    partners_section["links"][0]["postback_url"] = (
        f"{receiver.url}/postback?click={{click_id}}&profile={{profile_id}}&src={{utm_source}}"
    )
    partners_section["postback_secret"] = POSTBACK_SECRET  # signs the postback
    return {
        "apps": [
            {
                "id": APP,
                "name": "Acme",
                "credentials": [
                    {"name": "wall", "secret": surveys.TOKEN, "scopes": ["surveys"]},
                    {"name": "ib", "client_id": "ib-acme", "secret": partners.SECRET, "scopes": ["partners"]},
                    {"name": "pos", "client_id": "pos-1", "secret": loyalty.SECRET, "scopes": ["loyalty"]},
                    {"name": "signage", "secret": SIGNAGE_KEY, "scopes": ["signage"]},
                ],
                "webhooks": [{"url": f"{receiver.url}/hooks", "secret": HOOK_SECRET, "events": ["*"]}],
                "privacy": {"anonymize_ip": True},
                "surveys": surveys.document(
                    callback_url=f"{receiver.url}/cb?uid=[%UID%]&val=[%VAL%]&tx=[%TX%]&type=[%TYPE%]"
                )["apps"][0]["surveys"],
                "partners": partners_section,
                "loyalty": loyalty.DOC["apps"][0]["loyalty"],
                "signage": {"campaigns": [signage.campaign()]},
            }
        ]
    }


class Journeys:
    """Runs the journeys; ``private`` collects what no log line may hold."""

    def __init__(self, http: httpx.Client, receiver: Receiver):
        self.http, self.receiver = http, receiver
        self.private: set[str] = {
            ADMIN_TOKEN, surveys.TOKEN, surveys.CALLBACK_SECRET, partners.SECRET, loyalty.SECRET,
            SIGNAGE_KEY, HOOK_SECRET, POSTBACK_SECRET, VISITOR_IP, SURVEY_USER, MEMBER,
        }  # fmt: skip

    def note(self, *values: str) -> None:
        self.private.update(v for v in values if v)

    def all(self) -> None:
        self.surveys()
        self.partners()
        self.loyalty()
        self.signage()

    def surveys(self) -> None:
        wall = surveys.Wall(self.http, user=SURVEY_USER)
        click_url = wall.click_url("srv-auto")
        self.note(*(value for _, value in parse_qsl(urlsplit(click_url).query) if len(value) >= 16))
        click = wall.click("srv-auto")
        self.note(click)
        wall.answer(click, "1980-01-01")  # the profile question
        wall.answer(click, "1")
        assert wall.answer(click, "12345")["redirect"]["type"] == "survey"
        target = f"/v2/server/clicks/{click}/complete?ts=1"
        digest = sign(target, surveys.CALLBACK_SECRET)
        self.note(digest)
        assert self.http.get(f"{target}&hash={digest}").status_code == 200

    def partners(self) -> None:
        token = self.http.post(
            "/ib/v1/tokens", json={"grant_type": "client_credentials"}, auth=("ib-acme", partners.SECRET)
        ).json()["access_token"]
        self.note(token)
        auth = {"Authorization": f"Bearer {token}"}
        body = partners.seed_click(uri="https://my.stage.org/register?referral=1&utm_source=newsletter")
        self.note(body["ip"])
        created = self.http.post("/ib/v1/clicks", json=body, headers=auth)
        assert created.status_code == 201, created.text
        click = created.json()["clickId"]
        registered = self.http.put(f"/ib/v1/clicks/{click}", json=partners.SEED_PROFILE, headers=auth)
        assert registered.status_code == 200, registered.text
        self.note(registered.json()["profileId"])
        self.note(*(c["value"] for c in partners.SEED_PROFILE["profile"]["contacts"]))
        listed = self.http.get(f"/ib/v1/clicks?filter[ip]={body['ip']}&query[profile]=1", headers=auth)
        assert listed.status_code == 200, listed.text

    def loyalty(self) -> None:
        issued = self.http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": "pos-1", "client_secret": loyalty.SECRET},
        )
        assert issued.status_code == 200, issued.text
        token = issued.json()["access_token"]
        self.note(token)
        auth = {"Authorization": f"Bearer {token}"}
        session = loyalty.start(self.http, MEMBER, kind="EMAIL", headers=auth)
        cid = session["correlationId"]
        trial = loyalty.trial(self.http, cid, headers=auth)
        assert trial.status_code == 200, trial.text
        prompt = trial.json()["promptMessageID"]  # 46.50 is a near miss of the 50.00 offer
        assert loyalty.answer(self.http, cid, prompt, headers=auth).status_code == 200
        final = loyalty.finalize(self.http, cid, "52.00", headers=auth)
        assert final.status_code == 200, final.text

    def signage(self) -> None:
        headers = {"API-KEY": SIGNAGE_KEY}
        session = signage.scan(self.http, APP, headers={"User-Agent": signage.IPHONE})
        for status in signage.STATUSES:
            assert signage.set_status(self.http, session, status, headers).status_code == 200
        coupon = signage.engage(self.http, session, headers)
        assert coupon.status_code == 200, coupon.text
        self.note(coupon.json()["coupon_code"])

    def delivered(self) -> None:
        """Wait for the survey callback, the partner postback and webhooks, and note their signatures (every
        one of them carries one)."""
        received = self.receiver.wait_for(12, timeout=30)
        paths = [r.path for r in received]
        assert any(p.startswith("/cb?") for p in paths) and any(p.startswith("/postback?") for p in paths)
        assert all("X-Clicktrail-Signature" in r.headers for r in received)
        for r in self.receiver.received:
            query = dict(parse_qsl(urlsplit(r.path).query))
            self.note(*(query.get(name, "") for name in ("hash", "tx", "profile", "uid")))
            self.note(*(v for k, v in r.headers.items() if "signature" in k.lower()))

    def dashboard(self) -> None:
        """Sign in, open every page of the app, search a journey, sign out."""
        signed = self.http.post(
            "/dashboard/login", data={"token": ADMIN_TOKEN, "next": "/dashboard"}, follow_redirects=False
        )
        assert signed.status_code == 303, signed.text
        self.note(*(cookie for cookie in self.http.cookies.values()))
        pages = [
            "/dashboard",
            *(f"/dashboard/apps/{APP}/families/{f}" for f in ("surveys", "partners", "loyalty", "signage")),
            f"/dashboard/apps/{APP}/journeys",
            f"/dashboard/apps/{APP}/deliveries",
        ]
        for page in pages:
            answer = self.http.get(page)
            assert answer.status_code == 200, (page, answer.text)
        events = self.http.get(f"/admin/v1/apps/{APP}/events", params={"family": "surveys"}, headers=ADMIN)
        journey = events.json()["items"][0]["journey_id"]
        found = self.http.get(f"/dashboard/apps/{APP}/journeys", params={"id": journey, "family": "surveys"})
        assert found.status_code == 200
        csrf = re.search(r'name="csrf" value="([^"]+)"', found.text)
        assert csrf is not None
        self.note(csrf[1])
        out = self.http.post("/dashboard/logout", data={"csrf": csrf[1]}, follow_redirects=False)
        assert out.status_code == 303
