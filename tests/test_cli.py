"""The clicktrail command's own polish: version, help without markup, what migrate did, and config file
errors that name the file."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clicktrail import __version__
from clicktrail.cli import cli

COMMANDS = [c.name or c.callback.__name__.replace("_", "-") for c in cli.registered_commands]


def run(*args: str, **env: str):
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "120", **env})


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"clicktrail {__version__}"


@pytest.mark.parametrize("args", [[], *([c] for c in COMMANDS)])
def test_help_has_no_raw_markup(args):
    result = run(*args, "--help")
    assert result.exit_code == 0
    for artefact in ("`", "[bold", "[/", "**", "\\b"):
        assert artefact not in result.output


def test_migrate_says_what_it_applied(tmp_path):
    url = f"sqlite:///{tmp_path}/fresh.db"
    first = run("migrate", CLICKTRAIL_DATABASE_URL=url)
    assert first.exit_code == 0, first.output
    assert "applied" in first.output
    revisions = [line.strip() for line in first.output.splitlines()[1:]]
    assert len(revisions) >= 2 and all("(" in line for line in revisions)
    again = run("migrate", CLICKTRAIL_DATABASE_URL=url)
    assert again.output.strip() == f"{url}: already up to date"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.yaml", "apps: [\n", "broken.yaml: invalid YAML"),
        ("broken.json", '{"apps": [', "broken.json: invalid JSON at line 1"),
        ("empty.yaml", "  \n", "empty.yaml is empty"),
        ("empty.json", "", "empty.json is empty"),
    ],
)
def test_apply_names_the_file_it_refuses(database_url, tmp_path, name, content, expected):
    file = tmp_path / name
    file.write_text(content)
    result = run("apply", str(file), CLICKTRAIL_DATABASE_URL=database_url)
    assert result.exit_code == 2
    assert expected in result.output
