"""The HTTP protocol ``clicktrail serve`` runs: uvicorn's (httptools), with what uvicorn leaves out:

- a header read timeout. uvicorn has none: its keep-alive timer stops at the first byte, so a client that
  sends half a request line and stalls holds a connection for ever (slowloris). Body reads are timed in
  the app (``core.limits``);
- a cap on the header block (431). llhttp has none, and httptools buffers a header until it ends, so one
  endless header value would grow the process without bound;
- ``Upgrade: h2c`` (and any upgrade but WebSocket) ignored, as RFC 9110 §7.8 allows. httptools tells llhttp
  to skip the body of a request that asks for an upgrade, so uvicorn then runs it with an empty body;
- a request the parser refuses after the app began (a bad chunk) noted as the 400 the client gets, for the
  access log and the metrics (``core.observability.SERVER_ANSWER``)."""

from __future__ import annotations

import asyncio
from functools import cache

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .core.config.settings import Settings
from .core.web.observability import SERVER_ANSWER

REQUEST_TIMEOUT = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
HEADERS_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
)


@cache
def header_timeout() -> float:
    return Settings().header_timeout_seconds


@cache
def max_header_bytes() -> int:
    return Settings().max_header_bytes


class TimedHttpProtocol(HttpToolsProtocol):
    """Closes a connection whose request headers do not all arrive within ``header_timeout()`` seconds
    of its opening or of the request's first byte (408 when no answer is under way), or exceed
    ``max_header_bytes()`` (431).

    One timer per connection, not per request: a request only notes when its headers began and ended
    (arming and cancelling a timer per request cost more than the rest of the protocol's own work)."""

    _header_timer: asyncio.TimerHandle | None = None
    _awaiting_since: float | None = None  # when the headers now awaited began to be awaited
    _in_headers = True  # the bytes arriving belong to a header block (the next request's, between two)
    _header_room = 0  # bytes the header block now arriving may still take
    _ignored_upgrade = False  # the parser asked for an upgrade we do not do: the request is parsed again

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_room = max_header_bytes()
        self._awaiting_since = self.loop.time()
        self._schedule(self._awaiting_since)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._awaiting_since is None:
            self._awaiting_since = self.loop.time()

    def on_headers_complete(self) -> None:
        if (
            self.parser.should_upgrade()
            and not self._should_upgrade()
            and self.parser.get_method() != b"CONNECT"
        ):
            self._ignored_upgrade = True  # no cycle yet: the request is run once parsed without it
            return
        self._awaiting_since = None
        self._in_headers = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_headers, self._header_room = True, max_header_bytes()
        if not self._ignored_upgrade:
            super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    # --- reading ---------------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        """Feeds the parser, a header block no further than its room: the rest waits for the verdict."""
        while self._in_headers and len(data) > self._header_room:
            head, data = data[: self._header_room], data[self._header_room :]
            self._header_room = 0
            self._feed(head)
            if self.transport.is_closing():
                return
            if self._in_headers and self._header_room == 0:
                self._refuse_headers()
                return
        if self._in_headers:
            self._header_room -= len(data)
        self._feed(data)

    def _feed(self, data: bytes) -> None:
        """uvicorn's ``data_received``, with the place where an upgrade left the parser."""
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            msg = "Invalid HTTP request received."
            self.logger.warning(msg)
            self.send_400_response(msg)
        except httptools.HttpParserUpgrade as upgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            elif self._ignored_upgrade:
                self._parse_without_upgrade(data[upgrade.args[0] :])
            else:
                self._unsupported_upgrade_warning()

    def _parse_without_upgrade(self, rest: bytes) -> None:
        """Parse the request again, with a fresh parser, as if it had not asked for the upgrade: its
        head rebuilt without the ``upgrade`` token of ``Connection``, then whatever followed it."""
        version, method = self.parser.get_http_version(), self.parser.get_method()
        lines = [method, b" ", self.url, b" HTTP/", version.encode("ascii"), b"\r\n"]
        for name, value in self.headers:
            if name == b"connection":
                tokens = [t.strip() for t in value.split(b",") if t.strip().lower() != b"upgrade"]
                value = b", ".join(tokens)
            if value or name != b"connection":
                lines += [name, b": ", value, b"\r\n"]
        lines.append(b"\r\n")
        self._ignored_upgrade = False
        self.parser = httptools.HttpRequestParser(self)
        self.parser.set_dangerous_leniencies(lenient_data_after_close=True)  # as uvicorn's own parser
        self._feed(b"".join(lines) + rest)

    def _refuse_headers(self) -> None:
        if self.cycle is not None and not self.cycle.response_complete:
            # An answer is under way (a pipelined request follows it): read no more, close after it.
            self.cycle.keep_alive = False
            self.flow.pause_reading()
            return
        self.logger.warning("Request header block exceeds %d bytes.", max_header_bytes())
        self.transport.write(HEADERS_TOO_LARGE)
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        cycle = self.cycle
        if cycle is not None and not cycle.response_started:
            cycle.scope[SERVER_ANSWER] = 400  # type: ignore[literal-required]  # the app only saw a hang-up
        super().send_400_response(msg)

    # --- the header timer ------------------------------------------------------------------------------

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
