"""Which methods the app's routes serve at a request's path: for the ``Allow`` of a 405 and an ``OPTIONS``
(the edge), and for whether an ``Idempotency-Key`` names a write the path has (the idempotency layer)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import Scope


def methods_of(scope: Scope, routes: Sequence[BaseRoute]) -> set[str]:
    methods: set[str] = set()
    for route in routes:
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return methods
