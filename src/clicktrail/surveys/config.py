"""The ``surveys:`` section of the config document (DESIGN §5): question bank, surveys, start bonus,
callbacks and quotas. Everything that needs no database is checked here, with paths relative to the section;
admin regexes must compile on RE2 (linear time), the engine answers are checked with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

import re2
from pydantic import AfterValidator, ConfigDict, Field, StrictBool, field_validator, model_validator

from ..core.config.document import SECRET, StrictModel, find_duplicates
from ..core.journeys.outbound import outbound_url

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
Lang = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Url = Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=2048)]
Texts = Annotated[dict[Lang, Annotated[str, Field(min_length=1, max_length=2000)]], Field(min_length=1)]
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)]
Bound = int | Decimal | dt.date | str | None

QUESTION_TYPES = ("TEXT", "SINGLE", "MULTI", "NUMBER", "DATE")


def _as_date(value: Any, what: str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else _bad(what)
        except ValueError:
            pass
    return _bad(what)


def _bad(what: str) -> str:
    raise ValueError(f"{what} must be a date YYYY-MM-DD")


def _as_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or int(value) != value or value < 0:
        raise ValueError(f"{what} must be a whole number >= 0")
    return int(value)


def _as_number(value: Any, what: str) -> str:
    if isinstance(value, (bool, dt.date)):
        raise ValueError(f"{what} must be a number")
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValueError(f"{what} must be a number") from exc
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number")
    return str(number)


class Answer(StrictModel):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    text: Texts


class Validation(StrictModel):
    min: Bound = None
    max: Bound = None
    regex: Annotated[str, Field(min_length=1, max_length=1000)] | None = None

    @field_validator("regex")
    @classmethod
    def _compiles_on_re2(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re2.compile(value)
            except re2.error as exc:
                raise ValueError(f"regex does not compile on RE2 (linear-time engine): {exc}") from exc
        return value


class Question(StrictModel):
    id: Id
    type: Literal["TEXT", "SINGLE", "MULTI", "NUMBER", "DATE"]
    text: Texts
    answers: list[Answer] = []
    can_skip: StrictBool = False
    example: Annotated[str, Field(max_length=255)] | None = None
    birthdate: StrictBool = False
    validation: Validation = Validation()

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        choice = self.type in ("SINGLE", "MULTI")
        if choice and not self.answers:
            raise ValueError(f"a {self.type} question needs answers")
        if not choice and self.answers:
            raise ValueError(f"a {self.type} question takes no answers list")
        if self.birthdate and self.type != "DATE":
            raise ValueError("birthdate applies to DATE questions only")
        dupes = find_duplicates([a.code for a in self.answers], path="answers", key="code", what="code")
        if dupes:
            raise ValueError(dupes[0][1])
        v = self.validation
        if self.type in ("TEXT", "SINGLE", "MULTI") or self.birthdate:
            low = None if v.min is None else _as_int(v.min, "validation.min")
            high = None if v.max is None else _as_int(v.max, "validation.max")
            if self.type == "SINGLE":
                low, high = 1 if low is None else low, 1 if high is None else high
            if self.type == "MULTI":
                low, high = 1 if low is None else low, len(self.answers) if high is None else high
            if choice and high is not None and high > len(self.answers):
                raise ValueError("validation.max exceeds the number of answers")
        elif self.type == "NUMBER":
            least = None if v.min is None else _as_number(v.min, "validation.min")
            most = None if v.max is None else _as_number(v.max, "validation.max")
            if least is not None and most is not None and Decimal(least) > Decimal(most):
                raise ValueError("validation.min is above validation.max")
            self.validation = Validation(min=least, max=most, regex=v.regex)
            return self
        else:
            first = None if v.min is None else _as_date(v.min, "validation.min")
            last = None if v.max is None else _as_date(v.max, "validation.max")
            if first is not None and last is not None and first > last:
                raise ValueError("validation.min is above validation.max")
            self.validation = Validation(min=first, max=last, regex=v.regex)
            return self
        if low is not None and high is not None and low > high:
            raise ValueError("validation.min is above validation.max")
        self.validation = Validation(min=low, max=high, regex=v.regex)
        return self


class Range(StrictModel):
    min: Bound = None
    max: Bound = None


class SurveyQuestion(StrictModel):
    id: Id
    # SINGLE/MULTI: the codes that qualify; NUMBER/DATE: {min, max}; absent: never screens out.
    qualifying: list[Annotated[str, Field(min_length=1)]] | Range | None = None


class Category(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=255)]
    name_internal: Annotated[str, Field(min_length=1, max_length=255)]
    icon_name: Annotated[str, Field(max_length=255)] = ""
    icon_url: Annotated[str, Field(max_length=2048)] = ""


class Cap(StrictModel):
    completes: Annotated[int, Field(ge=0)] | None = None
    open_clicks: Annotated[int, Field(ge=0)] | None = None


class Quota(Cap):
    countries: dict[Country, Cap] = {}


class Survey(StrictModel):
    id: Id
    cpi: Money
    loi: Annotated[float, Field(gt=0, le=600)]
    country: Country
    language: Lang
    rating: Annotated[int, Field(ge=1, le=5)]
    category: Category
    entry_url: Url
    questions: list[SurveyQuestion] = []
    quota: Quota = Quota()


class StartBonus(StrictModel):
    id: Id = "start-bonus"
    reward: Money
    loi: Annotated[float, Field(gt=0, le=600)] = 1.0
    rating: Annotated[int, Field(ge=1, le=5)] = 5
    category: Category = Category(name="Profile", name_internal="profile", icon_name="user")
    questions: Annotated[list[Id], Field(min_length=1)]


# A CSS colour or gradient as the SDKs read it ("#1a73e8", "linear-gradient(90deg, #1a73e8 0%, #6c2bd9
# 100%)"); no ';', '{' or quotes, so a value cannot break out of the style it is written into.
CssColor = Annotated[str, Field(pattern=r"^[#(),.%\sA-Za-z0-9-]{1,200}$")]


class Theme(StrictModel):
    """One colour scheme of the app settings (``app.visual.{light|dark}.*``)."""

    navigation_color: CssColor = "#1a73e8"
    background_color: CssColor = "#f5f7fb"
    interaction_color: CssColor = "#1a73e8"
    survey_icon_color: CssColor = "#1a73e8"


class Currency(StrictModel):
    symbol: Annotated[str, Field(min_length=1, max_length=2048)] = "Coins"
    symbol_is_image: StrictBool = False  # then symbol is the image's URL
    floor_decimal: StrictBool = False  # show rewards rounded down to whole units

    @model_validator(mode="after")
    def _image_is_a_url(self) -> Currency:
        if self.symbol_is_image and not re2.match(r"^https?://[^\s\"'<>]+$", self.symbol):
            raise ValueError("symbol must be an http(s) URL when symbol_is_image is true")
        return self


class AppSettings(StrictModel):
    """What the SDKs load from ``/api/public/v1/apps/{token}`` and the hosted offerwall is themed with."""

    light: Theme = Theme()
    dark: Theme = Theme(navigation_color="#202124", background_color="#121212", interaction_color="#8ab4f8")
    currency: Currency = Currency()


class SurveysSection(StrictModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, serialize_by_alias=True)

    currency_factor: Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=4)] = Decimal(1)
    termination_url: Url
    start_bonus_url: Url | None = None
    callback_url: Annotated[Url, AfterValidator(outbound_url)] | None = None  # the server calls it
    callback_secret: Annotated[str, Field(min_length=8, max_length=255)] | None = Field(
        default=None, json_schema_extra=SECRET
    )
    screenout_reward: Money | None = None
    questions: list[Question] = []
    profile_questions: list[Id] = []
    surveys: list[Survey] = Field(default=[], alias="list")  # the document's key is "list"
    start_bonus: StartBonus | None = None
    app_settings: AppSettings = AppSettings()
    # A click of the same user (app, user id) on the same survey within this many seconds of their last
    # one is kept with the verdict "duplicate" (0: never); it opens as any other.
    duplicate_window_seconds: Annotated[int, Field(ge=0, le=30 * 86400)] = 1800


def check_references(section: SurveysSection) -> list[tuple[str, str]]:
    """Cross-references inside the section, with exact paths (apply raises them as a ConfigError)."""
    problems = find_duplicates([q.id for q in section.questions], path="questions", key="id", what="id")
    problems += find_duplicates([s.id for s in section.surveys], path="list", key="id", what="survey id")
    bank = {q.id: q for q in section.questions}
    for i, qid in enumerate(section.profile_questions):
        if qid not in bank:
            problems.append((f"profile_questions[{i}]", f"unknown question '{qid}'"))
    if section.start_bonus is not None:
        if section.start_bonus_url is None:
            problems.append(("start_bonus_url", "required when start_bonus is set"))
        if section.start_bonus.id in {s.id for s in section.surveys}:
            problems.append(("start_bonus.id", f"'{section.start_bonus.id}' is also a survey id"))
        for i, qid in enumerate(section.start_bonus.questions):
            if qid not in bank:
                problems.append((f"start_bonus.questions[{i}]", f"unknown question '{qid}'"))
    if (section.callback_url is None) != (section.callback_secret is None):
        problems.append(("callback_secret", "callback_url and callback_secret go together"))
    for i, survey in enumerate(section.surveys):
        seen: set[str] = set()
        for j, ref in enumerate(survey.questions):
            path = f"list[{i}].questions[{j}]"
            question = bank.get(ref.id)
            if question is None:
                problems.append((f"{path}.id", f"unknown question '{ref.id}'"))
                continue
            if ref.id in seen:
                problems.append((f"{path}.id", f"question '{ref.id}' is asked twice"))
            seen.add(ref.id)
            problems += _check_qualifying(ref, question, f"{path}.qualifying")
    return problems


def _check_qualifying(ref: SurveyQuestion, question: Question, path: str) -> list[tuple[str, str]]:
    q = ref.qualifying
    if q is None:
        return []
    if question.type in ("SINGLE", "MULTI"):
        if not isinstance(q, list):
            return [(path, f"a {question.type} question qualifies on a list of answer codes")]
        codes = {a.code for a in question.answers}
        return [(f"{path}[{k}]", f"unknown answer code '{c}'") for k, c in enumerate(q) if c not in codes]
    if question.type == "TEXT" or not isinstance(q, Range):
        what = "cannot qualify" if question.type == "TEXT" else "qualifies on {min, max}"
        return [(path, f"a {question.type} question {what}")]
    try:
        if question.type == "NUMBER" or question.birthdate:
            conv = (lambda v, w: _as_number(v, w)) if question.type == "NUMBER" else _as_int
            low = None if q.min is None else conv(q.min, "min")
            high = None if q.max is None else conv(q.max, "max")
        else:
            low = None if q.min is None else _as_date(q.min, "min")
            high = None if q.max is None else _as_date(q.max, "max")
    except ValueError as exc:
        return [(path, str(exc))]
    ref.qualifying = Range(min=low, max=high)
    return []
