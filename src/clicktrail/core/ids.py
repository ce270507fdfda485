"""The clock and the id generators, in one place so tests and services agree."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


def new_hex_id(length: int = 24) -> str:
    """Lowercase hex id (24 characters: the shape of a MongoDB ObjectId, as B2Core uses)."""
    return secrets.token_hex(length // 2)


def new_secret(prefix: str = "ct_") -> str:
    return prefix + secrets.token_urlsafe(32)
