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


class Gone(ClicktrailError):
    """What the request names existed but has ended, with nowhere else to send it (410)."""

    code = "gone"


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
    Gone: 410,
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
MESSAGE_LIMIT = 1000


def clip(value: object, limit: int = ECHO_LIMIT) -> str:
    """A client's value as an error message repeats it: at most ``limit`` characters."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def encodable(text: str) -> str:
    """``text`` as UTF-8 can carry it: a lone surrogate (which JSON encoders refuse) spelled ``\\ud800``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def printable(error: ClicktrailError) -> ClicktrailError:
    """The last guard before an envelope renders ``error``: every text it shows encodable and bounded,
    whatever a message built from a client's value holds."""
    error.message = encodable(clip(error.message, MESSAGE_LIMIT))
    fields = error.details.get("fields")
    if isinstance(fields, dict):
        error.details["fields"] = {
            encodable(clip(key)): [encodable(clip(m, MESSAGE_LIMIT)) for m in messages]
            for key, messages in fields.items()
        }
    if isinstance(error, ConfigError):
        error.problems = [
            (encodable(clip(p, MESSAGE_LIMIT)), encodable(clip(m, MESSAGE_LIMIT))) for p, m in error.problems
        ]
    return error
