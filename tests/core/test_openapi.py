"""/openapi.json tells the truth about every operation: which credential it needs, which error bodies it
answers (each family's real envelope, never FastAPI's default 422), with a summary and examples."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings

from ..helpers import configure
from ..surveys.support import Wall
from ..surveys.support import document as surveys_document

SPEC = create_app(Settings(database_url="sqlite:///unused.db")).openapi()
OPERATIONS = [
    (method.upper(), path, operation)
    for path, operations in SPEC["paths"].items()
    for method, operation in operations.items()
]
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]
SCHEME_HEADERS = {"authorization", "x-api-token", "x-user-id", "api-key"}
# Sentence case: words after the first are lower case, but for names and abbreviations.
PROPER = {"QR", "OAuth", "2.0"}


def operation(method: str, path: str) -> dict[str, Any]:
    return SPEC["paths"][path][method.lower()]


def security_of(method: str, path: str) -> list[dict[str, list[str]]] | None:
    return operation(method, path).get("security")


def documented_schema(method: str, path: str, status: int, media_type: str) -> dict[str, Any]:
    content = operation(method, path)["responses"][str(status)]["content"]
    return {**content[media_type]["schema"], "components": SPEC["components"]}


def assert_valid(schema: dict[str, Any], body: Any) -> None:
    errors = [e.message for e in jsonschema_rs.Draft202012Validator(schema).iter_errors(body)]
    assert errors == [], (body, errors)


def test_security_schemes_are_declared():
    schemes = SPEC["components"]["securitySchemes"]
    assert schemes["surveysToken"] == {**schemes["surveysToken"], "type": "apiKey", "name": "X-Api-Token"}
    assert schemes["surveysUser"]["name"] == "X-User-Id" and schemes["surveysUser"]["in"] == "header"
    assert schemes["signageApiKey"]["name"] == "API-KEY"
    for bearer in ("partnersBearer", "loyaltyBearer", "adminBearer"):
        assert (schemes[bearer]["type"], schemes[bearer]["scheme"]) == ("http", "bearer")
    assert (schemes["clientBasic"]["type"], schemes["clientBasic"]["scheme"]) == ("http", "basic")


@pytest.mark.parametrize(
    ("method", "path", "security"),
    [
        ("GET", "/v2/client/surveys", [{"surveysToken": [], "surveysUser": []}]),
        ("POST", "/v2/client/surveys/{survey_id}/skip", [{"surveysToken": [], "surveysUser": []}]),
        ("POST", "/ib/v1/tokens", [{"clientBasic": []}]),
        ("GET", "/ib/v1/clicks", [{"partnersBearer": []}]),
        ("POST", "/ib/v1/clicks", [{"partnersBearer": []}]),
        ("POST", "/oauth/token", [{"clientBasic": []}, {}]),
        ("POST", "/client/users/{correlation_id}/activity/trial/v2", [{"loyaltyBearer": []}]),
        ("POST", "/smart-engage/post/update-session-status", [{"signageApiKey": []}]),
        ("POST", "/smart-engage/post/engage-v3/{session_id}", [{"signageApiKey": []}]),
        ("PUT", "/admin/v1/config", [{"adminBearer": []}]),
    ],
)
def test_operation_requires_its_scheme(method, path, security):
    assert security_of(method, path) == security


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v2/client/clicks"),
        ("GET", "/v2/client/clicks"),
        ("GET", "/v2/client/clicks/{click_id}"),
        ("POST", "/v2/client/clicks/{click_id}"),
        ("GET", "/v2/client/clicks/{click_id}/page"),
        ("GET", "/smart-engage/scan/{app_id}/{campaign_id}"),
        ("GET", "/partners/go/{app_id}/{link_id}"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
    ],
)
def test_credential_less_operation_requires_nothing(method, path):
    assert security_of(method, path) is None


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=IDS)
def test_every_family_operation_has_security_or_is_known_to_be_open(method, path, op):
    # the click id, the signed outcome report, the QR scan, a link's tracked redirect, and the surveys
    # token the SDKs put in the URL
    open_prefixes = (
        "/v2/client/clicks",
        "/v2/server/",
        "/smart-engage/scan/",
        "/partners/go/",
        "/healthz",
        "/readyz",
        "/api/public/v1/apps/",
        "/offerwall",
    )
    assert ("security" in op) != path.startswith(open_prefixes)


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=IDS)
def test_secured_operation_lists_no_auth_header_as_parameter(method, path, op):
    if "security" not in op:
        return
    headers = {p["name"].lower() for p in op.get("parameters", []) if p["in"] == "header"}
    assert headers & SCHEME_HEADERS == set()


def test_no_operation_refers_to_fastapis_validation_error():
    assert "HTTPValidationError" not in json.dumps(SPEC)


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=IDS)
def test_operation_documents_its_error_bodies(method, path, op):
    errors = {status: r for status, r in op["responses"].items() if status[0] in "45"}
    assert errors, "no error response"
    for status, response in errors.items():
        (media_type,) = response["content"]
        documented = response["content"][media_type]
        assert_valid({**documented["schema"], "components": SPEC["components"]}, documented["example"])
        example = documented["example"]
        for key in ("status", "statusCode"):  # the envelopes that repeat the status agree with it
            if isinstance(example, dict) and isinstance(example.get(key), int):
                assert example[key] == int(status)


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=IDS)
def test_operation_has_a_sentence_case_imperative_summary(method, path, op):
    summary = op.get("summary", "")
    words = summary.replace("(", " ").split()
    assert words and words[0][0].isupper() and not summary.endswith(".")
    assert not words[0].endswith("s"), "imperative: 'Get', not 'Gets'"
    later = [w for w in words[1:] if w[0].isupper() and w not in PROPER and not w.isupper()]
    assert later == [], f"sentence case: {summary!r}"


@pytest.mark.parametrize(("method", "path", "op"), OPERATIONS, ids=IDS)
def test_operation_has_examples(method, path, op):
    successes = [r for status, r in op["responses"].items() if status[0] in "23"]
    assert successes and all(_has_example(r) for r in successes), "a success response lacks an example"
    if "requestBody" in op:
        assert any("example" in c for c in op["requestBody"]["content"].values()), "no request example"


def _has_example(response: dict[str, Any]) -> bool:
    if any("example" in c for c in response.get("content", {}).values()):
        return True
    if any("example" in h for h in response.get("headers", {}).values()):
        return True  # a redirect: its Location
    return not response.get("content")  # 204: nothing to show


# --- real answers match what is documented --------------------------------------------------------------


def test_surveys_errors_match_their_documented_schemas(client):
    answer = client.get("/v2/client/surveys")
    assert answer.status_code == 401
    assert_valid(documented_schema("GET", "/v2/client/surveys", 401, "application/json"), answer.json())
    unknown = "/v2/client/clicks/00000000-0000-4000-8000-000000000000"
    answer = client.post(unknown, json={"answer_question": {"answers": ["1"]}})
    assert answer.status_code == 404
    assert_valid(
        documented_schema("POST", "/v2/client/clicks/{click_id}", 404, "application/json"), answer.json()
    )
    configure(client, surveys_document())
    click = Wall(client).click("srv-auto")
    both = {"answer_question": {"answers": ["1"]}, "skip_question": True}
    answer = client.post(f"/v2/client/clicks/{click}", json=both)
    assert answer.status_code == 422 and answer.json()["data"]["code"] == "INVALID_ACTION"
    assert_valid(
        documented_schema("POST", "/v2/client/clicks/{click_id}", 422, "application/json"), answer.json()
    )


def test_partners_errors_match_their_documented_schemas(client):
    answer = client.get("/ib/v1/clicks")
    assert answer.status_code == 401
    assert_valid(documented_schema("GET", "/ib/v1/clicks", 401, "application/json"), answer.json())
    answer = client.get("/ib/v1/clicks", params={"limit": 0}, headers={"Authorization": "Bearer nope"})
    assert answer.status_code in (400, 401)
    assert_valid(
        documented_schema("GET", "/ib/v1/clicks", answer.status_code, "application/json"), answer.json()
    )


def test_loyalty_errors_match_their_documented_schemas(client):
    path = "/client/users/{correlation_id}/transactions/history/v2"
    answer = client.get("/client/users/c-1/transactions/history/v2")
    assert answer.status_code == 401
    assert_valid(documented_schema("GET", path, 401, "application/json"), answer.json())
    answer = client.post("/oauth/token", data={"client_id": "x"})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
    assert_valid(documented_schema("POST", "/oauth/token", 400, "application/json"), answer.json())


def test_signage_errors_match_their_documented_schemas(client):
    path = "/smart-engage/post/create-session"
    answer = client.post(path, json={"campaign_id": "x"}, headers={"API-KEY": "wrong"})
    assert answer.status_code == 401
    assert_valid(documented_schema("POST", path, 401, "application/json"), answer.json())


def test_admin_errors_match_their_documented_schemas(client):
    answer = client.get("/admin/v1/apps")
    assert answer.status_code == 401
    media_type = answer.headers["content-type"].split(";")[0]
    assert media_type == "application/problem+json"
    assert_valid(documented_schema("GET", "/admin/v1/apps", 401, media_type), answer.json())


def test_documented_error_example_is_the_renderers_output():
    """The examples are rendered by the family's own renderer: a change of envelope shows up here."""
    documented = operation("GET", "/ib/v1/clicks/{clickId}")["responses"]["404"]["content"]
    assert documented["application/json"]["example"] == {
        "message": "Click not found",
        "errors": {"clickId": ["not found"]},
    }
    oauth = operation("POST", "/oauth/token")["responses"]["401"]["content"]["application/json"]
    assert oauth["example"] == {
        "error": "invalid_client",
        "error_description": "client authentication failed",
    }


def parameter(method: str, path: str, name: str) -> dict[str, Any]:
    return next(p for p in operation(method, path).get("parameters", []) if p["name"] == name)


def test_required_parameters_closed_sets_and_caps_are_declared():
    families = ["surveys", "partners", "loyalty", "signage"]
    for name in ("family", "steps"):
        assert parameter("GET", "/admin/v1/apps/{app_id}/funnels", name)["required"] is True, name
    assert parameter("GET", "/admin/v1/apps/{app_id}/funnels", "family")["schema"]["enum"] == families
    assert parameter("GET", "/admin/v1/apps/{app_id}/metrics", "family")["required"] is True
    assert parameter("GET", "/admin/v1/apps/{app_id}/events", "family")["schema"]["enum"] == [
        *families,
        "admin",
    ]
    assert (
        parameter("GET", "/admin/v1/apps/{app_id}/export/{family}.csv", "family")["schema"]["enum"]
        == families
    )
    assert parameter("GET", "/ib/v1/clicks", "offset")["schema"]["maximum"] == 999_999_999
    identifier = parameter("POST", "/client/users/{identifier}/sessions", "x-identifier-type")
    assert "EMAIL" in identifier["schema"]["enum"]
    activity = SPEC["components"]["schemas"]["Activity"]["properties"]
    assert activity["action"]["enum"] == ["PURCHASE"]
    prompt = operation("PUT", "/client/users/{correlation_id}/prompts/{promptMessage_id}")["requestBody"]
    schema = prompt["content"]["application/json"]["schema"]
    assert schema["required"] == ["response"]
    assert schema["properties"]["response"]["enum"] == ["accepted", "declined", "deferred"]
    for method, path in (
        ("GET", "/api/public/v1/apps/{token}"),
        ("POST", "/admin/v1/apps/{app_id}/deliveries/{delivery_id}/replay"),
    ):
        assert "400" in operation(method, path)["responses"], path
    scopes = json.dumps(SPEC["components"]["schemas"])
    assert "x-closed-set" not in scopes and "x-closed-set" not in json.dumps(SPEC["paths"])
