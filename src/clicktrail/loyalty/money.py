"""Money as Decimal: parsed once at the edge, rounded half-up to the cent, stored as integer cents,
written on the wire as strings with two decimals, and shown to shoppers in their locale."""

from __future__ import annotations

from collections import OrderedDict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel import Locale, UnknownLocaleError, localedata
from babel.numbers import format_currency

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000")  # ten million currency units in one basket is a typo, not a sale
BABEL_LOCALES_KEPT = 32  # locale data sets (a locale and each of its parents) held in memory at once


class _RecentLocales(OrderedDict):
    """Babel's per-process cache of locale data (``babel.localedata._cache``), bounded: Babel loads a
    locale's data (~0.4 MB) on its first use and keeps it for good, so shoppers naming many of its
    ~1,000 locales would grow the process by up to ~190 MB. The least recently used is dropped and
    loaded again from its file (about a millisecond) if asked for later. Babel calls ``get`` and sets
    items under its own lock."""

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self:
            self.move_to_end(key)
        return super().get(key, default)

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > BABEL_LOCALES_KEPT:
            self.popitem(last=False)


if type(localedata._cache) is dict:  # a Babel whose cache is laid out otherwise is left alone
    localedata._cache = _RecentLocales(localedata._cache)


def parse_amount(value: Any) -> Decimal:
    """A non-negative amount from a JSON string or number, rounded half-up to the cent."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError('must be a decimal amount such as "46.50"')
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError('must be a decimal amount such as "46.50"') from exc
    if not amount.is_finite():
        raise ValueError("must be a finite amount")
    if amount < 0:
        raise ValueError("must not be negative")
    if amount > MAX_AMOUNT:
        raise ValueError(f"must be at most {MAX_AMOUNT}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: Decimal) -> int:
    return int(amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def wire(cents: int) -> str:
    """Two decimals, as a string: 4650 → "46.50"."""
    return str(from_cents(cents))


def points_for(cents: int, points_per_unit: Decimal) -> int:
    """Base points earned for an amount: whole points only, fractions are not earned."""
    return int((from_cents(cents) * points_per_unit).to_integral_value(rounding=ROUND_DOWN))


def normalize_locale(value: str | None) -> str | None:
    """``en-CA`` / ``en_CA`` → ``en-CA``; None when Babel does not know it."""
    if not value or not isinstance(value, str) or len(value) > 32:
        return None
    try:
        return str(Locale.parse(value.strip().replace("-", "_"))).replace("_", "-")
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def format_money(cents: int, currency: str, locale: str) -> str:
    """How a shopper reads an amount: 350 USD in en-US → "$3.50", in fr-CA → "3,50 $ US"."""
    return format_currency(from_cents(cents), currency, locale=locale.replace("-", "_"))


def pick_message(messages: dict[str, str], locale: str, fallback: str) -> str:
    """The offer text for a locale: exact tag, then its language, then the app's locale, then English,
    then the first one configured."""
    for tag in (locale, locale.split("-")[0], fallback, fallback.split("-")[0], "en"):
        if tag in messages:
            return messages[tag]
    return next(iter(messages.values()))
