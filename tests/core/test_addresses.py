"""The fast IPv4 answers of ``core.addresses`` are the standard library's, address for address: at every
boundary of its special-purpose networks, beside them, and at random."""

from __future__ import annotations

import ipaddress
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clicktrail.core.enrich.addresses import _STARTS, canonical_ip, public_address


def expected_public(text: str) -> str | None:
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return str(addr) if addr.is_global and not addr.is_multicast else None


def around_boundaries() -> list[str]:
    numbers = {n + d for n in _STARTS for d in (-1, 0, 1) if 0 <= n + d < 1 << 32}
    return [str(ipaddress.IPv4Address(n)) for n in sorted(numbers)]


def test_every_boundary_and_its_neighbours_agree_with_the_standard_library():
    for text in around_boundaries():
        assert public_address(text) == expected_public(text), text


@given(st.integers(min_value=0, max_value=(1 << 32) - 1))
def test_any_ipv4_address_agrees(number):
    text = str(ipaddress.IPv4Address(number))
    assert canonical_ip(text) == text
    assert public_address(text) == expected_public(text)


@pytest.mark.parametrize(
    "text",
    ["8.8.8.8", "10.1.2.3", "100.64.0.1", "224.0.0.1", "::ffff:8.8.8.8", "::ffff:10.0.0.1", "2a00:1450::1",
     "fe80::1", "2001:db8::1", "::1", "not-an-ip", "1.2.3", "01.2.3.4", "256.1.1.1", "1.2.3.4 "],
)  # fmt: skip
def test_other_forms_go_through_the_standard_library(text):
    assert public_address(text) == expected_public(text)


def test_canonical_form():
    assert canonical_ip("2A00:1450:0:0::1") == "2a00:1450::1"
    assert canonical_ip("93.184.216.34") == "93.184.216.34"
    for bad in ("01.2.3.4", "1.2.3", "256.0.0.1", "", "1.2.3.4.5", "::g"):
        with pytest.raises(ValueError):
            canonical_ip(bad)


def test_random_dotted_quads_agree():
    rng = random.Random(7)
    for _ in range(20_000):
        text = ".".join(str(rng.randrange(256)) for _ in range(4))
        assert public_address(text) == expected_public(text)
