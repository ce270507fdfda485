"""Hand-written fuzz: a table of hostile bodies and query values sent to every operation of /openapi.json
with valid credentials (deep nesting, huge numbers, extreme dates, lone surrogates, NUL, 1 MB strings,
wrong types, repeated keys). No answer may be a 5xx, and every error must be JSON in the envelope of the
family whose path it is (problem+json for admin). Fixed inputs, no randomness: the same requests each run."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
import pytest
import yaml

from clicktrail.partners.listing import FILTERS

from ..helpers import ADMIN_TOKEN

DEMO = Path(__file__).parents[2] / "examples/demo.yaml"
HEADERS = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
# One credential header per request, the one the family reads: two are refused before any work (400).
FAMILY_HEADERS = {
    "surveys": {"X-Api-Token": ADMIN_TOKEN, "X-User-Id": "fuzz-user"},
    "signage": {"API-KEY": ADMIN_TOKEN},
}
PATH_VALUES = {
    "app_id": "demo",
    "name": "nobody",  # never the credential the requests use: revoking it would end the run
    "delivery_id": "1",
    "correlation_id": "fuzz-correlation",
    "promptMessage_id": "p-1",
    "identifier": "member-1",
    "session_id": "01a21364-5219-70cb-af12-bac5125a1db7",
    "campaign_id": "spring-form",
    "clickId": "0123456789abcdef01234567",
    "outcome": "complete",
}

DEEP = 100_000
# Raw JSON texts: each is put in place of a whole body, or of one field of an operation's example body.
VALUES: list[str] = [  # whole bodies nest DEEP levels; a field 2,000 (past orjson's limit and ours)
    "[" * 2000 + "]" * 2000,
    '{"a":' * 2000 + "1" + "}" * 2000,
    "[" * 100 + "]" * 100,
    "9" * 5000,
    "123456789012345678901234567890",
    "-9223372036854775809",
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    '"0001-01-01T00:00:00Z"',
    '"0001-01-01T00:00:00+23:59"',
    '"9999-12-31T23:59:59-23:59"',
    '"9999-12-31T23:59:59Z"',
    '"\\ud800"',
    '"x\\udc00"',
    '"a\\u0000b"',
    '"' + "\\u0000" * 3 + '"',
    "[]",
    "{}",
    "true",
    "null",
    "0",
    "-1",
    '""',
    '{"a":1,"a":2}',
]
MEGABYTE = '"' + "a" * 1_000_000 + '"'
BODIES: list[bytes] = [
    b"",
    b"{",
    b"\xff\xfe\x00",
    b'"text"',
    b"[1,2]",
    "[" * DEEP + "]" * DEEP,  # type: ignore[list-item]
    '{"a":' * 5000 + "1" + "}" * 5000,  # type: ignore[list-item]
    b'{"x": ' + MEGABYTE.encode() + b"}",
]
QUERY_VALUES = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00%2B23:59",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59Z",
    "9" * 29,
    "-1",
    "1e400",
    "%ED%A0%80",
    "%00",
    "a" * 10_000,
    "%5B%5D",
]


def _document() -> dict[str, Any]:
    """The demo tenant, with one credential that reaches every family."""
    doc = yaml.safe_load(DEMO.read_text())
    doc["apps"][0]["webhooks"] = []  # nothing listens: the outbox would only log failures
    doc["apps"][0]["credentials"].append(
        {"name": "fuzz-all", "secret": ADMIN_TOKEN, "scopes": ["surveys", "partners", "loyalty", "signage"]}
    )
    return doc


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
        and not path.endswith("/events/stream")  # never ends; its refusals: tests/admin/test_event_stream.py
    ]


def _url(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    return path.replace("{", "").replace("}", "")  # any other parameter: its own name


def _example_body(op: dict[str, Any]) -> dict[str, Any] | None:
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    example = content.get("example")
    if example is None:
        example = next(iter(content.get("examples", {}).values()), {}).get("value")
    return example if isinstance(example, dict) else {}


def _field_paths(example: dict[str, Any]) -> list[tuple[str, ...]]:
    """Every top-level field, and the fields of objects one level down."""
    paths: list[tuple[str, ...]] = [("fuzz-extra",)]
    for key, value in example.items():
        paths.append((key,))
        if isinstance(value, dict):
            paths.extend((key, inner) for inner in value)
    return paths


PLACEHOLDER = "__hostile__"


def _with(example: dict[str, Any], field: tuple[str, ...], raw: str) -> bytes:
    """The example body with ``field`` replaced by the raw JSON text ``raw``."""
    body = orjson.loads(orjson.dumps(example))
    target = body
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = PLACEHOLDER
    return orjson.dumps(body).replace(f'"{PLACEHOLDER}"'.encode(), raw.encode())


PATH_HOSTILE = ["%ED%A0%80", "%00", "a" * 5000, "9" * 29, "0001-01-01T00:00:00%2B23:59"]


def _form_fields(op: dict[str, Any]) -> list[str]:
    content = op.get("requestBody", {}).get("content", {})
    form = content.get("application/x-www-form-urlencoded") or content.get("multipart/form-data")
    if form is None:
        return []
    schema = form.get("schema", {})
    return list(schema.get("properties", {})) or ["do", "answers"]


def _requests(method: str, path: str, op: dict[str, Any]) -> list[tuple[str, bytes | None]]:
    """(url, body) pairs for one operation; a body of ``b"form:..."`` is sent as a form."""
    url = _url(path)
    out: list[tuple[str, bytes | None]] = []
    for param in (p["name"] for p in op.get("parameters", []) if p.get("in") == "path"):
        for value in PATH_HOSTILE:
            out.append((_url(path.replace("{" + param + "}", value)), None))
    for name in _form_fields(op):
        out.extend((url, f"form:{name}={value}".encode()) for value in QUERY_VALUES)
    example = _example_body(op)
    if method in ("POST", "PUT", "PATCH"):
        out.extend((url, body if isinstance(body, bytes) else body.encode()) for body in BODIES)
        if example is not None:
            if example:
                first = next(iter(example))
                text = orjson.dumps(example).decode()
                out.append((url, ("{" + f'"{first}": 1, ' + text[1:]).encode()))  # a repeated key
            for field in _field_paths(example):
                out.extend((url, _with(example, field, raw)) for raw in VALUES)
            if example:
                out.append((url, _with(example, (next(iter(example)),), MEGABYTE)))
    names = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
    if path == "/ib/v1/clicks" and method == "GET":
        names += [f"filter[{name}]" for name in sorted(FILTERS)] + ["query[link]"]
    for name in names:
        out.extend((f"{url}?{quote(name)}={value}", None) for value in QUERY_VALUES)
    return out


def _family(client, path: str) -> str:
    for fam in client.app.state.families:
        if fam.owns(path):
            return fam.name
    return "admin"


def _envelope_problem(family: str, path: str, response) -> str | None:
    """What is wrong with an error answer's body, or None."""
    page = path == "/offerwall" or path.endswith("/page")
    if page and response.headers["content-type"].startswith("text/html"):
        return None  # pages a browser shows: their errors may be pages too
    try:
        body = response.json()
    except ValueError:
        return f"not JSON: {response.text[:200]!r}"
    content_type = response.headers.get("content-type", "")
    if family == "admin":
        ok = content_type.startswith("application/problem+json") and {
            "type",
            "title",
            "status",
            "detail",
        } <= set(body)
    elif family == "partners":
        ok = isinstance(body.get("message"), str) and isinstance(body.get("errors"), dict)
    elif family == "loyalty" and path.startswith("/oauth/"):
        ok = isinstance(body.get("error"), str) and isinstance(body.get("error_description"), str)
    elif family == "loyalty":
        ok = set(body) == {"statusCode", "errorMessage", "errorCode"}
    elif family == "signage":
        ok = set(body) == {"error_msg"}
    else:
        ok = body.get("status") == "error" and isinstance(
            body.get("error", {}).get("details", {}).get("msg"), str
        )
    if not ok or not content_type.startswith(("application/json", "application/problem+json")):
        return f"not the {family} envelope: {content_type} {response.text[:200]!r}"
    return None


def test_hostile_inputs_never_answer_5xx(client):
    response = client.put("/admin/v1/config", json=_document(), headers=HEADERS)
    assert response.status_code == 200, response.text
    operations = _operations(client.get("/openapi.json").json())
    assert len(operations) > 30
    failures: list[str] = []
    sent = 0
    for method, path, op in operations:
        credential = FAMILY_HEADERS.get(_family(client, path), HEADERS)
        for url, body in _requests(method, path, op):
            if body is None:
                headers = credential
            elif body.startswith(b"form:"):
                body = body.removeprefix(b"form:")
                headers = {**credential, "Content-Type": "application/x-www-form-urlencoded"}
            else:
                headers = {**credential, "Content-Type": "application/json"}
            response = client.request(method, url, content=body, headers=headers, follow_redirects=False)
            sent += 1
            shown = f"{method} {url[:120]} {(body or b'')[:80]!r}"
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {shown}: {response.text[:200]!r}")
            elif response.status_code >= 400:
                problem = _envelope_problem(_family(client, path), path, response)
                if problem:
                    failures.append(f"{response.status_code} {shown}: {problem}")
    assert sent > 2000
    assert not failures, f"{len(failures)} of {sent} requests:\n" + "\n".join(failures[:40])


@pytest.mark.parametrize("family", ["admin", "partners", "loyalty", "signage", "surveys"])
def test_the_envelope_check_can_fail(family):
    """A 500 in plain text, as Starlette answers an error nobody caught, is caught by the check."""

    class PlainText:
        status_code = 500
        headers = {"content-type": "text/plain; charset=utf-8"}
        text = "Internal Server Error"

        def json(self):
            raise ValueError("not JSON")

    assert _envelope_problem(family, "/x", PlainText()) is not None
