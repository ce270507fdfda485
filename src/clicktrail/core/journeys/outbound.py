"""Outbound HTTP (webhooks, survey callbacks, partner postbacks) never reaches inside the network the server
runs in: loopback, private, link-local, multicast, unspecified and reserved addresses are refused, however
they are spelled (``2130706433``, ``127.1``, ``0x7f.1``, ``[::ffff:127.0.0.1]``), unless the operator's
``CLICKTRAIL_OUTBOUND_ALLOW`` ranges cover them (a receiver that is internal on purpose).

Two guards: config refuses a URL whose host is such an address written out (or ``localhost``), with the
path of the field; and the sending client resolves each host once, checks every address it got, and
connects to a checked one itself, so a name that resolves inside (or rebinds between check and connect)
gets nowhere. TLS still verifies the certificate for the URL's host name, and ``Host`` stays that name."""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import ssl
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

from ..config.settings import networks_of

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]
SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]

REFUSED = "refused: private address"  # a delivery's last_error; never says more about what is there
ALLOW_VARIABLE = "CLICKTRAIL_OUTBOUND_ALLOW"


class Refused(Exception):
    """The target resolves to an address outbound deliveries may not reach."""


def parse_networks(text: str | None) -> tuple[Network, ...]:
    """``"10.0.0.0/8, 127.0.0.1"`` → its networks (a bare address is its own /32 or /128)."""
    return networks_of(text)


# What config validation allows: ``create_app`` sets it from its settings (``allow``); otherwise (the CLI's
# apply) it is the environment's. Per process, as the settings are.
_allowed: tuple[Network, ...] | None = None


def allow(networks: Iterable[Network] | None) -> None:
    """Set the ranges config may name though internal (``None``: back to the environment's)."""
    global _allowed
    _allowed = None if networks is None else tuple(networks)


def allowed() -> tuple[Network, ...]:
    if _allowed is not None:
        return _allowed
    return parse_networks(os.environ.get(ALLOW_VARIABLE))


NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # a NAT64 gateway connects on to the IPv4 address inside


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped ``::ffff:a.b.c.d``, compatible ``::a.b.c.d``, NAT64,
    6to4, Teredo's client), which is where a connection to it ends up."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    compatible = int(address) >> 32 == 0 and int(address) > 1  # ::a.b.c.d, but not :: or ::1
    if compatible or address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    return address.teredo[1] if address.teredo is not None else None


def kind(address: IPAddress) -> str | None:
    """Why the address is inside (``"loopback"``, ``"private"``, …), or None for a public one."""
    inner = _embedded_ipv4(address)
    if inner is not None:
        return kind(inner)
    for name in ("loopback", "unspecified", "link_local", "multicast", "private", "reserved"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    return None if address.is_global else "non-public"


def permitted(address: IPAddress, networks: Iterable[Network]) -> bool:
    plain = _embedded_ipv4(address) or address
    if any(plain in net or address in net for net in networks):
        return True
    return kind(address) is None


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as one stands for, in any spelling the system resolver reads as a
    number (what the HTTP client connects to): ``127.1``, ``2130706433``, ``0177.0.0.1``, ``0x7f.1``."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    return ipaddress.ip_address(found[0][4][0]) if found else None


def config_problem(url: str) -> str | None:
    """Why config refuses this outbound URL (its host is an internal address written out), or None."""
    authority = re.split(r"[/?#]", url.partition("://")[2], maxsplit=1)[0]
    if "{" in authority or "[%" in authority:  # a click's or a user's value would pick the host
        return "the host and port may not hold a placeholder"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None  # not a URL: the field's own pattern says so
    if not host:
        return None
    named = host.rstrip(".") == "localhost" or host.rstrip(".").endswith(".localhost")
    address = ipaddress.IPv4Address("127.0.0.1") if named else literal_address(host)
    if address is None or permitted(address, allowed()):
        return None
    return (
        f"refused: {host} is an internal address ({kind(address)}); outbound deliveries do not reach"
        f" inside the network unless {ALLOW_VARIABLE} covers it"
    )


def outbound_url(value: str) -> str:
    """A config field's validator (``AfterValidator``) for a URL the server calls."""
    problem = config_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def hide_userinfo(url: str) -> str:
    """The URL with any ``user:password@`` replaced by ``********@`` (for answers and reports)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="********@" + parts.netloc.rpartition("@")[2]).geturl()


def where(url: str) -> str:
    """A target for the log: scheme, host[:port] and path; no user info, no query (callback URLs carry
    user ids and signatures)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


def system_resolve(host: str, port: int) -> list[str]:
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves once, refuses unless every address is permitted, and connects to a checked address."""

    def __init__(self, networks: Iterable[Network], resolve: Resolver = system_resolve) -> None:
        self.networks = tuple(networks)
        self.resolve = resolve
        self._inner = httpcore.SyncBackend()

    def checked(self, host: str, port: int) -> list[str]:
        host = host.strip("[]")
        try:
            addresses = self.resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        parsed = [ipaddress.ip_address(a.split("%")[0]) for a in addresses]
        if not parsed or not all(permitted(a, self.networks) for a in parsed):
            raise Refused(host)
        return addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.checked(host, port)
        for address in addresses[:-1]:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError:
                continue
        return self._inner.connect_tcp(addresses[-1], port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[SocketOption] | None = None
    ) -> httpcore.NetworkStream:
        raise Refused(path)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport on a :class:`GuardedBackend`; never through an environment proxy."""

    def __init__(self, backend: GuardedBackend, verify: ssl.SSLContext | bool = True) -> None:
        super().__init__(verify=verify, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False), network_backend=backend
        )


def client(
    networks: Iterable[Network] = (),
    *,
    timeout: float = 10.0,
    resolve: Resolver = system_resolve,
    verify: ssl.SSLContext | bool = True,
) -> httpx.Client:
    """The HTTP client deliveries go out through: redirects are not followed (a redirect would be a
    second, unchecked target)."""
    transport = GuardedTransport(GuardedBackend(networks, resolve), verify=verify)
    return httpx.Client(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False)
