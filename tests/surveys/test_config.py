"""The surveys section of the config document: exact paths for problems, RE2-only regexes, idempotence."""

from __future__ import annotations

import copy

from ..helpers import ADMIN, configure, snapshot
from .support import document


def refused(client, doc):
    r = client.put("/admin/v1/config", json=doc, headers=ADMIN)
    assert r.status_code == 400, r.text
    return r.text


def test_applying_twice_changes_nothing(client, database_url):
    first = configure(client, document())
    assert any("question 'q-color' created" in c for c in first["changes"])
    before = snapshot(database_url)
    assert configure(client, document())["changes"] == []
    assert snapshot(database_url) == before


def test_changes_are_reported(client):
    configure(client, document())
    doc = document()
    section = doc["apps"][0]["surveys"]
    section["list"][0]["cpi"] = "1.5"
    section["list"] = section["list"][:2]
    section["questions"][0]["text"]["en"] = "Colour?"
    changes = configure(client, doc)["changes"]
    assert "acme: survey 'srv-auto' updated" in changes
    assert "acme: survey 'srv-de' deactivated" in changes
    assert "acme: question 'q-color' updated" in changes


PROBLEMS = [
    (
        lambda s: s["questions"][2]["validation"].update(regex="(a)\\1"),
        "surveys.questions[2].validation.regex",
    ),
    (
        lambda s: s["questions"][2]["validation"].update(regex="(?=a)b"),
        "surveys.questions[2].validation.regex",
    ),
    (
        lambda s: s["questions"][2]["validation"].update(regex="[unclosed"),
        "surveys.questions[2].validation.regex",
    ),
    (lambda s: s["list"][0]["questions"].append({"id": "q-nope"}), "surveys.list[0].questions[2].id"),
    (
        lambda s: s["list"][0]["questions"][0].update(qualifying=["9"]),
        "surveys.list[0].questions[0].qualifying[0]",
    ),
    (
        lambda s: s["list"][1]["questions"][3].update(qualifying=["1"]),
        "surveys.list[1].questions[3].qualifying",
    ),
    (lambda s: s["profile_questions"].append("q-nope"), "surveys.profile_questions[1]"),
    (lambda s: s["start_bonus"]["questions"].append("q-nope"), "surveys.start_bonus.questions[2]"),
    (lambda s: s["list"].append(copy.deepcopy(s["list"][0])), "surveys.list[3].id"),
    (lambda s: s["list"][0].update(colour="red"), "surveys.list[0].colour"),
    (lambda s: s["list"][0].update(rating=6), "surveys.list[0].rating"),
    (lambda s: s.pop("callback_secret"), "surveys.callback_secret"),
    (lambda s: s["questions"][1]["validation"].update(max=5), "surveys.questions[1]"),
    (lambda s: s["questions"][0].update(answers=[]), "surveys.questions[0]"),
    (lambda s: s["questions"][4]["validation"].update(min="soon"), "surveys.questions[4]"),
]


def test_problems_have_paths_and_change_nothing(client, database_url):
    configure(client, document())
    before = snapshot(database_url)
    for edit, path in PROBLEMS:
        doc = document()
        edit(doc["apps"][0]["surveys"])
        assert f"apps[0].{path}" in refused(client, doc), path
    assert snapshot(database_url) == before
