"""Answer rules, as the vendor states them, as pure functions (hypothesis tests them directly).

Order of checks: the number of answers, then each answer's form (known code, a number, a date), then the
regex (every answer must match it), then length, value or date range. The first failure is the 422 code."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import re2

from ..core.web.errors import Unprocessable

NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Rules:
    """What a question accepts; ``low``/``high`` are counts, lengths, numbers, dates or ages by type."""

    type: str
    codes: tuple[str, ...] = ()
    low: Any = None
    high: Any = None
    regex: str | None = None
    birthdate: bool = False


def rules_of(question: Any) -> Rules:
    v = question.validation or {}
    return Rules(
        type=question.type,
        codes=tuple(a["code"] for a in question.answers),
        low=v.get("min"),
        high=v.get("max"),
        regex=v.get("regex"),
        birthdate=bool(question.birthdate),
    )


@lru_cache(maxsize=1024)
def compiled(pattern: str) -> Any:
    return re2.compile(pattern)


def age_on(born: dt.date, today: dt.date) -> int:
    """Whole years lived on ``today`` (negative for a date in the future)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def parse_number(value: str) -> Decimal | None:
    if not NUMBER.fullmatch(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern only lets decimals through
        return None


def parse_date(value: str) -> dt.date | None:
    if not DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def check_answers(rules: Rules, answers: list[str], *, today: dt.date) -> list[str]:
    """The answers, normalized (repeated codes once), or Unprocessable with the vendor-style code."""
    if rules.type in ("SINGLE", "MULTI"):
        answers = list(dict.fromkeys(answers))
        low = 1 if rules.low is None else int(rules.low)
        high = (1 if rules.type == "SINGLE" else len(rules.codes)) if rules.high is None else int(rules.high)
    else:
        low, high = 1, 1
    if len(answers) < low:
        raise Unprocessable(f"select at least {low} answer(s)", code="TOO_FEW_ANSWERS")
    if len(answers) > high:
        raise Unprocessable(f"select at most {high} answer(s)", code="TOO_MANY_ANSWERS")
    for answer in answers:
        _check_form(rules, answer)
    if rules.regex is not None:
        pattern = compiled(rules.regex)
        for answer in answers:
            if pattern.search(answer) is None:
                raise Unprocessable(f"'{answer[:100]}' does not match {rules.regex}", code="REGEX_MISMATCH")
    for answer in answers:
        _check_bounds(rules, answer, today)
    return answers


def _check_form(rules: Rules, answer: str) -> None:
    if rules.type in ("SINGLE", "MULTI") and answer not in rules.codes:
        raise Unprocessable(f"unknown answer code '{answer[:100]}'", code="UNKNOWN_ANSWER")
    if rules.type == "NUMBER" and parse_number(answer) is None:
        raise Unprocessable(f"'{answer[:100]}' is not a decimal number", code="NOT_A_NUMBER")
    if rules.type == "DATE" and parse_date(answer) is None:
        raise Unprocessable(f"'{answer[:100]}' is not a date YYYY-MM-DD", code="NOT_A_DATE")


def _check_bounds(rules: Rules, answer: str, today: dt.date) -> None:
    if rules.type == "TEXT":
        if rules.low is not None and len(answer) < int(rules.low):
            raise Unprocessable(f"the answer needs at least {rules.low} characters", code="TOO_SHORT")
        if rules.high is not None and len(answer) > int(rules.high):
            raise Unprocessable(f"the answer takes at most {rules.high} characters", code="TOO_LONG")
    elif rules.type == "NUMBER":
        if not in_range(parse_number(answer), _dec(rules.low), _dec(rules.high)):
            raise Unprocessable(f"the number must lie in {_span(rules)}", code="OUT_OF_RANGE")
    elif rules.type == "DATE":
        born = parse_date(answer)
        if born is None:
            raise Unprocessable(f"'{answer[:100]}' is not a date YYYY-MM-DD", code="NOT_A_DATE")
        if rules.birthdate:
            age = age_on(born, today)
            low = 0 if rules.low is None else int(rules.low)  # a birth date is never in the future
            if not in_range(age, low, None if rules.high is None else int(rules.high)):
                raise Unprocessable(f"the age must lie in {_span(rules)} years", code="OUT_OF_RANGE")
        elif not in_range(born, _date(rules.low), _date(rules.high)):
            raise Unprocessable(f"the date must lie in {_span(rules)}", code="OUT_OF_RANGE")


def in_range(value: Any, low: Any, high: Any) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _span(rules: Rules) -> str:
    return f"[{'' if rules.low is None else rules.low}, {'' if rules.high is None else rules.high}]"


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def qualifies(rules: Rules, qualifying: Any, answers: list[str], *, today: dt.date) -> bool:
    """SINGLE/MULTI: one chosen code is qualifying; NUMBER/DATE: the value lies in {min, max}
    (ages for a birthdate); no ``qualifying``: always."""
    if qualifying is None:
        return True
    if isinstance(qualifying, list):
        return any(code in qualifying for code in answers)
    low, high = qualifying.get("min"), qualifying.get("max")
    if rules.type == "NUMBER":
        return in_range(parse_number(answers[0]), _dec(low), _dec(high))
    born = parse_date(answers[0])
    if rules.birthdate:
        return in_range(age_on(born, today), low, high)  # type: ignore[arg-type]
    return in_range(born, _date(low), _date(high))


def validation_info(rules: Rules) -> dict[str, Any]:
    """The ``validation_info`` object of a question (counts filled in for SINGLE/MULTI)."""
    low, high = rules.low, rules.high
    if rules.type in ("SINGLE", "MULTI"):
        low = 1 if low is None else low
        high = (1 if rules.type == "SINGLE" else len(rules.codes)) if high is None else high
    if rules.type == "NUMBER":
        low, high = _json_number(low), _json_number(high)
    return {"min": low, "max": high, "regex": rules.regex}


def _json_number(value: Any) -> int | float | None:
    if value is None:
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)
