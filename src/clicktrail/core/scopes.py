"""The families this process serves, and the scopes they make: a credential's, an event's, a config
section's. Filled by the top layer (``clicktrail.families``) at start; core reads it and never imports a
family."""

from __future__ import annotations

from collections.abc import Iterable

_NAMES: list[str] = []  # filled by the top layer (clicktrail.families); core never imports a family


def register(names: Iterable[str]) -> None:
    """Name the families this process serves: scopes, config sections and event families follow."""
    for name in names:
        if name not in _NAMES:
            _NAMES.append(name)


def family_names() -> tuple[str, ...]:
    return tuple(_NAMES)


def scope_names() -> tuple[str, ...]:
    """The families of journey events: every family, and admin."""
    return (*_NAMES, "admin")


def credential_scopes() -> tuple[str, ...]:
    """A credential's possible scopes: every family, admin, and ``metrics`` (reads its own app's metrics,
    funnels, journeys, events and exports through the admin API: ``core.access``)."""
    return (*scope_names(), "metrics")
