"""Outcome callbacks the way the vendor sends them: the app's URL template with ``[%UID%]``, ``[%VAL%]``,
``[%RAW%]``, ``[%TX%]``, ``[%TYPE%]``, ``[%REF%]`` filled, then ``&hash=`` = HMAC-SHA1 (key: the app's
callback secret) over the URL exactly as sent up to ``&hash=``. The survey side signs the outcomes it
reports to us the same way, over the request's path and query.

Every callback also carries ``X-Clicktrail-Signature`` beside the hash, as everything the server sends does:
HMAC-SHA256 with the same callback secret over ``"<t>.<URL as sent>"`` (hash included), signed when sent
(``signing_secret``; docs/signatures.md). The hash stays byte for byte what the vendor sends."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.journeys.outbox import OutboxMessage, enqueue, nudge
from ..core.storage.db import table_of
from ..core.storage.ids import new_hex_id, utcnow
from ..core.storage.writer import Tx
from ..core.tenancy.apps import tenant
from .models import SurveySettings

TOPIC = "surveys.callback"


def sign(url: str, secret: str) -> str:
    return hmac.new(secret.encode(), url.encode(), hashlib.sha1).hexdigest()


def signed(url: str, secret: str) -> str:
    return f"{url}&hash={sign(url, secret)}"


def verify(target: str, secret: str) -> bool:
    """``target`` is path + query as received; the hash must be the last parameter."""
    for marker in ("&hash=", "?hash="):
        head, found, presented = target.rpartition(marker)
        if found:
            return hmac.compare_digest(sign(head, secret), presented)
    return False


def amount(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 120.0000 → "120", 1.2000 → "1.2"."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace(f"[%{key}%]", quote(value, safe=""))
    return template


def callback_url(
    *, template: str, secret: str, user_id: str, type: str, raw: Decimal, factor: Decimal, ref: str = ""
) -> tuple[str, str]:
    """(transaction id, signed URL) of one callback."""
    tx = new_hex_id(32)
    url = fill(
        template,
        {
            "UID": user_id,
            "VAL": amount(raw * factor),
            "RAW": amount(raw),
            "TX": tx,
            "TYPE": type,
            "REF": ref,
        },
    )
    return tx, signed(url, secret)


def enqueue_callback(session: Session, *, app_id: str, **callback: Any) -> str:
    """Queue one signed callback (the arguments of :func:`callback_url`) in the caller's transaction;
    returns its transaction id."""
    tx, url = callback_url(**callback)
    enqueue(session, app_id=app_id, topic=TOPIC, url=url, method="GET")
    return tx


def queue_callback(tx: Tx, *, app_id: str, **callback: Any) -> None:
    """The same in a writer job: the outbox row is buffered and commits with the job's batch."""
    _, url = callback_url(**callback)
    now = utcnow()
    row: dict[str, Any] = {
        "app_id": app_id,
        "topic": TOPIC,
        "method": "GET",
        "url": url,
        "headers": {},
        "body": None,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "webhook_id": None,
    }
    tx.insert(table_of(OutboxMessage), row)
    tx.after_commit(nudge)


def signing_secret(session: Session, app_id: str) -> str | None:
    """The app's callback secret now: it signs the callbacks' ``X-Clicktrail-Signature`` too."""
    return session.scalar(select(SurveySettings.callback_secret).where(tenant(SurveySettings, app_id)))
