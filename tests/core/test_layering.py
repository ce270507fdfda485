"""Arrows point down: core imports no family, and no family imports another."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "src" / "clicktrail"
FAMILIES = ("surveys", "partners", "loyalty", "signage", "admin")


def imported_packages(folder: Path) -> set[str]:
    found = set()
    for file in folder.rglob("*.py"):
        depth = len(file.relative_to(PACKAGE).parts) - 1
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level:  # resolve relative imports against the file's package
                    base = list(file.relative_to(PACKAGE).parts[:depth])
                    parts = base[: len(base) - (node.level - 1)] + (
                        node.module.split(".") if node.module else []
                    )
                    found.add(parts[0] if parts else "")
                elif node.module and node.module.startswith("clicktrail."):
                    found.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("clicktrail."))
    return found


def test_core_imports_no_family():
    assert imported_packages(PACKAGE / "core") & set(FAMILIES) == set()


@pytest.mark.parametrize("family", FAMILIES[:4])
def test_family_imports_only_core_and_itself(family):
    assert imported_packages(PACKAGE / family) - {"core", family} == set()


def test_the_dashboard_imports_only_core():
    """It shows what the admin API answers, through the API itself (in process), not its internals."""
    assert imported_packages(PACKAGE / "dashboard") - {"core", "dashboard"} == set()
