"""The README keeps up with the code: every environment variable and CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from clicktrail.cli import cli
from clicktrail.core.settings import ENVIRONMENT, Settings

README = (Path(__file__).parents[1] / "README.md").read_text()


@pytest.mark.parametrize("name", [name for name, _, _ in ENVIRONMENT])
def test_environment_variable_documented(name):
    assert f"`{name}`" in README


def test_environment_table_matches_settings():
    assert {name.removeprefix("CLICKTRAIL_").lower() for name, _, _ in ENVIRONMENT} == set(
        Settings.model_fields
    )


@pytest.mark.parametrize("command", [c.name or c.callback.__name__ for c in cli.registered_commands])
def test_cli_command_documented(command):
    assert f"clicktrail {command}" in README
