"""The clock and the id generators, in one place so tests and services agree."""

from __future__ import annotations

import itertools
import os
import secrets
import threading
import time
import uuid
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def storable(text: str) -> bool:
    """Whether a text can be an id at all: PostgreSQL refuses NUL in text, so no stored id has one, and a
    lookup of such a text must answer "not found" before asking the database (SQLite would say so itself,
    PostgreSQL would refuse the query)."""
    return "\x00" not in text


def nul_free(text: str) -> str:
    """``text``, or ValueError when it holds a NUL: for a filter a query carries (PostgreSQL would refuse
    the query where SQLite finds nothing; both engines then answer the same 400)."""
    if "\x00" in text:
        raise ValueError("must not contain a NUL character")
    return text


def new_uuid() -> str:
    return str(uuid.uuid4())


def new_hex_id(length: int = 24) -> str:
    """Lowercase hex id (24 characters: the shape of a MongoDB ObjectId, as B2Core uses)."""
    return secrets.token_hex(length // 2)


def new_secret(prefix: str = "ct_") -> str:
    return prefix + secrets.token_urlsafe(32)


# Ids that rows are inserted by should grow with time: a random id lands on a random page of every index
# that holds it, so each insert rewrites pages all over the file; a time-ordered one appends.
_PROCESS_RANDOM = os.urandom(5)
_counter = itertools.count(int.from_bytes(os.urandom(3), "big"))
_counter_lock = threading.Lock()


def new_object_id() -> str:
    """A MongoDB ObjectId as 24 lowercase hex characters (the ids B2Core hands out): 4 bytes of Unix
    seconds, 5 random bytes per process, a 3-byte counter. Unique, and ordered by creation time."""
    with _counter_lock:
        count = next(_counter) & 0xFFFFFF
    return (int(time.time()).to_bytes(4, "big") + _PROCESS_RANDOM + count.to_bytes(3, "big")).hex()


def new_uuid7() -> str:
    """A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big") & ((1 << 80) - 1)
    value = value & ~(0xF << 76) | 0x7 << 76  # version
    value = value & ~(0x3 << 62) | 0x2 << 62  # variant
    return str(uuid.UUID(int=value))
