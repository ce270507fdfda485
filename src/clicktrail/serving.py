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
    of its opening or of the request's first byte (408 when no answer is under way)."""

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(header_timeout(), self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            self._arm()  # an answer is still being sent: cut nothing short
            return
        self.transport.write(REQUEST_TIMEOUT)
        self.transport.close()
