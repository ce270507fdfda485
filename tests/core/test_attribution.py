"""The attribution every family reads off a click or scan URL: UTM fields, sub-ids and ad click ids."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from clicktrail.core.enrich import attribution
from clicktrail.core.enrich.attribution import NulInValue


def test_every_field_is_read_from_a_query_first_value_first():
    query = "utm_source=news&utm_source=other&sub3=x&gclid=Cj0&fbclid=IwAR&msclkid=9f&utm_term=a%20b"
    found = attribution.from_params(parse_qs(query))
    assert found == {
        "utm_source": "news",
        "utm_term": "a b",
        "sub3": "x",
        "gclid": "Cj0",
        "fbclid": "IwAR",
        "msclkid": "9f",
    }


def test_subid_alias_is_sub1_unless_sub1_is_given():
    assert attribution.from_params({"subid": ["a"]}) == {"sub1": "a"}
    assert attribution.from_params({"sub_id": ["a"], "sub1": ["b"]}) == {"sub1": "b"}


def test_empty_values_are_none_and_long_values_are_cut():
    found = attribution.from_params({"utm_source": [""], "sub2": ["x" * 300]})
    assert found == {"sub2": "x" * attribution.VALUE_LENGTH}


def test_a_nul_is_refused_naming_the_field():
    with pytest.raises(NulInValue) as refused:
        attribution.from_params({"fbclid": ["a\x00b"]})
    assert refused.value.name == "fbclid"


def test_from_uri_reads_the_query_and_drops_nul_values():
    assert attribution.from_uri("https://x.test/p?utm_medium=cpc&msclkid=abc&other=1") == {
        "utm_medium": "cpc",
        "msclkid": "abc",
    }
    assert attribution.from_uri("https://x.test/p?gclid=a%00b") == {}
    assert attribution.from_uri("http://[bad/p?gclid=1") == {}


def test_columns_name_every_field_and_given_only_the_set_ones():
    row = attribution.columns({"gclid": "g"})
    assert set(row) == set(attribution.FIELDS) and row["gclid"] == "g" and row["sub1"] is None
    assert attribution.given(row) == {"gclid": "g"}


@pytest.mark.parametrize(
    ("fields", "network"),
    [
        ({"gclid": "g"}, "google_ads"),
        ({"fbclid": "f"}, "meta_ads"),
        ({"msclkid": "m"}, "microsoft_ads"),
        ({"fbclid": "f", "gclid": "g"}, "google_ads"),
        ({"utm_source": "x"}, None),
    ],
)
def test_the_ad_network_is_named_by_the_click_id(fields, network):
    assert attribution.ad_network(fields) == network
    dims = attribution.dimensions(fields)
    assert dims["ad_network"] == network and set(dims) == set(attribution.COUNTED)
