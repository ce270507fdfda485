"""The one signature on everything the server sends (webhooks, survey callbacks, partner postbacks)::

    X-Clicktrail-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>

The payload is the request's body when it has one (a webhook's JSON), else the URL exactly as sent (a GET
callback or postback: scheme, host, path and query). Messages are signed when sent, so a retry carries a
fresh ``t`` (receivers reject stale ones). Receivers' side: docs/signatures.md."""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Clicktrail-Signature"


def signature(secret: str, payload: str, timestamp: int | None = None) -> str:
    """The ``X-Clicktrail-Signature`` value of ``payload``, signed now (or at ``timestamp``)."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"

