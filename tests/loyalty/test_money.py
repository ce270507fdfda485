"""Shoppers' locales: Babel's locale data stays bounded in memory however many locales are used."""

from __future__ import annotations

from babel import localedata

from clicktrail.loyalty.money import BABEL_LOCALES_KEPT, format_money


def test_babel_keeps_a_bounded_number_of_locales():
    for locale in localedata.locale_identifiers()[:200]:
        format_money(350, "USD", locale)
    assert len(localedata._cache) <= BABEL_LOCALES_KEPT
    assert format_money(350, "USD", "en-US") == "$3.50"  # dropped ones load again
    assert format_money(350, "USD", "fr-CA") == "3,50\xa0$\xa0US"
