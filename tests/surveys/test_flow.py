"""The BitLabs click flow over HTTP: listing, clicks, every action, question modes, redirects, events."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from ..helpers import configure
from .support import Wall, document, event_types, headers, rows


@pytest.fixture
def wall(client):
    configure(client, document())
    return Wall(client)


def general_error(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "error" and body["trace_id"]
    assert body["error"]["details"]["http"].startswith(str(status))
    return body["error"]["details"]["msg"]


def code_of(response):
    """A refused action: the vendor's documented ``data {code, reason}``, and the general error envelope
    the SDKs read (so they never report a refusal as a success)."""
    reason = general_error(response, 422)
    body = response.json()
    assert set(body) == {"data", "error", "status", "trace_id"}
    assert body["data"]["reason"] == reason
    return body["data"]["code"]


class TestListing:
    def test_surveys_of_the_user(self, wall, client):
        surveys = wall.surveys()
        assert [s["id"] for s in surveys] == ["start-bonus", "srv-auto", "srv-all"]  # DE filtered out
        auto = surveys[1]
        assert auto["type"] == "survey" and auto["cpi"] == "1.2" and auto["value"] == "120"
        assert auto["loi"] == 5.3 and auto["rating"] == 4 and auto["country"] == "US"
        assert auto["category"] == {
            "name": "Automotive",
            "name_internal": "automotive",
            "icon_name": "car",
            "icon_url": "",
        }
        url = urlsplit(auto["click_url"])
        # No CLICKTRAIL_PUBLIC_URL and a caller off loopback: a link from the root (test_public_url.py)
        assert (url.scheme, url.netloc, url.path) == ("", "", "/v2/client/clicks")
        assert set(parse_qs(url.query)) == {"i", "s"}
        assert surveys[0]["type"] == "start_bonus" and surveys[0]["value"] == "50"
        r = client.get("/v2/client/surveys", params={"client_country": "us"}, headers=headers())
        assert r.json()["data"]["restriction_reason"] is None

    @pytest.mark.parametrize(
        ("accept_language", "listed"),
        [
            # iOS sends the device's own list: English, the fallback, still follows the user's languages.
            ("de-DE,de;q=0.9", ["start-bonus", "srv-de", "srv-auto", "srv-all"]),
            ("en-US,en;q=0.9,de;q=0.5", ["start-bonus", "srv-auto", "srv-all", "srv-de"]),
            ("de;q=0.4,en;q=0.8", ["start-bonus", "srv-auto", "srv-all", "srv-de"]),
            ("de, en;q=0", ["start-bonus", "srv-de"]),  # English refused outright
            ("fr-FR", ["start-bonus", "srv-auto", "srv-all"]),  # no French survey: the English ones
            ("fr, *;q=0.1, xx-invalid-, en;q=oops", ["start-bonus", "srv-auto", "srv-all"]),
        ],
    )
    def test_accept_language_weights_the_whole_list(self, wall, client, accept_language, listed):
        r = client.get("/v2/client/surveys", headers=headers(**{"Accept-Language": accept_language}))
        assert [s["id"] for s in r.json()["data"]["surveys"]] == listed

    def test_language_filter_and_country_unknown(self, wall, client):
        r = client.get("/v2/client/surveys", headers=headers())  # testclient: no country known
        assert [s["id"] for s in r.json()["data"]["surveys"]] == [
            "start-bonus",
            "srv-auto",
            "srv-all",
            "srv-de",
        ]

    def test_auth(self, wall, client):
        assert general_error(client.get("/v2/client/surveys"), 401) == "missing credentials"
        general_error(client.get("/v2/client/surveys", headers=headers(token="nope-nope")), 401)
        msg = general_error(client.get("/v2/client/surveys", headers={"X-Api-Token": "wall-secret-1"}), 400)
        assert "X-User-Id" in msg
        general_error(client.get("/v2/client/surveys", headers=headers(user="u" * 66)), 400)
        general_error(
            client.get("/v2/client/surveys", params={"client_country": "USA"}, headers=headers()), 400
        )

    def test_skip_hides_a_survey_for_this_user_only(self, wall, client, database_url):
        r = client.post("/v2/client/surveys/srv-auto/skip", headers=headers())
        assert r.status_code == 200 and r.json()["data"] == {} and r.json()["status"] == "success"
        assert client.post("/v2/client/surveys/srv-auto/skip", headers=headers()).status_code == 200
        assert "srv-auto" not in [s["id"] for s in wall.surveys()]
        assert "srv-auto" in [s["id"] for s in Wall(client, user="user-2").surveys()]
        assert event_types(database_url, "srv-auto") == ["survey.skipped"]  # once
        general_error(client.post("/v2/client/surveys/nope/skip", headers=headers()), 404)
        # another app's survey id is not found either
        general_error(
            client.post("/v2/client/surveys/srv-all/skip", headers=headers(token="other-secret-1")), 404
        )


class TestClick:
    def test_first_click_asks_profile_questions_then_the_survey(self, wall, database_url):
        click = wall.click("srv-auto")
        state = wall.state(click)
        assert state["question_mode"] == "first" and state["click_type"] == "survey"
        assert (state["answered_questions"], state["required_questions"]) == (0, 3)
        assert "redirect" not in state
        q = state["answer_question"]["question"]
        assert q["id"] == "q-birthdate" and q["type"] == "DATE" and q["language"] == "en"
        assert q["validation_info"] == {"min": 18, "max": 99, "regex": None}
        assert state["survey_details"] == {
            "id": "srv-auto",
            "cpi": "1.2",
            "value": "120",
            "loi": 5.3,
            "country": "US",
            "language": "en",
            "rating": 4,
            "category": {
                "name": "Automotive",
                "name_internal": "automotive",
                "icon_name": "car",
                "icon_url": "",
            },
        }
        state = wall.answer(click, "1990-05-01")
        q = state["answer_question"]["question"]
        assert q["id"] == "q-color" and state["answered_questions"] == 1
        assert q["answers"] == [
            {"code": "1", "localized_text": "Red"},
            {"code": "2", "localized_text": "Blue"},
        ]
        assert q["validation_info"] == {"min": 1, "max": 1, "regex": None} and q["is_duplicate"] is False
        state = wall.answer(click, "1")
        assert state["answer_question"]["question"]["example"] == "10001"
        state = wall.answer(click, "10001")
        assert "answer_question" not in state
        assert state["redirect"] == {"url": f"https://surveys.example/start?click={click}", "type": "survey"}
        assert (state["answered_questions"], state["required_questions"]) == (3, 3)
        assert wall.state(click) == state  # a finished click keeps answering with its redirect
        assert event_types(database_url, click) == [
            "click.created",
            "question.answered",
            "question.answered",
            "question.answered",
            "click.qualified",
        ]
        # second click: default mode, no profile questions, shared question is a duplicate
        second = wall.click("srv-all")
        state = wall.state(second)
        assert state["question_mode"] == "default" and state["required_questions"] == 5
        q = state["answer_question"]["question"]
        assert q["id"] == "q-color" and q["is_duplicate"] is True

    def test_localized_texts_follow_accept_language(self, wall):
        click = wall.click("srv-auto")
        q = wall.state(click, headers={"Accept-Language": "de"})["answer_question"]["question"]
        assert (q["language"], q["localized_text"]) == (
            "fr",
            "Votre date de naissance ?",
        )  # no de: first text
        q = wall.state(click)["answer_question"]["question"]  # no header: the survey's language
        assert (q["language"], q["localized_text"]) == ("en", "Your date of birth?")
        wall.answer(click, "1990-01-01")
        q = wall.state(click, headers={"Accept-Language": "fr;q=0.5, de"})["answer_question"]["question"]
        assert q["language"] == "de" and q["localized_text"] == "Lieblingsfarbe?"
        assert q["answers"][0]["localized_text"] == "Rot"

    def test_screen_out_ends_as_termination(self, wall, client, database_url):
        click = wall.click("srv-auto")
        wall.answer(click, "1980-01-01")
        state = wall.answer(click, "2")
        assert state["redirect"] == {
            "url": "https://publisher.example/back?status=terminated&uid=user-1",
            "type": "termination",
        }
        assert "answer_question" not in state and state["answered_questions"] == 2
        assert event_types(database_url, click)[-1] == "click.screened_out"
        assert code_of(wall.post(click, {"answer_question": {"answers": ["1"]}})) == "NO_OPEN_QUESTION"
        assert code_of(wall.post(click, {"skip_question": True})) == "NO_OPEN_QUESTION"
        assert code_of(wall.post(click, {"leave_survey": {"reason": "OTHER"}})) == "NO_OPEN_QUESTION"
        assert wall.state(click) == state
        assert "srv-auto" not in [s["id"] for s in wall.surveys()]  # finished: off the list
        # a stale click_url on a finished survey ends at once
        url = urlsplit(Wall(client).click_url("srv-all").replace("i=srv-all", "i=srv-auto"))
        new = client.post(f"{url.path}?{url.query}").json()["data"]["id"]
        assert wall.state(new)["redirect"]["type"] == "termination"

    def test_leave_with_each_reason(self, wall, client, database_url):
        for n, reason in enumerate(["OTHER", "TECHNICAL", "SENSITIVE", "TOO_LONG", "UNINTERESTING"]):
            user = Wall(client, user=f"leaver-{n}")
            click = user.click("srv-auto")
            r = user.post(click, {"leave_survey": {"reason": reason}})
            assert r.status_code == 200
            assert r.json()["data"]["redirect"]["type"] == "termination"
            payload = rows(
                database_url,
                "SELECT payload FROM journey_events WHERE journey_id = :j AND type = 'click.left'",
                j=click,
            )
            assert len(payload) == 1 and reason in str(payload[0][0])

    def test_leave_after_qualifying_and_invalid_reasons(self, wall):
        click = wall.click("srv-auto")
        for body in (
            {"leave_survey": {"reason": "BORED"}},
            {"leave_survey": {}},
            {"leave_survey": {"reason": 1}},
        ):
            assert code_of(wall.post(click, body)) == "INVALID_REASON"
        wall.answer(click, "1980-01-01")
        wall.answer(click, "1")
        assert wall.answer(click, "12345")["redirect"]["type"] == "survey"
        r = wall.post(click, {"leave_survey": {"reason": "TOO_LONG"}})
        assert r.json()["data"]["redirect"]["type"] == "termination"

    def test_skip(self, wall, database_url):
        click = wall.click("srv-auto")
        assert code_of(wall.post(click, {"skip_question": True})) == "NOT_SKIPPABLE"
        wall.answer(click, "1980-01-01")
        wall.answer(click, "1")
        state = wall.post(click, {"skip_question": True}).json()["data"]
        assert state["redirect"]["type"] == "survey" and state["answered_questions"] == 3
        assert event_types(database_url, click)[-2:] == ["question.skipped", "click.qualified"]

    def test_actions_in_one_body(self, wall):
        click = wall.click("srv-auto")
        seed_body = {
            "answer_question": {"answers": ["1", "2"]},
            "skip_question": True,
            "leave_survey": {"reason": "OTHER"},
            "rate_survey": {"rating": 42},
            "sc_token": "string",
        }
        assert code_of(wall.post(click, seed_body)) == "INVALID_ACTION"
        assert code_of(wall.post(click, {})) == "INVALID_ACTION"
        assert code_of(wall.post(click, {"skip_question": False})) == "INVALID_ACTION"
        before = wall.state(click)
        r = wall.post(click, {"rate_survey": {"rating": 5}, "sc_token": "x", "extra": 1})
        assert r.status_code == 200 and r.json()["data"] == before  # deprecated: accepted, ignored
        r = wall.post(click, {"answer_question": {"answers": ["1990-01-01"], "x": 1}, "skip_question": False})
        assert r.status_code == 200 and r.json()["data"]["answered_questions"] == 1

    def test_malformed_bodies_and_unknown_clicks(self, wall, client):
        click = wall.click("srv-auto")
        url = f"/v2/client/clicks/{click}"
        r = client.post(url, content=b"{not json", headers={"Content-Type": "application/json"})
        assert general_error(r, 400) == "malformed JSON"
        general_error(client.post(url, json=[1]), 400)
        general_error(client.post(url, json={"answer_question": {"answers": "1"}}), 400)
        general_error(client.post(url, json={"answer_question": {"answers": [1]}}), 400)
        general_error(client.post(url, json={"answer_question": {}}), 400)
        general_error(client.post(url), 400)
        assert general_error(client.get("/v2/client/clicks/nope"), 404).startswith("click")
        general_error(wall.post("00000000-0000-0000-0000-000000000000", {"skip_question": True}), 404)
        general_error(client.post("/v2/client/clicks?i=srv-auto&s=nope"), 404)
        general_error(
            client.post("/v2/client/clicks?i=nope&s=" + urlsplit(wall.click_url("srv-auto")).query[-32:]), 404
        )
        general_error(client.post("/v2/client/clicks"), 400)
        # another app's listing session cannot open this app's survey
        other = urlsplit(Wall(client, user="user-1", token="other-secret-1").click_url("srv-auto")).query
        general_error(client.post(f"/v2/client/clicks?i=srv-all&{other.split('&')[1]}"), 404)
        general_error(client.get("/v2/client/nothing-here"), 404)
        assert wall.state(click)["answered_questions"] == 0  # nothing half-written

    def test_start_bonus(self, wall, client, database_url):
        first = wall.click("srv-auto")  # the first click takes the profile questions
        assert wall.state(first)["question_mode"] == "first"
        click = wall.click("start-bonus")
        state = wall.state(click)
        assert state["click_type"] == "start_bonus" and state["question_mode"] == "default"
        assert state["survey_details"]["value"] == "50" and state["required_questions"] == 2
        wall.post(click, {"skip_question": True})
        state = wall.answer(click, "3")
        assert state["redirect"] == {
            "url": "https://publisher.example/back?status=bonus&uid=user-1&val=50",
            "type": "start_bonus",
        }
        assert "start_bonus.completed" in event_types(database_url, click)
        [cb] = [u for u in rows(database_url, "SELECT url FROM outbox") if "START_BONUS" in u[0]]
        assert "uid=user-1&val=50&raw=0.5&tx=" in cb[0] and "&hash=" in cb[0]
        assert "start-bonus" not in [s["id"] for s in wall.surveys()]
        again = client.post(
            urlsplit(wall.click_url("srv-auto")).path
            + "?i=start-bonus&s="
            + parse_qs(urlsplit(wall.click_url("srv-auto")).query)["s"][0]
        )
        assert wall.state(again.json()["data"]["id"])["redirect"]["type"] == "termination"

    def test_open_click_redirects_to_hosted_page_or_target(self, wall, client):
        url = urlsplit(wall.click_url("srv-de", client_country="DE"))
        r = client.get(f"{url.path}?{url.query}", follow_redirects=False)
        assert r.status_code == 302
        page = urlsplit(r.headers["location"])
        assert page.path.startswith("/v2/client/clicks/") and page.path.endswith("/page")
        html = client.get(page.path, headers={"Accept-Language": "de"})
        assert html.status_code == 200 and "text/html" in html.headers["content-type"]
        assert "Votre date de naissance ?" in html.text and 'type="date"' in html.text
        assert '<html lang="fr">' in html.text  # no German text: the first one given
        # the user has no profile pending now: a survey without questions goes straight in
        url = urlsplit(Wall(client).click_url("srv-de", client_country="DE"))
        client.post(page.path, data={"do": "answer", "answers": "1980-01-01"}, follow_redirects=False)
        r = client.get(f"{url.path}?{url.query}", follow_redirects=False)
        assert r.status_code == 302 and r.headers["location"].startswith("https://surveys.example/de?c=")


class TestHostedPage:
    def test_walks_through_the_questions_with_the_same_rules(self, wall, client):
        click = wall.click("srv-all")
        page = f"/v2/client/clicks/{click}/page"
        r = client.post(page, data={"do": "answer", "answers": "1900-01-01"})
        assert r.status_code == 422 and 'role="alert"' in r.text and "age" in r.text
        r = client.post(page, data={"do": "answer", "answers": "1980-01-01"})
        assert r.status_code == 200 and 'type="radio"' in r.text and "Favorite color?" in r.text
        r = client.post(page, data={"do": "answer", "answers": "2"})
        assert 'type="checkbox"' in r.text
        r = client.post(page, data={"do": "answer", "answers": ["a", "c"]})
        assert "Your ZIP code?" in r.text and ">Skip<" in r.text and "10001" in r.text
        r = client.post(page, data={"do": "skip"})
        assert 'inputmode="decimal"' in r.text
        client.post(page, data={"do": "answer", "answers": "2"})
        r = client.post(page, data={"do": "answer", "answers": "2025-02-03"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"https://surveys.example/all?c={click}"
        r = client.get(page, follow_redirects=False)
        assert r.status_code == 303
        assert wall.state(click)["answered_questions"] == 6

    def test_leave_from_the_page(self, wall, client):
        click = wall.click("srv-auto")
        r = client.post(
            f"/v2/client/clicks/{click}/page", data={"do": "leave", "reason": "OTHER"}, follow_redirects=False
        )
        assert r.status_code == 303 and "status=terminated" in r.headers["location"]
