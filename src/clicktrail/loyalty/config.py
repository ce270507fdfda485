"""The ``loyalty:`` section of the config document (DESIGN §5): earn rate, near-miss window and offers."""

from __future__ import annotations

import string
from decimal import Decimal
from typing import Annotated

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name
from pydantic import AfterValidator, Field, model_validator

from ..core.config.document import Name, StrictModel, find_duplicates

PLACEHOLDERS = ("gap", "threshold", "bonus_points")


def _places(limit: int):
    def check(value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("must be a finite number")
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > limit:
            raise ValueError(f"at most {limit} decimal places")
        return value

    return check


Amount = Annotated[Decimal, Field(ge=0, le=Decimal("10000000")), AfterValidator(_places(2))]
Rate = Annotated[Decimal, Field(ge=0, le=Decimal("100000")), AfterValidator(_places(4))]


def _locale(value: str) -> str:
    try:
        return str(Locale.parse(value.replace("-", "_"))).replace("_", "-")
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"unknown locale '{value}'") from exc


def _currency(value: str) -> str:
    code = value.upper()
    if len(code) != 3 or get_currency_name(code, locale="en") == code:
        raise ValueError(f"unknown ISO 4217 currency '{value}'")
    return code


def _message(value: str) -> str:
    try:
        names = [field for _, field, _, _ in string.Formatter().parse(value) if field is not None]
    except ValueError as exc:
        raise ValueError(f"malformed placeholder: {exc}") from exc
    for name in names:
        if name not in PLACEHOLDERS:
            raise ValueError(f"unknown placeholder '{{{name}}}' (allowed: {', '.join(PLACEHOLDERS)})")
    return value


LocaleTag = Annotated[str, AfterValidator(_locale)]
Message = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_message)]


class OfferSpec(StrictModel):
    id: Name
    threshold: Annotated[Amount, Field(gt=0)]
    bonus_points: Annotated[int, Field(ge=0, le=100_000_000)]
    # locale (``en``, ``fr-CA``) → text; ``{gap}`` is filled with the shortfall in the session's locale.
    message: Annotated[dict[LocaleTag, Message], Field(min_length=1)]


class LoyaltySection(StrictModel):
    points_per_unit: Rate = Decimal(1)
    near_miss_window: Amount = Decimal(0)
    currency: Annotated[str, AfterValidator(_currency)] = "USD"
    locale: LocaleTag = "en-US"  # used when a session or trial names no (valid) locale
    offers: list[OfferSpec] = []

    @model_validator(mode="after")
    def _unique_offers(self) -> LoyaltySection:
        problems = find_duplicates([o.id for o in self.offers], path="offers", key="id", what="offer id")
        if problems:
            raise ValueError("; ".join(f"{path}: {msg}" for path, msg in problems))
        return self
