"""The access log's buffered handler: lines leave in batches (at capacity, on a warning, after the
interval), and an access line written without a LogRecord reads as the formatter would render it."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import time

import pytest
from starlette.routing import Route

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings
from clicktrail.core.web.logs import (
    ACCESS,
    HTTP_CLIENT_LOGGERS,
    BufferedStreamHandler,
    JsonFormatter,
    log_access,
    logged_path,
    logging_config,
)

SCOPE = {
    "method": "POST",
    "path": "/ib/v1/clicks",
    "query_string": b"token=s3cret",
    "client": ("10.0.0.9", 1),
}


def handler(capacity: int = 3, interval: float = 60.0, formatter: logging.Formatter | None = None):
    stream = io.StringIO()
    h = BufferedStreamHandler(stream, capacity=capacity, interval=interval)
    h.setFormatter(formatter or logging.Formatter("%(levelname)s %(message)s"))
    return h, stream


def record(message: str, level: int = logging.INFO) -> logging.LogRecord:
    return logging.LogRecord("t", level, __file__, 0, message, (), None)


def test_lines_wait_for_capacity_then_leave_together():
    h, stream = handler(capacity=3)
    h.handle(record("one"))
    h.handle(record("two"))
    assert stream.getvalue() == ""
    h.handle(record("three"))
    assert stream.getvalue() == "INFO one\nINFO two\nINFO three\n"
    h.close()


def test_a_warning_flushes_what_waits_with_it():
    h, stream = handler(capacity=100)
    h.handle(record("quiet"))
    h.handle(record("loud", logging.WARNING))
    assert stream.getvalue() == "INFO quiet\nWARNING loud\n"
    h.close()


def test_waiting_lines_leave_after_the_interval():
    h, stream = handler(capacity=100, interval=0.05)
    h.handle(record("late"))
    deadline = time.monotonic() + 5
    while not stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stream.getvalue() == "INFO late\n"
    h.close()


def test_close_writes_what_waits():
    h, stream = handler(capacity=100)
    h.handle(record("last"))
    h.close()
    assert stream.getvalue() == "INFO last\n"


@pytest.fixture
def configured(request):
    """The server's logging set-up (``logging_config``), its access lines sent to a string; the loggers
    it touches are put back as they were."""
    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access", ACCESS.name]
    saved = {n: (lg.handlers[:], lg.level, lg.propagate) for n in names for lg in [logging.getLogger(n)]}
    logging.config.dictConfig(logging_config(request.param, "INFO"))
    (h,) = ACCESS.handlers
    stream = io.StringIO()
    h.setStream(stream)
    yield h, stream
    for name, (handlers, level, propagate) in saved.items():
        for added in logging.getLogger(name).handlers:
            added.close()
        logger = logging.getLogger(name)
        logger.handlers[:], logger.level, logger.propagate = handlers, level, propagate


@pytest.mark.parametrize("configured", ["json"], indirect=True)
def test_direct_json_line_has_the_formatters_fields(configured):
    h, stream = configured
    assert isinstance(h.formatter, JsonFormatter)
    log_access(SCOPE, 201, 0.00412, "partners", "/ib/v1/clicks", "rid-1")
    h.flush()
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["logger"] == "clicktrail.access"
    assert (
        entry["message"]
        == "POST /ib/v1/clicks?token=* 201 4.12ms family=partners client=10.0.0.9 request_id=rid-1"
    )
    assert entry["status"] == 201 and entry["duration_ms"] == 4.12 and entry["client"] == "10.0.0.9"
    assert entry["route"] == "/ib/v1/clicks" and entry["time"].endswith("+00:00")
    assert "s3cret" not in line


@pytest.mark.parametrize("configured", ["text"], indirect=True)
def test_direct_text_line_reads_as_the_standard_formatter_writes_it(configured):
    h, stream = configured
    log_access(SCOPE, 404, 0.001, "partners", "unmatched", "rid-2")
    h.flush()
    (line,) = stream.getvalue().splitlines()
    # What logging.Formatter(TEXT_FORMAT) renders for the same record, but for the time stamp.
    standard = h.format(
        record("POST /ib/v1/clicks?token=* 404 1.00ms family=partners client=10.0.0.9 request_id=rid-2")
    )
    assert line.split(" ", 2)[2] == standard.split(" ", 2)[2].replace(" t: ", " clicktrail.access: ")
    time.strptime(line[:19], "%Y-%m-%d %H:%M:%S")


def test_private_path_parameters_are_masked_as_query_values_are():
    route = Route("/users/{user_id}/items/{item}", endpoint=lambda request: None)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/users/alice@example.com/items/7",
        "query_string": b"a=1",
    }
    _, child = route.matches(scope)
    scope.update(child, route=route)
    assert logged_path(scope, frozenset({"user_id"})) == "/users/*/items/7?a=*"
    assert logged_path(scope, frozenset({"other"})) == "/users/alice@example.com/items/7?a=*"


def test_a_template_that_does_not_fit_its_parameters_is_logged_bare():
    route = Route("/x/{a}/{b}", endpoint=lambda r: None)
    scope = {"path": "/x/1/2", "path_params": {"a": "1"}, "route": route}
    assert logged_path(scope, frozenset({"a"})) == "/x/{a}/{b}"


@pytest.mark.parametrize("configured", ["json", "text"], indirect=True)
def test_an_anonymized_client_is_cut_to_its_network_in_both_formats(configured):
    h, stream = configured
    log_access({**SCOPE, "client": ("81.2.69.142", 1)}, 200, 0.001, "other", "/x", "rid-3", anonymize=True)
    log_access(
        {**SCOPE, "client": ("2a02:2e0:3fe:1001::85", 1)}, 200, 0.001, "other", "/x", "rid-4", anonymize=True
    )
    h.flush()
    text = stream.getvalue()
    assert "client=81.2.69.0 " in text and "client=2a02:2e0:3fe:: " in text
    assert "81.2.69.142" not in text and "1001" not in text
    if isinstance(h.formatter, JsonFormatter):
        assert [json.loads(line)["client"] for line in text.splitlines()] == ["81.2.69.0", "2a02:2e0:3fe::"]


def test_json_lines_leave_out_uvicorns_coloured_copy_of_the_message():
    # What uvicorn.server logs when it starts, with its ANSI-coloured copy of the message.
    entry = logging.getLogger("uvicorn.error").makeRecord(
        "uvicorn.error", logging.INFO, __file__, 0, "Uvicorn running on %s (Press CTRL+C to quit)",
        ("http://127.0.0.1:8000",), None,
        extra={"color_message": "Uvicorn running on \x1b[1m%s\x1b[0m (Press CTRL+C to quit)"},
    )  # fmt: skip
    line = JsonFormatter().format(entry)
    assert "\\u001b" not in line and "color_message" not in line
    assert json.loads(line)["message"] == "Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)"


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_the_http_clients_loggers_stay_at_warning_whatever_the_level(level):
    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access", ACCESS.name, *HTTP_CLIENT_LOGGERS]
    saved = {n: (lg.handlers[:], lg.level, lg.propagate) for n in names for lg in [logging.getLogger(n)]}
    try:
        for name in HTTP_CLIENT_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
        logging.config.dictConfig(logging_config("json", level))
        for name in HTTP_CLIENT_LOGGERS:
            assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
        assert logging.getLogger("clicktrail").isEnabledFor(logging.INFO)
    finally:
        for name, (handlers, lvl, propagate) in saved.items():
            logger = logging.getLogger(name)
            for added in logger.handlers:
                if added not in handlers:
                    added.close()
            logger.handlers[:], logger.level, logger.propagate = handlers, lvl, propagate


def test_creating_the_app_quiets_the_http_clients_loggers():
    for name in HTTP_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    create_app(Settings(database_url="sqlite://", geoip_db=None))
    assert all(logging.getLogger(name).level == logging.WARNING for name in HTTP_CLIENT_LOGGERS)
