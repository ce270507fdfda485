"""The clicktrail command's own polish: version, help without markup, what migrate did, and config file
errors that name the file."""

from __future__ import annotations

import logging
import os
import sqlite3

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from clicktrail import __version__
from clicktrail.cli import cli
from clicktrail.core.storage.db import create_db_engine
from clicktrail.core.web.logs import HTTP_CLIENT_LOGGERS

POSTGRES_URL = os.environ.get("CLICKTRAIL_TEST_POSTGRES_URL")

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


def test_every_command_keeps_the_http_clients_loggers_at_warning(tmp_path):
    """They log every outbound URL at INFO, query included (survey callbacks carry user ids)."""
    for name in HTTP_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    assert run("migrate", CLICKTRAIL_DATABASE_URL=f"sqlite:///{tmp_path}/fresh.db").exit_code == 0
    assert all(logging.getLogger(name).level == logging.WARNING for name in HTTP_CLIENT_LOGGERS)


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
        ("broken.json", '{"apps": [', "broken.json: invalid JSON"),
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


def test_backup_copies_a_live_sqlite_database(tmp_path):
    url = f"sqlite:///{tmp_path}/live.db"
    assert run("migrate", CLICKTRAIL_DATABASE_URL=url).exit_code == 0
    live = sqlite3.connect(tmp_path / "live.db")
    live.execute("INSERT INTO apps (id, name, config, created_at, updated_at) VALUES ('a', 'A', '{}', 0, 0)")
    live.commit()
    live.execute("BEGIN IMMEDIATE")  # a writer mid-transaction: its row is not in the copy
    live.execute("INSERT INTO apps (id, name, config, created_at, updated_at) VALUES ('b', 'B', '{}', 0, 0)")
    result = run("backup", str(tmp_path / "copy.db"), CLICKTRAIL_DATABASE_URL=url)
    live.rollback()
    live.close()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT id FROM apps").fetchall() == [("a",)]
    copy.close()


def test_backup_points_postgresql_to_pg_dump(tmp_path):
    result = run("backup", str(tmp_path / "x.db"), CLICKTRAIL_DATABASE_URL="postgresql://u@127.0.0.1:1/x")
    assert result.exit_code == 2
    assert "pg_dump" in result.output


@pytest.mark.skipif(not POSTGRES_URL, reason="CLICKTRAIL_TEST_POSTGRES_URL is not set")
@pytest.mark.parametrize(
    ("query", "expected"), [("", 5), ("?prepare_threshold=none", None), ("?prepare_threshold=0", 0)]
)
def test_prepared_statements_can_be_turned_off_for_pgbouncer(query, expected):
    engine = create_db_engine(POSTGRES_URL + query)
    try:
        with engine.connect() as conn:
            assert conn.connection.dbapi_connection.prepare_threshold == expected
            for _ in range(7):  # past psycopg's default threshold: a statement gets prepared unless off
                conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def test_users_commands_add_list_change_and_remove_a_user(tmp_path):
    """``clicktrail users``: the password from stdin (never echoed), refusals on stderr with a status, and
    each change one audit row naming the command line."""
    url = f"sqlite:///{tmp_path}/users.db"
    assert run("migrate", CLICKTRAIL_DATABASE_URL=url).exit_code == 0
    env = {"CLICKTRAIL_DATABASE_URL": url}

    def users(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, ["users", *args], env={"COLUMNS": "120", **env}, input=input)

    added = users("add", "Ana@Example.com", "--role", "viewer", "--password-stdin", input="a good password\n")
    assert added.exit_code == 0 and added.output.strip() == "added ana@example.com: viewer of every app"
    assert "a good password" not in added.output
    prompted = users("add", "bo@example.com", "--role", "owner", input="another password\nanother password\n")
    assert prompted.exit_code == 0, prompted.output
    assert (
        users("add", "ana@example.com", "--role", "viewer", "--password-stdin", input="x" * 9).exit_code == 2
    )
    assert users("passwd", "ana@example.com", "--password-stdin", input="short\n").exit_code == 2
    assert users("set-role", "ana@example.com", "admin", "--app", "nope").exit_code == 2
    listed = users("list")
    assert listed.output.splitlines() == [
        "ana@example.com: viewer of every app",
        "bo@example.com: owner of every app",
    ]
    assert "password" not in users("list", "--json").output
    assert users("passwd", "ana@example.com", "--password-stdin", input="a better password\n").exit_code == 0
    assert users("remove", "ana@example.com").exit_code == 0
    assert users("remove", "ana@example.com").exit_code == 1
    with sqlite3.connect(f"{tmp_path}/users.db") as db:
        rows = db.execute("SELECT actor, action, target FROM audit_log ORDER BY id").fetchall()
    assert rows == [
        ("command line", "user.add", "ana@example.com"),
        ("command line", "user.add", "bo@example.com"),
        ("command line", "user.update", "ana@example.com"),
        ("command line", "user.remove", "ana@example.com"),
    ]
