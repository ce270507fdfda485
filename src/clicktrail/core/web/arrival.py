"""What the layers in front of every route read of a request's head (the edge, the guard, the observer),
read from its headers once: :class:`Arrival`."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope

from .logs import request_id

CREDENTIAL_HEADERS = (b"authorization", b"x-api-token", b"api-key")
# The headers read, by what each is to the layers: one dict lookup a header, whatever it is.
_READ = {
    b"content-length": "length",
    b"transfer-encoding": "chunked",
    b"origin": "origin",
    b"access-control-request-method": "preflight",
    b"x-request-id": "request_id",
    b"idempotency-key": "idempotency",
    **dict.fromkeys(CREDENTIAL_HEADERS, "credential"),
}


@dataclass(slots=True)
class Arrival:
    """One request's head, as the layers need it. ``path`` is the one routes see (no trailing slash),
    before a mount rewrites it."""

    path: str
    root_path: str
    method: str
    ip: str  # the client's address ("" when the server gave none)
    request_id: str  # the caller's when it is a sane token, else a new one
    origin: str | None  # the first Origin header
    preflight: bool  # an Access-Control-Request-Method header came
    length: int | None  # the last Content-Length (-1: not a number)
    chunked: bool  # a Transfer-Encoding header came
    credential: tuple[bytes, bytes] | None  # the last credential header: (name, value)
    credentials: int  # how many credential headers came
    idempotency_key: bytes | None = None  # the last Idempotency-Key header
    idempotency_keys: int = 0  # how many came

    @classmethod
    def of(cls, scope: Scope) -> Arrival:
        presented: bytes | None = None
        origin: str | None = None
        length: int | None = None
        credential: tuple[bytes, bytes] | None = None
        preflight = chunked = False
        credentials = keys = 0
        key_value: bytes | None = None
        for key, value in scope["headers"]:
            kind = _READ.get(key)
            if kind is None:
                continue
            if kind == "credential":
                credential, credentials = (key, value), credentials + 1
            elif kind == "length":
                length = int(value) if value.isdigit() else -1
            elif kind == "chunked":
                chunked = True
            elif kind == "origin":
                origin = value.decode("latin-1") if origin is None else origin
            elif kind == "preflight":
                preflight = True
            elif kind == "idempotency":
                key_value, keys = value, keys + 1
            elif presented is None:  # the request id: the first one counts
                presented = value
        ip = (scope.get("client") or ("",))[0]
        return cls(
            scope["path"], scope.get("root_path", ""), scope["method"], ip, request_id(presented),
            origin, preflight, length, chunked, credential, credentials, key_value, keys,
        )  # fmt: skip
