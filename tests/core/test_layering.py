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


# What the writer's contract keeps from the families: the raw connection, a private part of the batch,
# the flags and escapes of the old contract. A job writes through ``tx``'s own methods, so the writer can
# undo all of it when the job refuses or raises.
OUTSIDE_THE_CONTRACT = {"conn", "connection", "_conn", "_batch", "_job", "local", "execute_now", "orm"}


def contract_breaches(folder: Path) -> list[str]:
    found = []
    for file in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in OUTSIDE_THE_CONTRACT:
                if isinstance(node.value, ast.Name) and node.value.id == "tx":
                    found.append(f"{file.name}:{node.lineno} tx.{node.attr}")
            elif isinstance(node, ast.keyword) and node.arg == "contained":
                found.append(f"{file.name}:{node.lineno} contained=")
    return found


@pytest.mark.parametrize("family", FAMILIES[:4])
def test_family_jobs_use_the_writer_only_through_its_contract(family):
    assert contract_breaches(PACKAGE / family) == []


def test_the_contract_check_finds_a_breach(tmp_path):
    source = "def job(tx):\n    tx.conn.execute(x)\n    w.submit(job, contained=True)\n"
    (tmp_path / "job.py").write_text(source)
    assert sorted(contract_breaches(tmp_path)) == ["job.py:2 tx.conn", "job.py:3 contained="]
