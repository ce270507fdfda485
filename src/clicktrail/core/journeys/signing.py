"""The one signature on everything the server sends (webhooks, survey callbacks, partner postbacks)::

    X-Clicktrail-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>

The payload is the request's body when it has one (a webhook's JSON), else its URL as sent (a GET callback
or postback): ``<scheme>://<Host header><request target>``, the path and query exactly as on the wire, no
user info, no fragment. Messages are signed when sent, so a retry carries a fresh ``t`` (receivers reject
stale ones). Each kind's secret: a webhook's own, the app's partners ``postback_secret``, its surveys
``callback_secret`` (``outbox.register_signing``). Receivers' side: docs/signatures.md."""

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


def url_payload(scheme: str, host: str, target: str) -> str:
    """What a request without a body signs: its URL as sent (``host`` is its ``Host`` header, ``target``
    its path and query as on the wire)."""
    return f"{scheme}://{host}{target}"
