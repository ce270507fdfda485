"""Logging: text or JSON lines on stderr at one level, the access log, and the start-up summary.

``logging_config`` is handed to uvicorn, so its own lines and every worker process's come out alike."""

from __future__ import annotations

import itertools
import logging
import os
import re
import threading
import time
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
from starlette.types import Scope

from ..journeys.privacy import anonymize_ip

ACCESS = logging.getLogger("clicktrail.access")
# What every LogRecord has: the rest of its attributes are the fields a call passed with ``extra``.
# uvicorn's ``color_message`` (its message again, with ANSI colour escapes) is left out too.
_STANDARD = {*vars(logging.LogRecord("", 0, "", 0, "", (), None)), "message", "asctime", "taskName"}
_NOT_FIELDS = _STANDARD | {"color_message"}
# The HTTP client's loggers write every request's full URL at INFO, query included (survey callbacks
# carry the user id and a signature, postbacks the profile): they are kept at WARNING in every process.
HTTP_CLIENT_LOGGERS = ("httpx", "httpcore")
_SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the fields passed with ``extra``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _iso_ms(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = vars(record)
        entry.update((k, fields[k]) for k in fields.keys() - _NOT_FIELDS - entry.keys())
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class BufferedStreamHandler(logging.StreamHandler):
    """A stream handler that writes its lines in batches, as nginx's ``access_log … buffer= flush=``
    does: when ``capacity`` lines are waiting, when a record at WARNING or above arrives, and at the
    latest ``interval`` seconds after a line was logged. One write per request was the access log's
    main cost (it also hands the GIL to the writer thread at every line)."""

    def __init__(self, stream: Any = None, capacity: int = 256, interval: float = 1.0):
        super().__init__(stream)
        self.capacity, self.interval = capacity, interval
        self._lines: list[str] = []
        self._timer: threading.Timer | None = None

    def emit(self, record: logging.LogRecord) -> None:  # called with the handler's lock held
        try:
            self._lines.append(self.format(record))
        except Exception:
            self.handleError(record)
            return
        if len(self._lines) >= self.capacity or record.levelno >= logging.WARNING:
            self._write()
        elif self._timer is None:
            self._start_timer()

    def _start_timer(self) -> None:
        self._timer = threading.Timer(self.interval, self.flush)
        self._timer.daemon = True
        self._timer.start()

    def write_access(self, message: str, fields: dict[str, Any]) -> None:
        """An INFO line of the access log, rendered as this handler's formatter would render its record
        (a LogRecord and a formatter pass cost more than the rest of a hot request)."""
        now = time.time()
        if isinstance(self.formatter, JsonFormatter):
            entry = {"time": _iso_ms(now), "level": "INFO", "logger": ACCESS.name, "message": message}
            line = orjson.dumps({**entry, **fields}, default=str).decode()
        else:
            line = f"{_asctime(now)} INFO {ACCESS.name}: {message}"
        with self.lock:  # type: ignore[union-attr]
            self._lines.append(line)
            if len(self._lines) >= self.capacity:
                self._write()
            elif self._timer is None:
                self._start_timer()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            self._write()

    def _write(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._lines:
            text = self.terminator.join(self._lines) + self.terminator
            self._lines.clear()
            self.stream.write(text)
        super().flush()

    def close(self) -> None:
        self.flush()
        super().close()


@lru_cache(maxsize=4)
def _local_second(second: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))


def _asctime(now: float) -> str:
    """``%(asctime)s`` of the standard formatter (local time, milliseconds after a comma)."""
    second = int(now)
    return f"{_local_second(second)},{int((now - second) * 1000):03d}"


def _iso_ms(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds")


def quiet_http_client() -> None:
    """The HTTP client's loggers at WARNING (see ``HTTP_CLIENT_LOGGERS``)."""
    for name in HTTP_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` document for our loggers, uvicorn's and the HTTP client's (at
    WARNING whatever ``level`` says); the access log is buffered (``BufferedStreamHandler``)."""
    formatter = {"()": f"{__name__}.JsonFormatter"} if log_format == "json" else {"format": TEXT_FORMAT}
    handler = {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
    buffered = {**handler, "class": f"{__name__}.BufferedStreamHandler"}
    quiet = {"handlers": ["default"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": handler, "access": buffered},
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            "uvicorn": quiet,
            "uvicorn.error": {"level": level},
            "uvicorn.access": quiet,
            ACCESS.name: {"handlers": ["access"], "level": level, "propagate": False},
            **{name: {"level": "WARNING"} for name in HTTP_CLIENT_LOGGERS},
        },
    }


def request_id(presented: bytes | None) -> str:
    """The caller's ``X-Request-Id`` (its first, ``presented``) when it is a sane token (a proxy's, to
    follow one request through), else a new one."""
    if presented is not None and _SAFE_REQUEST_ID.fullmatch(presented):
        return presented.decode()
    return new_request_id()


# Request ids are unique per process run, not secret: a per-process random prefix and a counter (reading
# os.urandom per request releases the GIL, and the writer thread then holds the event loop up).
_ID_PREFIX = os.urandom(4).hex()
_next_id = itertools.count(1).__next__


def new_request_id() -> str:
    return f"{_ID_PREFIX}{_next_id():08x}"


def masked_query(raw: bytes) -> str:
    """The query's parameter names, each value masked: query strings carry tokens, user ids and
    signatures."""
    if not raw:
        return ""
    names = (part.split(b"=", 1)[0].decode("latin-1")[:64] for part in raw.split(b"&")[:32] if part)
    return "?" + "&".join(f"{name}=*" for name in names)


def logged_path(scope: Scope, private: frozenset[str]) -> str:
    """The request's path with the values of ``private`` path parameters masked (``/clicks/*/page``) and
    its query's values masked."""
    path = scope["path"]
    params = scope.get("path_params")
    if params and not private.isdisjoint(params):
        shown = {name: "*" if name in private else value for name, value in params.items()}
        template = scope["route"].path_format
        try:
            path = template.format(**shown)
        except (KeyError, IndexError, ValueError):  # a template that is not one of ours: show it bare
            path = template
    return path + masked_query(scope.get("query_string", b""))


def logged_client(scope: Scope, anonymize: bool) -> str | None:
    """The client's address, cut to its network when ``anonymize`` (see ``privacy.anonymize_ip``)."""
    client = scope.get("client")
    if not client:
        return None
    return anonymize_ip(client[0]) if anonymize else client[0]


def log_access(scope: Scope, status: int, seconds: float, family: str, route: str, request_id: str,
               private: frozenset[str] = frozenset(), anonymize: bool = False) -> None:  # fmt: skip
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    path = logged_path(scope, private)
    client = logged_client(scope, anonymize)
    method = scope["method"]
    ms = round(seconds * 1000, 2)
    message = (
        f"{method} {path} {status} {ms:.2f}ms family={family} client={client or '-'} request_id={request_id}"
    )
    fields = {
        "method": method, "path": path, "route": route, "status": status, "duration_ms": ms,
        "family": family, "request_id": request_id, "client": client,
    }  # fmt: skip
    direct = _direct_handler()
    if direct is not None:
        direct.write_access(message, fields)
        return
    # makeRecord + handle: Logger.info would also walk the stack for a caller nobody prints (per request).
    record = ACCESS.makeRecord(ACCESS.name, logging.INFO, __file__, 0, message, (), None, extra=fields)
    ACCESS.handle(record)


def _direct_handler() -> BufferedStreamHandler | None:
    """The access logger's own buffered handler, when it is the only place its lines go (as
    ``logging_config`` sets it up): the line is then written without a LogRecord."""
    handlers = ACCESS.handlers
    if len(handlers) == 1 and not ACCESS.propagate and type(handlers[0]) is BufferedStreamHandler:
        return handlers[0]
    return None
