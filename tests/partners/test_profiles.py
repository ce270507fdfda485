"""A profile's country from its phone number: the same code and English name as phonenumbers' geocoder
gives, without the geocoder's ~100 MB prefix table in the server process."""

from __future__ import annotations

import subprocess
import sys

import phonenumbers
import pytest

from clicktrail.partners.profiles import _country

NUMBERS = [
    "+9876543210",  # Iran
    "+14155552671",  # US
    "+18005551234",  # toll-free: valid in several +1 regions, so no name
    "+12684601234",  # Antigua and Barbuda ("*aa" entry of the locale table)
    "+12685551234",  # +1 268 but not a valid number there
    "+447911123456",
    "+441481123456",  # Guernsey
    "+441624123456",  # Isle of Man
    "+79161234567",
    "+77012345678",  # Kazakhstan
    "+262262123456",  # Réunion
    "+262269612345",  # Mayotte
    "+420212345678",  # Czech Republic
    "+85212345678",  # Hong Kong
    "+80012345678",  # international freephone: region 001
    "+3912345",
]


@pytest.mark.parametrize("number", NUMBERS)
def test_country_matches_the_geocoder(number):
    from phonenumbers import geocoder

    parsed = phonenumbers.parse(number, None)
    region = phonenumbers.region_code_for_number(parsed)
    fallback = ("ZZ", "Click country")
    expected = (
        (region, geocoder.country_name_for_number(parsed, "en") or None)
        if region and region != "001"
        else fallback
    )
    assert _country([{"key": "phone", "value": number}], fallback) == expected


def test_the_app_does_not_import_the_geocoder():
    code = "import sys, clicktrail.app; print(sorted(m for m in sys.modules if 'phonenumbers.geo' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
