"""The real server's logs, as an operator reads them: JSON lines, a start-up summary, an access line for
every request (lean routes included) with query values masked."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import quote, urlsplit

import httpx

from clicktrail import __version__
from clicktrail.core.journeys.privacy import anonymize_ip

from ..helpers import configure
from .journeys import VISITOR_IP, Journeys, document


def json_lines(log_file) -> list[dict]:
    lines = log_file.read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]  # every line must be JSON


def wait_for_access_lines(log_file, count: int) -> list[dict]:
    deadline = time.monotonic() + 10
    while True:
        access = [e for e in json_lines(log_file) if e["logger"] == "clicktrail.access"]
        if len(access) >= count or time.monotonic() > deadline:
            return access
        time.sleep(0.1)


def test_json_logs_of_a_real_server(database_url, start_server, tmp_path):
    base = start_server(database_url, env={"CLICKTRAIL_LOG_FORMAT": "json", "CLICKTRAIL_LOG_LEVEL": "info"})
    log_file = tmp_path / f"server-{urlsplit(base).port}.log"
    lean = httpx.post(
        f"{base}/ib/v1/clicks?api_key=top-secret-value&page=2",
        content=b"{}",
        headers={"X-Request-Id": "trace-42"},
    )
    assert lean.status_code == 401
    assert httpx.get(f"{base}/v2/client/surveys").status_code == 401
    capability = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"  # a surveys click id: whoever holds it may answer
    assert httpx.get(f"{base}/v2/client/clicks/{capability}/page").status_code == 404

    access = wait_for_access_lines(log_file, 4)  # the start-up health checks count too
    click = next(e for e in access if e["request_id"] == "trace-42")
    assert click["method"] == "POST"
    assert click["path"] == "/ib/v1/clicks?api_key=*&page=*"
    assert (click["status"], click["family"], click["route"]) == (401, "partners", "/ib/v1/clicks")
    assert click["level"] == "INFO"
    assert isinstance(click["duration_ms"], float) and click["duration_ms"] >= 0
    surveys = next(e for e in access if e["path"] == "/v2/client/surveys")
    assert (surveys["family"], surveys["status"]) == ("surveys", 401)
    assert len(surveys["request_id"]) == 16
    page = next(e for e in access if e["route"] == "/v2/client/clicks/{click_id}/page")
    assert page["path"] == "/v2/client/clicks/*/page"
    assert "top-secret-value" not in log_file.read_text()
    assert capability not in log_file.read_text()

    (summary,) = [e for e in json_lines(log_file) if e["message"].startswith("clicktrail ")]
    assert summary["version"] == __version__
    assert summary["apps"] == 0
    assert summary["admin"] is True
    assert summary["workers"] == 1
    assert summary["database"].split("@")[-1] == database_url.split("@")[-1]
    assert summary["metrics"] == "loopback"


def test_access_log_off_and_text_format(database_url, start_server, tmp_path):
    base = start_server(database_url, env={"CLICKTRAIL_ACCESS_LOG": "false"})
    assert httpx.get(f"{base}/healthz").status_code == 200
    time.sleep(0.3)
    text = (tmp_path / f"server-{urlsplit(base).port}.log").read_text()
    assert "clicktrail.access" not in text
    assert f"INFO clicktrail: clicktrail {__version__} on http://127.0.0.1:" in text


# A query value as written, not masked: ``?name=value`` or ``&name=value`` with a value other than ``*``.
QUERY_VALUE = re.compile(r"[?&][^=&\s\"?]+=(?!\*)[^&\s\"]")


def test_no_personal_data_or_secret_in_any_line(database_url, start_server, receiver, tmp_path):
    """Every line the server writes, at DEBUG, through a whole journey of every
    family (webhooks, callback and postback delivered) and a dashboard session, with IP anonymization
    on: none holds a person's id, email or address, a secret, token or signature, or a query value."""
    env = {
        "CLICKTRAIL_LOG_FORMAT": "json",
        "CLICKTRAIL_LOG_LEVEL": "debug",
        "CLICKTRAIL_OUTBOX_POLL_SECONDS": "0.2",
        "CLICKTRAIL_OUTBOUND_ALLOW": "127.0.0.0/8",  # the receiver is on loopback
    }
    base = start_server(database_url, env=env)
    log_file = tmp_path / f"server-{urlsplit(base).port}.log"
    with httpx.Client(base_url=base, timeout=10) as operator:  # turns anonymization on: logged before it is
        configure(operator, document(receiver))  # type: ignore[arg-type]
    with httpx.Client(base_url=base, headers={"X-Forwarded-For": VISITOR_IP}, timeout=10) as http:
        journeys = Journeys(http, receiver)
        journeys.all()
        journeys.delivered()
        journeys.dashboard()
    time.sleep(1.5)  # access lines leave at the latest a second after they were logged
    entries = json_lines(log_file)
    text = "\n".join(map(json.dumps, entries))

    access = [e for e in entries if e["logger"] == "clicktrail.access"]
    assert len(access) > 40
    from_visitor = [e for e in access if e["client"] != "127.0.0.1" and e["path"] != "/healthz"]
    # The dashboard calls the admin API in process, as 127.0.0.1.
    assert {e["client"] for e in from_visitor} == {anonymize_ip(VISITOR_IP), "127.0.0.0"}
    assert all(f"client={e['client']} " in e["message"] for e in access)
    assert not [e for e in entries if e["logger"].startswith(("httpx", "httpcore"))]
    assert "color_message" not in text and "\\u001b" not in text
    leaks = sorted(v for v in journeys.private if v in text or quote(v, safe="") in text)
    assert not leaks, f"the log holds {leaks}"
    unmasked = [e["message"] for e in entries if QUERY_VALUE.search(json.dumps(e))]
    assert not unmasked, unmasked
