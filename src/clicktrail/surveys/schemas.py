"""The vendor's wire shapes (BitLabs v2), pydantic v2. Extra properties are allowed, as documented."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from ..core.web.errors import Unprocessable
from .service import Action


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class AnswerQuestion(Loose):
    answers: list[str] = Field(max_length=100)


class LeaveSurvey(Loose):
    reason: Any = None  # checked by the service: a bad reason is 422 INVALID_REASON


class ClickUpdate(Loose):
    """Body of ``POST /v2/client/clicks/{clickId}``: one of answer_question, skip_question, leave_survey."""

    answer_question: AnswerQuestion | None = None
    skip_question: StrictBool | None = None
    leave_survey: LeaveSurvey | None = None
    rate_survey: dict[str, Any] | None = Field(default=None, description="Deprecated; accepted and ignored.")
    sc_token: str | None = None

    def action(self) -> Action:
        chosen = [
            name
            for name, present in (
                ("answer_question", self.answer_question is not None),
                ("skip_question", self.skip_question is True),
                ("leave_survey", self.leave_survey is not None),
            )
            if present
        ]
        if len(chosen) > 1:
            raise Unprocessable(
                f"send one action per request, not {' and '.join(chosen)}", code="INVALID_ACTION"
            )
        if not chosen:
            if self.rate_survey is not None:
                return Action(kind="rate")
            raise Unprocessable(
                "send one of answer_question, skip_question or leave_survey", code="INVALID_ACTION"
            )
        if self.answer_question is not None:
            return Action(kind="answer", answers=tuple(self.answer_question.answers))
        if self.leave_survey is not None:
            reason = self.leave_survey.reason
            return Action(kind="leave", reason=reason if isinstance(reason, str) else None)
        return Action(kind="skip")


class Envelope(BaseModel):
    """What every success answer carries beside ``data`` (the SDKs require both)."""

    status: Literal["success"] = "success"
    trace_id: str = Field(examples=["1dc6786b10a62ec6"])


class Category(BaseModel):
    name: str
    icon_name: str
    icon_url: str
    name_internal: str


class SurveyDetails(BaseModel):
    id: str
    cpi: str
    value: str
    loi: float
    country: str = Field(
        description='ISO 3166-1 alpha-2; "" when unknown (never null: the SDKs require a string)'
    )
    language: str = Field(description="ISO 639-1")
    rating: int
    category: Category


class AnswerOption(BaseModel):
    code: str
    localized_text: str


class ValidationInfo(BaseModel):
    min: int | float | str | None
    max: int | float | str | None
    regex: str | None


class Question(BaseModel):
    id: str
    language: str
    type: Literal["TEXT", "SINGLE", "MULTI", "NUMBER", "DATE"]
    localized_text: str
    answers: list[AnswerOption]
    can_skip: bool
    is_duplicate: bool
    example: str | None
    validation_info: ValidationInfo


class AnswerQuestionState(BaseModel):
    question: Question


class Redirect(BaseModel):
    url: str
    type: Literal["termination", "survey", "start_bonus"]


class ClickState(BaseModel):
    answer_question: AnswerQuestionState | None = None
    redirect: Redirect | None = None
    answered_questions: int
    required_questions: int
    click_type: Literal["survey", "start_bonus"]
    question_mode: Literal["default", "first"]
    survey_details: SurveyDetails


class ClickStateEnvelope(Envelope):
    data: ClickState


class ClickCreated(BaseModel):
    id: str


class ClickCreatedEnvelope(Envelope):
    data: ClickCreated


class SurveyItem(BaseModel):
    id: str
    type: Literal["survey", "start_bonus"]
    click_url: str
    cpi: str
    value: str
    loi: float
    country: str = Field(
        description='ISO 3166-1 alpha-2; "" when unknown (never null: the SDKs require a string)'
    )
    language: str = Field(description="ISO 639-1")
    rating: int
    category: Category
    tags: list[str]


class SurveyList(BaseModel):
    restriction_reason: dict[str, Any] | None
    surveys: list[SurveyItem]


class SurveyListEnvelope(Envelope):
    data: SurveyList


class EmptyEnvelope(Envelope):
    data: dict[str, Any]


class Outcome(BaseModel):
    id: str
    status: str
    end_reason: str | None


class OutcomeEnvelope(Envelope):
    data: Outcome


FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class LanguagePreference:
    """``Accept-Language`` read whole: primary subtags most preferred first, and those refused (q=0)."""

    preferred: tuple[str, ...] = ()
    refused: frozenset[str] = frozenset()

    def rank(self, language: str | None) -> int | None:
        """Where a survey in ``language`` goes in a listing (lower first), or None to leave it out.

        The user's languages come in the order of their weights; a survey in English, the wall's
        fallback, comes after them unless the header refuses English (``en;q=0``): a device that lists
        only German (iOS sends the device's own list) still sees the English surveys, after the German
        ones. Other languages are left out. With no header every survey is listed."""
        if not self.preferred and not self.refused:
            return 0
        if language in self.preferred:
            return self.preferred.index(language)
        if language in (None, FALLBACK_LANGUAGE) and FALLBACK_LANGUAGE not in self.refused:
            return len(self.preferred)
        return None


def language_preference(header: str | None) -> LanguagePreference:
    """Parse ``Accept-Language`` (at most 20 parts; malformed parts skipped)."""
    if not header:
        return LanguagePreference()
    ranked: list[tuple[float, int, str]] = []
    refused: set[str] = set()
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().split("-")[0].lower()
        if len(primary) != 2 or not primary.isalpha() or not primary.isascii():
            continue
        q = _quality(params)
        if q is None:
            continue
        if q > 0:
            ranked.append((-q, index, primary))
        else:
            refused.add(primary)
    preferred = tuple(dict.fromkeys(lang for _, _, lang in sorted(ranked)))
    return LanguagePreference(preferred, frozenset(refused - set(preferred)))


def _quality(params: str) -> float | None:
    params = params.strip()
    if not params.startswith("q="):
        return 1.0
    try:
        q = float(params[2:])
    except ValueError:
        return None
    return q if 0 <= q <= 1 else None


def accept_languages(header: str | None) -> list[str]:
    """``Accept-Language`` as primary subtags, most preferred first (q=0 dropped, malformed parts skipped)."""
    return list(language_preference(header).preferred)
