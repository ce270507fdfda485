"""clicktrail apply: validation with exact paths, one transaction, idempotence, hashed secrets."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from clicktrail.apply import apply_document
from clicktrail.cli import cli
from clicktrail.core.config import parse_text
from clicktrail.core.db import create_db_engine, make_sessionmaker, normalize_url
from clicktrail.core.errors import ConfigError
from clicktrail.families import FAMILIES

from ..helpers import snapshot

DEMO = yaml.safe_load(Path(__file__).parents[2].joinpath("examples/demo.yaml").read_text())

BASE = {
    "apps": [
        {
            "id": "acme",
            "name": "Acme",
            "credentials": [
                {"name": "wall", "secret": "wall-secret-1", "scopes": ["surveys"]},
                {"name": "pos", "client_id": "pos-1", "secret": "pos-secret-1", "scopes": ["loyalty"]},
                {"name": "generated", "scopes": ["signage"]},
            ],
            "webhooks": [{"url": "http://127.0.0.1:9/hook", "secret": "hook-secret", "events": ["*"]}],
        }
    ]
}


@pytest.fixture
def sessions(database_url: str):
    engine = create_db_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def apply(sessions, doc):
    return apply_document(sessions, copy.deepcopy(doc), FAMILIES)


class TestIdempotence:
    def test_second_apply_changes_nothing(self, sessions, database_url):
        first = apply(sessions, BASE)
        assert "acme: app created" in first.changes
        assert list(first.generated_secrets) == ["acme/generated"]
        before = snapshot(database_url)
        second = apply(sessions, BASE)
        assert second.changes == [] and second.generated_secrets == {}
        assert snapshot(database_url) == before

    def test_demo_document_applies_twice(self, sessions, database_url):
        apply(sessions, DEMO)
        before = snapshot(database_url)
        assert apply(sessions, DEMO).changes == []
        assert snapshot(database_url) == before

    def test_changes_are_applied_and_reported(self, sessions):
        apply(sessions, BASE)
        doc = copy.deepcopy(BASE)
        doc["apps"][0]["name"] = "Acme Corp"
        doc["apps"][0]["credentials"][0]["scopes"] = ["surveys", "partners"]
        doc["apps"][0]["credentials"][0]["secret"] = "wall-secret-2"
        report = apply(sessions, doc)
        assert "acme: app renamed to 'Acme Corp'" in report.changes
        assert "acme: credential 'wall' updated (scopes, secret)" in report.changes


BAD_DOCUMENTS = [
    pytest.param(
        lambda d: d["apps"][0]["credentials"][1].__setitem__("scopes", ["survey"]),
        "apps[0].credentials[1].scopes[0]",
        "unknown scope 'survey' (expected one of surveys, partners, loyalty, signage, admin)",
        id="bad-scope",
    ),
    pytest.param(
        lambda d: d["apps"][0].__setitem__("name", ["not", "a", "string"]),
        "apps[0].name",
        "Input should be a valid string",
        id="wrong-type",
    ),
    pytest.param(
        lambda d: d["apps"][0]["credentials"][0].__setitem__("colour", "red"),
        "apps[0].credentials[0].colour",
        "unknown key",
        id="unknown-key",
    ),
    pytest.param(
        lambda d: d["apps"].append({"id": "acme", "name": "Again"}),
        "apps[1].id",
        "duplicate app id 'acme' (also apps[0])",
        id="duplicate-app",
    ),
    pytest.param(
        lambda d: d["apps"][0]["credentials"].append({"name": "wall", "scopes": ["partners"]}),
        "apps[0].credentials[4].name",
        "duplicate name 'wall' (also apps[0].credentials[0])",
        id="duplicate-credential",
    ),
    pytest.param(
        lambda d: d["apps"][0].__setitem__("id", "Not Valid"),
        "apps[0].id",
        "String should match pattern '^[a-z0-9-]{1,64}$'",
        id="bad-app-id",
    ),
    pytest.param(
        lambda d: d["apps"][0].__setitem__("signage", ["not", "a", "mapping"]),
        "apps[0].signage",
        None,
        id="section-not-mapping",
    ),
]


class TestRefusal:
    @pytest.mark.parametrize(("mutate", "path", "message"), BAD_DOCUMENTS)
    def test_bad_document_is_refused_with_its_path_and_changes_nothing(
        self, sessions, database_url, mutate, path, message
    ):
        apply(sessions, BASE)
        before = snapshot(database_url)
        doc = copy.deepcopy(BASE)
        doc["apps"][0]["name"] = "Renamed"  # a valid change that must not land either
        doc["apps"][0]["credentials"].append({"name": "extra", "secret": "extra-secret", "scopes": ["admin"]})
        mutate(doc)
        with pytest.raises(ConfigError) as info:
            apply(sessions, doc)
        paths = [p for p, _ in info.value.problems]
        assert path in paths, info.value.problems
        if message is not None:
            assert (path, message) in info.value.problems
        assert snapshot(database_url) == before

    def test_secret_of_another_credential_is_refused(self, sessions, database_url):
        apply(sessions, BASE)
        before = snapshot(database_url)
        doc = {
            "apps": [
                {
                    "id": "other",
                    "name": "Other",
                    "credentials": [{"name": "copy", "secret": "wall-secret-1", "scopes": ["surveys"]}],
                }
            ]
        }
        with pytest.raises(ConfigError) as info:
            apply(sessions, doc)
        assert info.value.problems[0][0] == "apps[0].credentials[0].secret"
        assert snapshot(database_url) == before

    def test_not_a_mapping(self, sessions):
        with pytest.raises(ConfigError):
            apply_document(sessions, ["apps"], FAMILIES)  # type: ignore[arg-type]


class TestSecretsAtRest:
    def test_no_secret_is_stored_in_clear(self, sessions, database_url):
        report = apply(sessions, BASE)
        generated = report.generated_secrets["acme/generated"]
        dump = json.dumps(snapshot(database_url))
        for secret in ("wall-secret-1", "pos-secret-1", generated):
            assert secret not in dump
        engine = create_engine(normalize_url(database_url))
        with engine.connect() as conn:
            hashes = conn.execute(text("SELECT secret_hash FROM credentials")).scalars().all()
        engine.dispose()
        assert all(len(h) == 64 and int(h, 16) >= 0 for h in hashes)


class TestCli:
    def test_apply_prints_generated_secret_once(self, database_url, tmp_path, monkeypatch):
        monkeypatch.setenv("CLICKTRAIL_DATABASE_URL", database_url)
        file = tmp_path / "config.json"
        file.write_text(json.dumps(BASE))
        runner = CliRunner()
        first = runner.invoke(cli, ["apply", str(file)])
        assert first.exit_code == 0, first.output
        assert "generated secret for acme/generated (shown once): ct_" in first.output
        second = runner.invoke(cli, ["apply", str(file)])
        assert second.exit_code == 0
        assert second.output.strip() == "no changes"

    def test_apply_reports_every_problem_and_exits_2(self, database_url, tmp_path, monkeypatch):
        text = "apps:\n  - id: x\n    name: X\n    credentials:\n      - {name: a, scopes: [survey]}\n"
        output = refused_apply(text, database_url, tmp_path, monkeypatch)
        assert "apps[0].credentials[0].scopes[0]: unknown scope 'survey'" in output

    def test_invalid_yaml(self, database_url, tmp_path, monkeypatch):
        assert "invalid YAML" in refused_apply("apps: [\n", database_url, tmp_path, monkeypatch)

    def test_a_key_given_twice_is_refused_with_its_line(self, database_url, tmp_path, monkeypatch):
        text = "apps:\n  - id: x\n    name: X\n    name: Y\n"
        output = refused_apply(text, database_url, tmp_path, monkeypatch)
        assert "found the key 'name' twice" in output
        assert "line 4, column 5" in output

    def test_merge_keys_may_be_overridden(self):
        text = "base: &base {name: A, rank: 1}\nother:\n  <<: *base\n  name: B\n"
        assert parse_text(text)["other"] == {"name": "B", "rank": 1}


def refused_apply(text: str, database_url, tmp_path, monkeypatch) -> str:
    """``clicktrail apply`` of a config file holding ``text``: it exits 2; its output."""
    monkeypatch.setenv("CLICKTRAIL_DATABASE_URL", database_url)
    file = tmp_path / "config.yaml"
    file.write_text(text)
    result = CliRunner().invoke(cli, ["apply", str(file)])
    assert result.exit_code == 2
    return result.output
