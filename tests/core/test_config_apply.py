"""clicktrail apply: validation with exact paths, one transaction, idempotence, hashed secrets."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from clicktrail.apply import apply_document
from clicktrail.cli import cli
from clicktrail.core.config.document import parse_text
from clicktrail.core.storage.db import create_db_engine, make_sessionmaker, normalize_url
from clicktrail.core.web.errors import ConfigError
from clicktrail.families import FAMILIES

from ..helpers import ADMIN, LOOPBACK, snapshot

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


@pytest.fixture(autouse=True)
def loopback_allowed(monkeypatch):
    """DOC's webhook and the demo's are on loopback: allowed as an operator would (for apply in-process
    and for the CLI)."""
    monkeypatch.setenv("CLICKTRAIL_OUTBOUND_ALLOW", LOOPBACK)


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
        "unknown scope 'survey' (expected one of surveys, partners, loyalty, signage, admin, metrics)",
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


def refused_apply(text: str, database_url, tmp_path, monkeypatch, suffix: str = "yaml") -> str:
    """``clicktrail apply`` of a config file holding ``text``: it exits 2; its output."""
    monkeypatch.setenv("CLICKTRAIL_DATABASE_URL", database_url)
    file = tmp_path / f"config.{suffix}"
    file.write_text(text)
    result = CliRunner().invoke(cli, ["apply", str(file)])
    assert result.exit_code == 2
    return result.output


def laughs(levels: int = 9) -> str:
    """A "billion laughs": ``levels`` lines of nine aliases each, 9**levels strings once expanded."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


class TestDocumentLimits:
    """A document is refused past its size or its values (YAML aliases counted as what they expand to),
    before anything is built from it: a few hundred bytes cannot cost minutes."""

    def test_billion_laughs_is_refused_at_the_alias_that_crossed_the_limit(
        self, database_url, tmp_path, monkeypatch
    ):
        started = time.monotonic()
        output = refused_apply(laughs(), database_url, tmp_path, monkeypatch)
        assert time.monotonic() - started < 5
        assert "more than 500000 values (CLICKTRAIL_MAX_CONFIG_NODES)" in output
        assert "line 6, column 40" in output  # the alias of 9**5 strings that crossed half a million

    def test_a_recursive_alias_is_refused_with_its_line(self, database_url, tmp_path, monkeypatch):
        output = refused_apply("apps:\n  - &app [1, *app]\n", database_url, tmp_path, monkeypatch)
        assert "found the alias *app inside the node it names" in output and "line 2" in output

    def test_anchors_and_merge_keys_of_a_real_document_apply(self, database_url, tmp_path, monkeypatch):
        text = (
            "defaults: &defaults {scopes: [surveys]}\n"
            "apps:\n"
            "  - id: acme\n    name: Acme\n    credentials:\n"
            "      - {<<: *defaults, name: wall, secret: wall-secret-1}\n"
            "      - {<<: *defaults, name: pos, secret: pos-secret-1, scopes: [loyalty]}\n"
        )
        document = parse_text(text)
        assert [c["scopes"] for c in document["apps"][0]["credentials"]] == [["surveys"], ["loyalty"]]
        monkeypatch.setenv("CLICKTRAIL_DATABASE_URL", database_url)
        (tmp_path / "config.yaml").write_text(text.replace("defaults:", "x-defaults:", 1))
        result = CliRunner().invoke(cli, ["apply", str(tmp_path / "config.yaml")])
        # an unknown top-level key is still refused: anchors live inside the apps they serve
        assert result.exit_code == 2 and "x-defaults: unknown key" in result.output
        inline = "apps:\n  - id: acme\n    name: Acme\n    credentials:\n"
        inline += "      - &wall {name: wall, secret: wall-secret-1, scopes: [surveys]}\n"
        inline += "      - {<<: *wall, name: wall2, secret: wall-secret-2}\n"
        (tmp_path / "config.yaml").write_text(inline)
        result = CliRunner().invoke(cli, ["apply", str(tmp_path / "config.yaml")])
        assert result.exit_code == 0, result.output
        assert "credential 'wall2' created" in result.output

    @pytest.mark.parametrize("suffix", ["yaml", "json"])
    def test_values_are_capped_by_setting(self, suffix, database_url, tmp_path, monkeypatch):
        monkeypatch.setenv("CLICKTRAIL_MAX_CONFIG_NODES", "1000")
        doc = {"apps": [{"id": f"app-{i}", "name": "A"} for i in range(200)]}  # 1 + 1 + 200 * 5 values
        text = json.dumps(doc) if suffix == "json" else yaml.safe_dump(doc)
        output = refused_apply(text, database_url, tmp_path, monkeypatch, suffix=suffix)
        assert "more than 1000 values (CLICKTRAIL_MAX_CONFIG_NODES)" in output
        doc["apps"] = doc["apps"][:199]
        assert parse_text(json.dumps(doc), json_first=suffix == "json", max_nodes=1000)["apps"]

    def test_size_is_capped_by_setting(self, database_url, tmp_path, monkeypatch):
        monkeypatch.setenv("CLICKTRAIL_MAX_CONFIG_BYTES", "1024")
        text = "apps:\n" + "".join(f"  - {{id: app-{i:03d}, name: A}}\n" for i in range(40))
        output = refused_apply(text, database_url, tmp_path, monkeypatch)
        assert f"has {len(text)} bytes, over the limit of 1024 (CLICKTRAIL_MAX_CONFIG_BYTES)" in output

    def test_put_config_refuses_billion_laughs_in_admin_problem_json(self, client):
        response = client.put(
            "/admin/v1/config", content=laughs(), headers={**ADMIN, "Content-Type": "application/yaml"}
        )
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "CLICKTRAIL_MAX_CONFIG_NODES" in response.text and "line 6, column 40" in response.text
        assert client.get("/admin/v1/apps", headers=ADMIN).json() == []
