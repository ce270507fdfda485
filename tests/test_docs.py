"""The README keeps up with the code: every environment variable and CLI command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clicktrail.cli import cli
from clicktrail.core.config.settings import ENVIRONMENT, Settings

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_environment_table_matches_settings():
    """Every row of the README's environment table is a setting, and every setting has a row."""
    documented = set(re.findall(r"^\| `CLICKTRAIL_([A-Z0-9_]+)` \|", README, flags=re.MULTILINE))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_every_setting_has_a_help_line():
    assert len(ENVIRONMENT) == len(Settings.model_fields)
    assert all(meaning for _, _, meaning in ENVIRONMENT)


def test_serve_help_lists_every_environment_variable():
    output = CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"}).output
    for name, _, _ in ENVIRONMENT:
        assert name in output


@pytest.mark.parametrize("command", [c.name or c.callback.__name__ for c in cli.registered_commands])
def test_cli_command_documented(command):
    assert f"clicktrail {command}" in README


def test_security_md_names_tests_that_exist():
    """Every test SECURITY.md cites as proof is there: a renamed or deleted test fails this one."""
    import re

    root = Path(__file__).parents[1]
    text = (root / "SECURITY.md").read_text()
    cited = re.findall(r"`(tests/[\w/]+\.py)(?:::([\w.…]+))?`", text)
    assert len(cited) > 20
    for path, name in cited:
        source = (root / path).read_text()
        if name:
            assert f"def {name.split('…')[-1].lstrip('.').split('::')[-1]}(" in source, (path, name)
