"""Logging: text or JSON lines on stderr at one level, the access log, and the start-up summary.

``logging_config`` is handed to uvicorn, so its own lines and every worker process's come out alike."""

from __future__ import annotations

import logging
import os
import re
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.types import Scope

ACCESS = logging.getLogger("clicktrail.access")
# What every LogRecord has: the rest of its attributes are the fields a call passed with ``extra``.
_STANDARD = {*vars(logging.LogRecord("", 0, "", 0, "", (), None)), "message", "asctime", "taskName"}
_SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the fields passed with ``extra``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = vars(record)
        entry.update((k, fields[k]) for k in fields.keys() - _STANDARD - entry.keys())
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` document for our loggers and uvicorn's."""
    formatter = {"()": f"{__name__}.JsonFormatter"} if log_format == "json" else {"format": TEXT_FORMAT}
    handler = {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
    quiet = {"handlers": ["default"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": level},
        "loggers": {"uvicorn": quiet, "uvicorn.error": {"level": level}, "uvicorn.access": quiet},
    }


def request_id(scope: Scope) -> str:
    """The caller's ``X-Request-Id`` when it is a sane token (a proxy's, to follow one request through),
    else a new one."""
    for key, value in scope["headers"]:
        if key == b"x-request-id":
            if _SAFE_REQUEST_ID.fullmatch(value):
                return value.decode()
            break
    return os.urandom(8).hex()


def masked_query(raw: bytes) -> str:
    """The query's parameter names, each value masked: query strings carry tokens, user ids and
    signatures."""
    if not raw:
        return ""
    names = (part.split(b"=", 1)[0].decode("latin-1")[:64] for part in raw.split(b"&")[:32] if part)
    return "?" + "&".join(f"{name}=*" for name in names)


def log_access(scope: Scope, status: int, seconds: float, family: str, route: str, request_id: str) -> None:
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    path = scope["path"] + masked_query(scope.get("query_string", b""))
    client = scope.get("client")
    ms = round(seconds * 1000, 2)
    # makeRecord + handle: Logger.info would also walk the stack for a caller nobody prints (per request).
    record = ACCESS.makeRecord(
        ACCESS.name, logging.INFO, __file__, 0,
        "%s %s %d %.2fms family=%s request_id=%s",
        (scope["method"], path, status, ms, family, request_id), None,
        extra={
            "method": scope["method"], "path": path, "route": route, "status": status,
            "duration_ms": ms, "family": family, "request_id": request_id,
            "client": client[0] if client else None,
        },
    )  # fmt: skip
    ACCESS.handle(record)
