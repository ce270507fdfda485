"""Typed errors that services raise. They carry meaning (code, message, details), never HTTP or JSON:
each family renders them in its vendor's envelope."""

from __future__ import annotations

from typing import Any


class ClicktrailError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details or {}


class InvalidInput(ClicktrailError):
    """The request is malformed or breaks a rule that needs no state (400)."""

    code = "invalid_input"


class Unprocessable(ClicktrailError):
    """The request is well-formed but the action is refused by a rule that needs state (422)."""

    code = "unprocessable"


class Unauthorized(ClicktrailError):
    code = "unauthorized"


class Forbidden(ClicktrailError):
    code = "forbidden"


class NotFound(ClicktrailError):
    code = "not_found"


class Conflict(ClicktrailError):
    code = "conflict"


class Unavailable(ClicktrailError):
    code = "unavailable"


class ConfigError(ClicktrailError):
    """A config document was refused; ``problems`` lists (path, message), e.g.
    ``("apps[0].credentials[1].scopes[0]", "unknown scope 'survey' (...)")``."""

    code = "invalid_config"

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {msg}" if path else msg for path, msg in problems))


class RequestTimeout(ClicktrailError):
    """The client sent its body too slowly (408)."""

    code = "request_timeout"


class PayloadTooLarge(ClicktrailError):
    code = "payload_too_large"


class TooManyRequests(ClicktrailError):
    """A rate limit: ``details["retry_after"]`` seconds until the next request may pass (429)."""

    code = "too_many_requests"


class MethodNotAllowed(ClicktrailError):
    code = "method_not_allowed"


class Internal(ClicktrailError):
    code = "internal"


_STATUS: dict[type[ClicktrailError], int] = {
    InvalidInput: 400,
    ConfigError: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    MethodNotAllowed: 405,
    RequestTimeout: 408,
    Conflict: 409,
    PayloadTooLarge: 413,
    Unprocessable: 422,
    TooManyRequests: 429,
    Internal: 500,
    Unavailable: 503,
}


def status_of(error: ClicktrailError) -> int:
    """The HTTP status an error means, found along its MRO (a family may still choose another)."""
    for cls in type(error).__mro__:
        if cls in _STATUS:
            return _STATUS[cls]
    return 500


ECHO_LIMIT = 100  # characters of a client's value an error message repeats


def shorten(value: object, limit: int = ECHO_LIMIT) -> str:
    """``value`` as text, cut to ``limit`` characters (and "…"): an error body never echoes unbounded
    input back."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


MESSAGE_LIMIT = 1000  # characters of any error message, whatever it quotes


def bounded(error: ClicktrailError) -> ClicktrailError:
    """``error`` with its message and field messages cut to ``MESSAGE_LIMIT``: the renderers' safety net
    for a message that quotes a client's value whole."""
    error.message = shorten(error.message, MESSAGE_LIMIT)
    fields = error.details.get("fields")
    if isinstance(fields, dict):
        error.details["fields"] = {
            shorten(key, ECHO_LIMIT): [shorten(m, MESSAGE_LIMIT) for m in messages]
            for key, messages in fields.items()
        }
    return error
