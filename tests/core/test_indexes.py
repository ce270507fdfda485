"""Every index is justified by a named query (docs/indexes.md): the page names each index and unique
constraint the models declare, no more, each with queries that exist; and a migrated database holds the
indexes the models declare, no more (a migration that adds or drops one updates the model too)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Index, Table, UniqueConstraint, create_engine, inspect
from sqlalchemy.engine import Inspector

from clicktrail.core.storage.db import Base, normalize_url
from clicktrail.core.storage.migrate import alembic_config, upgrade
from clicktrail.families import migration_dirs

from ..helpers import scratch_postgres

PAGE = Path(__file__).parents[2] / "docs" / "indexes.md"
SECTION = re.compile(r"^## `(\w+)`$")
ROW = re.compile(r"^\| `(\w+)` \| ([^|]+) \| ([^|]+) \| [^|]+ \|$")
QUERY = re.compile(r"`([\w.]+)`")
# PostgreSQL partitions partner_clicks, and a unique index there would have to hold the partition key: the
# uuid is kept unique per app by a reservation table instead (partners_0005), under the same name.
RESERVED_ELSEWHERE = {("partner_clicks", ("app_id", "uuid")): ("partner_click_uuids", ("app_id", "uuid"))}


def documented(page: Path = PAGE) -> dict[str, dict[str, tuple[str, list[str]]]]:
    """{table: {index or constraint name: (columns as written, named queries)}}, from the page's tables."""
    found: dict[str, dict[str, tuple[str, list[str]]]] = {}
    table = None
    for line in page.read_text().splitlines():
        if line.startswith("## "):
            heading = SECTION.match(line)
            table = heading.group(1) if heading else None
        elif table is not None and (row := ROW.match(line)):
            name, columns, queries = row.groups()
            assert name not in found.setdefault(table, {}), f"{name} is listed twice"
            found[table][name] = (columns.strip(), QUERY.findall(queries))
    return found


def declared() -> dict[str, dict[str, list[str]]]:
    """{table: {index or unique constraint name: columns}}, from the models."""
    tables: dict[str, dict[str, list[str]]] = {}
    for table in Base.metadata.tables.values():
        named: dict[str, list[str]] = {}
        for item in [*table.indexes, *table.constraints]:
            if isinstance(item, Index | UniqueConstraint):
                named[str(item.name)] = [column.name for column in item.columns]
        if named:
            tables[table.name] = named
    return tables


def resolves(dotted: str) -> bool:
    """Whether ``dotted`` (under ``clicktrail.``) is a module, or an attribute path in one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(["clicktrail", *parts[:cut]]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute, None)
        return found is not None
    return False


def test_the_page_names_every_declared_index_and_no_other():
    models = declared()
    page = documented()
    assert len(models) > 15  # every family's tables were found
    assert {t: sorted(n) for t, n in page.items()} == {t: sorted(n) for t, n in models.items()}


def test_the_page_gives_each_its_columns_in_order():
    models = declared()
    for table, names in documented().items():
        for name, (columns, _) in names.items():
            written = [c.strip() for c in re.sub(r"\(.*\)", "", columns).split(",")]
            assert written == models.get(table, {}).get(name), (table, name)


def test_every_named_query_exists():
    """A renamed or removed function fails here: its index is then justified by nothing."""
    for table, names in documented().items():
        for name, (_, queries) in names.items():
            assert queries, f"{table}.{name} names no query"
            missing = [q for q in queries if not resolves(q)]
            assert missing == [], (table, name)


def test_the_checks_catch_what_they_look_for(tmp_path):
    """An index the page does not name, and a name the models lack, are both found."""
    page = tmp_path / "indexes.md"
    page.write_text(
        "## `outbox`\n\n| Index | Columns | Named query | Why |\n| --- | --- | --- | --- |\n"
        "| `ix_outbox_due` | status, next_attempt_at | `core.journeys.outbox._claim` | due |\n"
        "| `ix_outbox_gone` | app_id | `core.journeys.outbox.no_such_query` | none |\n"
    )
    listed = documented(page)["outbox"]
    assert set(listed) - set(declared()["outbox"]) == {"ix_outbox_gone"}
    assert set(declared()["outbox"]) - set(listed) == {"ix_outbox_app_id_id", "ix_outbox_app_status_id"}
    assert resolves("core.journeys.outbox._claim")
    assert not resolves("core.journeys.outbox.no_such_query")


def profile_indexes(url: str) -> set[str]:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            return {str(i["name"]) for i in inspect(conn).get_indexes("partner_profiles")}
    finally:
        engine.dispose()


@contextmanager
def scratch(database_url: str) -> Iterator[str]:
    """A migrated database of its own: the fixture's SQLite copy, or a new PostgreSQL one."""
    if database_url.startswith("sqlite"):
        yield database_url
    else:
        with scratch_postgres(database_url, "clicktrail_indexes") as url:
            yield url


def test_the_unused_profiles_index_drops_and_comes_back(database_url):
    """partners_0007 drops ix_partner_profiles_app_id; its downgrade builds it again."""
    with scratch(database_url) as url:
        assert "ix_partner_profiles_app_id" not in profile_indexes(url)
        command.downgrade(alembic_config(url, migration_dirs()), "partners_0006")
        assert "ix_partner_profiles_app_id" in profile_indexes(url)
        upgrade(url, migration_dirs())
        assert "ix_partner_profiles_app_id" not in profile_indexes(url)


Shape = tuple[dict[str, list[str]], set[tuple[str, ...]]]  # indexes by name, unique constraints' columns


def in_the_models(table: Table, postgresql: bool) -> Shape:
    indexes = {str(i.name): [c.name for c in i.columns] for i in table.indexes}
    unique = {tuple(c.name for c in u.columns) for u in table.constraints if isinstance(u, UniqueConstraint)}
    if postgresql:
        unique -= {columns for name, columns in RESERVED_ELSEWHERE if name == table.name}
    return indexes, unique


def in_the_database(found: Inspector, table: str) -> Shape:
    indexes = {str(i["name"]): i["column_names"] for i in found.get_indexes(table) if not i["unique"]}
    return indexes, {tuple(u["column_names"]) for u in found.get_unique_constraints(table)}


def test_a_migrated_database_has_the_declared_indexes(database_url):
    """Indexes by name and columns; unique constraints by columns (PostgreSQL names a column's own
    ``<table>_<column>_key``)."""
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            postgresql = conn.dialect.name == "postgresql"
            for table in Base.metadata.tables.values():
                assert in_the_database(found, table.name) == in_the_models(table, postgresql), table.name
            if postgresql:
                for elsewhere, key in RESERVED_ELSEWHERE.values():
                    assert tuple(found.get_pk_constraint(elsewhere)["constrained_columns"]) == key
    finally:
        engine.dispose()
