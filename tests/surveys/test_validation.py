"""Answer validation: every question type and every 422 code over HTTP; the pure validators with
hypothesis; the vendor's callback hash test vector."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from clicktrail.core.web.errors import Unprocessable
from clicktrail.surveys.callbacks import sign, signed, verify
from clicktrail.surveys.validation import Rules, age_on, check_answers, qualifies

from ..helpers import configure
from .support import Wall, document

ORDER = ["q-birthdate", "q-color", "q-brands", "q-zip", "q-kids", "q-visit"]
GOOD = {
    "q-birthdate": ["1980-01-01"],
    "q-color": ["1"],
    "q-brands": ["a"],
    "q-zip": ["12345"],
    "q-kids": ["2"],
}

# (question, answers, code)
REJECTED = [
    ("q-birthdate", ["2020-01-01"], "OUT_OF_RANGE"),  # too young
    ("q-birthdate", ["1900-01-01"], "OUT_OF_RANGE"),  # too old
    ("q-birthdate", ["2999-01-01"], "OUT_OF_RANGE"),  # not born yet
    ("q-birthdate", ["1980-02-30"], "NOT_A_DATE"),
    ("q-birthdate", ["01/02/1980"], "NOT_A_DATE"),
    ("q-birthdate", ["19800102"], "NOT_A_DATE"),
    ("q-birthdate", [], "TOO_FEW_ANSWERS"),
    ("q-birthdate", ["1980-01-01", "1981-01-01"], "TOO_MANY_ANSWERS"),
    ("q-color", [], "TOO_FEW_ANSWERS"),
    ("q-color", ["1", "2"], "TOO_MANY_ANSWERS"),
    ("q-color", ["9"], "UNKNOWN_ANSWER"),
    ("q-color", ["Red"], "UNKNOWN_ANSWER"),
    ("q-brands", ["a", "b", "c", "d"], "TOO_MANY_ANSWERS"),
    ("q-brands", ["a", "x"], "UNKNOWN_ANSWER"),
    ("q-zip", ["abcde"], "REGEX_MISMATCH"),
    ("q-zip", ["123"], "TOO_SHORT"),
    ("q-zip", ["123456"], "TOO_LONG"),
    ("q-zip", ["12345", "12345"], "TOO_MANY_ANSWERS"),
    ("q-kids", ["two"], "NOT_A_NUMBER"),
    ("q-kids", ["1e3"], "NOT_A_NUMBER"),
    ("q-kids", [""], "NOT_A_NUMBER"),
    ("q-kids", ["21"], "OUT_OF_RANGE"),
    ("q-kids", ["-1"], "OUT_OF_RANGE"),
    ("q-visit", ["2019-12-31"], "OUT_OF_RANGE"),
    ("q-visit", ["2031-01-01"], "OUT_OF_RANGE"),
    ("q-visit", ["yesterday"], "NOT_A_DATE"),
]


def test_every_question_type_and_every_code_over_http(client):
    configure(client, document())
    wall = Wall(client)
    click = wall.click("srv-all")
    seen = set()
    for position, qid in enumerate(ORDER):
        state = wall.state(click)
        assert state["answer_question"]["question"]["id"] == qid
        for question, answers, code in REJECTED:
            if question != qid:
                continue
            r = wall.post(click, {"answer_question": {"answers": answers}})
            assert r.status_code == 422, (qid, answers, r.text)
            assert r.json()["data"]["code"] == code, (qid, answers, r.json())
            assert r.json()["data"]["reason"]
            seen.add(code)
        assert wall.state(click) == state  # a refused answer changes nothing
        if qid == "q-visit":
            final = wall.answer(click, "2025-06-30")
            assert final["redirect"]["type"] == "survey"
        else:
            assert wall.answer(click, *GOOD[qid])["answered_questions"] == position + 1
    assert seen == {
        "OUT_OF_RANGE",
        "NOT_A_DATE",
        "TOO_FEW_ANSWERS",
        "TOO_MANY_ANSWERS",
        "UNKNOWN_ANSWER",
        "REGEX_MISMATCH",
        "TOO_SHORT",
        "TOO_LONG",
        "NOT_A_NUMBER",
    }


def test_validation_info_per_type(client):
    configure(client, document())
    wall = Wall(client)
    click = wall.click("srv-all")
    infos = {}
    for qid in ORDER[:-1]:
        infos[qid] = wall.state(click)["answer_question"]["question"]["validation_info"]
        wall.answer(click, *GOOD[qid])
    infos["q-visit"] = wall.state(click)["answer_question"]["question"]["validation_info"]
    assert infos == {
        "q-birthdate": {"min": 18, "max": 99, "regex": None},
        "q-color": {"min": 1, "max": 1, "regex": None},
        "q-brands": {"min": 1, "max": 3, "regex": None},
        "q-zip": {"min": 5, "max": 5, "regex": "^[0-9]+$"},
        "q-kids": {"min": 0, "max": 20, "regex": None},
        "q-visit": {"min": "2020-01-01", "max": "2030-12-31", "regex": None},
    }


QUALIFYING = [
    ("q-brands", ["c", "d"], False),
    ("q-brands", ["c", "b"], True),
    ("q-kids", ["0"], False),
    ("q-kids", ["5.0"], True),
    ("q-kids", ["5.5"], False),
    ("q-visit", ["2023-12-31"], False),
]


def test_qualifying_rules(client):
    configure(client, document())
    for n, (qid, answers, qualified) in enumerate(QUALIFYING):
        wall = Wall(client, user=f"user-{n}")
        click = wall.click("srv-all")
        for q in ORDER:
            if q == qid:
                state = wall.answer(click, *answers)
                break
            wall.answer(click, *GOOD[q])
        if qualified:
            assert "answer_question" in state, (qid, answers)
        else:
            assert state["redirect"]["type"] == "termination", (qid, answers)


# --- the pure validators, property-based ---------------------------------------------------------------

TODAY = dt.date(2026, 11, 23)


def outcome(rules, answers):
    try:
        return check_answers(rules, answers, today=TODAY)
    except Unprocessable as exc:
        return exc.code


@hypothesis_settings(deadline=None)
@given(st.text(max_size=30), st.integers(0, 15), st.integers(0, 15))
def test_text_length(answer, low, high):
    result = outcome(Rules(type="TEXT", low=low, high=high), [answer])
    if len(answer) < low:
        assert result == "TOO_SHORT"
    elif len(answer) > high:
        assert result == "TOO_LONG"
    else:
        assert result == [answer]


@hypothesis_settings(deadline=None)
@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=3), st.integers(-50, 50), st.integers(-50, 50)
)
def test_number_range(value, low, high):
    text = format(value, "f")
    result = outcome(Rules(type="NUMBER", low=str(low), high=str(high)), [text])
    assert result == ([text] if low <= value <= high else "OUT_OF_RANGE")


@hypothesis_settings(deadline=None)
@given(st.text(max_size=12))
def test_number_form(text):
    result = outcome(Rules(type="NUMBER"), [text])
    valid = re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text) is not None
    assert (result == [text]) if valid else (result == "NOT_A_NUMBER")


@hypothesis_settings(deadline=None)
@given(st.dates(), st.integers(0, 120), st.integers(0, 120))
def test_birthdate_ages(born, low, high):
    result = outcome(Rules(type="DATE", birthdate=True, low=low, high=high), [born.isoformat()])
    age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
    assert age == age_on(born, TODAY)
    assert result == ([born.isoformat()] if low <= age <= high else "OUT_OF_RANGE")


@hypothesis_settings(deadline=None)
@given(st.dates(), st.dates(), st.dates())
def test_date_range(value, low, high):
    rules = Rules(type="DATE", low=low.isoformat(), high=high.isoformat())
    result = outcome(rules, [value.isoformat()])
    assert result == ([value.isoformat()] if low <= value <= high else "OUT_OF_RANGE")


@hypothesis_settings(deadline=None)
@given(st.text(max_size=12))
def test_date_form(text):
    try:
        valid = len(text) == 10 and dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        valid = False
    assert (outcome(Rules(type="DATE"), [text]) == [text]) == valid


CODES = ("1", "2", "3", "4", "5")


@hypothesis_settings(deadline=None)
@given(st.lists(st.sampled_from([*CODES, "x"]), max_size=7), st.integers(0, 5), st.integers(0, 5))
def test_choice_counts_and_codes(answers, low, high):
    result = outcome(Rules(type="MULTI", codes=CODES, low=low, high=high), answers)
    distinct = list(dict.fromkeys(answers))
    if len(distinct) < low:
        assert result == "TOO_FEW_ANSWERS"
    elif len(distinct) > high:
        assert result == "TOO_MANY_ANSWERS"
    elif "x" in distinct:
        assert result == "UNKNOWN_ANSWER"
    else:
        assert result == distinct


@hypothesis_settings(deadline=None)
@given(st.lists(st.text(max_size=6), min_size=1, max_size=3))
def test_regex_applies_to_every_answer(answers):
    rules = Rules(type="MULTI", codes=tuple(answers), regex="^[a-z]*$", low=0, high=len(answers))
    result = outcome(rules, answers)
    ok = all(re.fullmatch("[a-z]*", a) for a in answers)
    assert (result == list(dict.fromkeys(answers))) if ok else (result == "REGEX_MISMATCH")


@hypothesis_settings(deadline=None)
@given(
    st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True),
    st.lists(st.sampled_from(CODES), max_size=3),
)
def test_choice_qualifies_when_one_code_qualifies(answers, qualifying):
    rules = Rules(type="MULTI", codes=CODES)
    assert qualifies(rules, qualifying, answers, today=TODAY) == bool(set(answers) & set(qualifying))
    assert qualifies(rules, None, answers, today=TODAY)


@hypothesis_settings(deadline=None)
@given(st.decimals(min_value=-100, max_value=100, places=2), st.integers(-100, 100), st.integers(-100, 100))
def test_number_qualifies_in_range(value, low, high):
    rules = Rules(type="NUMBER")
    assert qualifies(rules, {"min": low, "max": high}, [format(value, "f")], today=TODAY) == (
        low <= value <= high
    )
    assert Decimal(format(value, "f")) == value


# --- callbacks ---------------------------------------------------------------------------------------


def test_vendor_hash_test_vector():
    url = "https://publisher.com/complete?uid=8cc877ee-af19-488d-b28d-216fb866b996&val=500"
    secret = "JLOIAUNMHFli7ZJOQVEzm98rzqnm9"
    assert sign(url, secret) == "dbcd6bb8ca677344592842a52b4fca9bec36cd4b"
    assert signed(url, secret) == url + "&hash=dbcd6bb8ca677344592842a52b4fca9bec36cd4b"
    assert verify(signed(url, secret), secret)
    assert not verify(signed(url, secret), secret + "x")
    assert not verify(url, secret)
