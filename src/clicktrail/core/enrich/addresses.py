"""IP address text, checked and classified without building ``ipaddress`` objects for the common case (a
dotted-quad IPv4 address): on the ingest hot path the standard library's parsing and its walk over the
special-purpose networks cost more than the rest of a click's enrichment. Answers are the standard
library's own; other forms (IPv6, mapped addresses) go through it."""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_right

# A dotted quad with no leading zeros: exactly the text ``str(ipaddress.IPv4Address(...))`` gives.
_CANONICAL_IPV4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
)


def canonical_ip(text: str) -> str:
    """The address in its canonical form; ValueError when ``text`` is not an IPv4 or IPv6 address."""
    if _CANONICAL_IPV4.fullmatch(text):
        return text
    return str(ipaddress.ip_address(text))


def public_address(text: str) -> str | None:
    """The address when it is a public unicast one, as text (an IPv4-mapped IPv6 address as its IPv4
    address), else None (private, loopback, reserved, multicast, or not an address)."""
    if _CANONICAL_IPV4.fullmatch(text):
        return text if _public_ipv4(_ipv4_number(text)) else None
    addr = parsed_address(text)
    return str(addr) if addr is not None and _is_public(addr) else None


def parsed_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``text`` holds (an IPv4-mapped IPv6 address as its IPv4 address), None when it holds
    none."""
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def _is_public(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return addr.is_global and not addr.is_multicast


def _ipv4_number(text: str) -> int:
    a, b, c, d = text.split(".")
    return int(a) << 24 | int(b) << 16 | int(c) << 8 | int(d)


def _special_ipv4_networks() -> list[ipaddress.IPv4Network]:
    """Every network the standard library's IPv4 predicates consult (whatever this Python's version)."""
    found: list[ipaddress.IPv4Network] = []
    constants = vars(ipaddress)["_IPv4Constants"]  # the tables the predicates consult
    for value in vars(constants).values():
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, ipaddress.IPv4Network):
                found.append(item)
            elif isinstance(item, ipaddress.IPv4Address):
                found.append(ipaddress.IPv4Network(item))
    return found


def _public_ranges() -> tuple[list[int], list[bool]]:
    """The IPv4 space cut at every boundary of those networks: within a piece each predicate is
    constant, so one answer of the standard library per piece answers for all of it."""
    cuts = {0}
    for network in _special_ipv4_networks():
        cuts.add(int(network.network_address))
        cuts.add(int(network.broadcast_address) + 1)
    starts = sorted(cut for cut in cuts if cut < 1 << 32)
    return starts, [_is_public(ipaddress.IPv4Address(start)) for start in starts]


_STARTS, _PUBLIC = _public_ranges()


def _public_ipv4(number: int) -> bool:
    return _PUBLIC[bisect_right(_STARTS, number) - 1]
