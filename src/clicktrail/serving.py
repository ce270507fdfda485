"""The HTTP protocol ``clicktrail serve`` runs: uvicorn's (httptools), plus a header read timeout. uvicorn
has none: its keep-alive timer stops at the first byte, so a client that sends half a request line and
stalls holds a connection for ever (slowloris). Body reads are timed in the app (``core.limits``)."""

from __future__ import annotations

import asyncio
from functools import cache

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .core.settings import Settings

REQUEST_TIMEOUT = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"


@cache
def header_timeout() -> float:
    return Settings().header_timeout_seconds


class TimedHttpProtocol(HttpToolsProtocol):
    """Closes a connection whose request headers do not all arrive within ``header_timeout()`` seconds
    of its opening or of the request's first byte (408 when no answer is under way).

    One timer per connection, not per request: a request only notes when its headers began and ended
    (arming and cancelling a timer per request cost more than the rest of the protocol's own work)."""

    _header_timer: asyncio.TimerHandle | None = None
    _awaiting_since: float | None = None  # when the headers now awaited began to be awaited

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._awaiting_since = self.loop.time()
        self._schedule(self._awaiting_since)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._awaiting_since is None:
            self._awaiting_since = self.loop.time()

    def on_headers_complete(self) -> None:
        self._awaiting_since = None
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def _schedule(self, since: float) -> None:
        self._header_timer = self.loop.call_at(since + header_timeout(), self._check_headers)

    def _check_headers(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        since, now = self._awaiting_since, self.loop.time()
        if since is None or now - since < header_timeout():
            self._schedule(since if since is not None else now)
            return
        if self.cycle is not None and not self.cycle.response_complete:
            self._schedule(now)  # an answer is still being sent: cut nothing short
            return
        self.transport.write(REQUEST_TIMEOUT)
        self.transport.close()
