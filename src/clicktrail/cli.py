"""The clicktrail command: serve, migrate, apply, users, purge, backup, demo, seed-clicks."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .core.config.settings import Settings, environment
from .core.web.errors import ConfigError

cli = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"clicktrail {__version__}")
        raise typer.Exit()


@cli.callback()
def _main(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_print_version, is_eager=True, help="print the version and exit"),
    ] = None,
) -> None:
    """Click-to-reward journeys: four vendor APIs on one engine."""
    from .core.web.logs import quiet_http_client

    quiet_http_client()


def _pending(settings: Settings) -> set[str]:
    from .core.storage.migrate import pending
    from .families import migration_dirs

    return pending(settings.database_url, migration_dirs())


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema (CLICKTRAIL_DATABASE_URL)."""
    from .core.storage.migrate import upgrade
    from .families import migration_dirs

    settings = Settings()
    applied = upgrade(settings.database_url, migration_dirs())
    where = _redact(settings.database_url)
    if not applied:
        typer.echo(f"{where}: already up to date")
        return
    typer.echo(f"{where}: applied {len(applied)} revision(s):")
    for revision in applied:
        typer.echo(f"  {revision}")


@cli.command()
def apply(
    file: Annotated[Path, typer.Argument(help="config document, YAML or JSON")],
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Create or update apps, credentials, webhooks and family settings from FILE (idempotent)."""
    from .apply import apply_or_raise
    from .core.config.document import load_file
    from .core.storage.db import create_db_engine, make_sessionmaker
    from .families import FAMILIES

    settings = Settings()
    _require_migrated(settings)
    engine = create_db_engine(settings.database_url)
    try:
        document = load_file(file, max_bytes=settings.max_config_bytes, max_nodes=settings.max_config_nodes)
        report = apply_or_raise(make_sessionmaker(engine), document, FAMILIES)
    except ConfigError as exc:
        for path, message in exc.problems:
            typer.echo(f"{path}: {message}" if path else message, err=True)
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    for change in report.changes or ["no changes"]:
        typer.echo(change)
    for name, secret in report.generated_secrets.items():
        typer.echo(f"generated secret for {name} (shown once): {secret}")


@cli.command()
def purge(
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="print the report as JSON: {apps: per app, rows: upkeep and row retention}"
        ),
    ] = False,
) -> None:
    """Purge personal data older than each app's privacy.personal_data_days (idempotent); keep the month
    partitions ahead (PostgreSQL) and, with CLICKTRAIL_ROW_RETENTION_DAYS, delete older rows."""
    from .core.journeys.retention import expire
    from .core.journeys.retention import purge as purge_all
    from .core.storage.db import create_db_engine, make_sessionmaker
    from .families import FAMILIES

    settings = Settings()
    _require_migrated(settings)
    engine = create_db_engine(settings.database_url)
    try:
        sessions = make_sessionmaker(engine)
        report = purge_all(sessions, FAMILIES)
        rows = expire(sessions, FAMILIES, days=settings.row_retention_days)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps({"apps": report, "rows": rows}, indent=2, default=_iso))
        return
    for what in ("created", "dropped"):
        if rows[what]:
            typer.echo(f"partitions {what}: {', '.join(rows[what])}")
    for table, count in rows["deleted"].items():
        if count:
            typer.echo(f"{table}: {count} row(s) past CLICKTRAIL_ROW_RETENTION_DAYS deleted")
    if rows["analysed"]:
        typer.echo(f"planner statistics gathered: {', '.join(rows['analysed'])}")
    if not report:
        typer.echo("no app sets privacy.personal_data_days: nothing to purge")
    for app_id, done in report.items():
        changed = [
            f"{how} {family}.{table}: {count}"
            for how in ("anonymized", "removed")
            for family, tables in done[how].items()
            for table, count in tables.items()
            if count
        ]
        typer.echo(f"{app_id}: before {_iso(done['before'])}: {', '.join(changed) or 'nothing to purge'}")


def _iso(value: object) -> str:
    """JSON for what json cannot write: a time in ISO 8601 (UTC as ``Z``), anything else as text."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


def _serve_help() -> str:
    """The command's help, with every setting it reads (from Settings itself, so it cannot drift)."""
    lines = [f"{name}: {meaning} (default: {default})" for name, default, meaning in environment()]
    return (
        "Serve the HTTP API. Refuses an unmigrated database: run 'clicktrail migrate' first.\n\n"
        "Settings come from the environment:\n\n\b\n" + "\n".join(lines)
    )


@cli.command(help=_serve_help())
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="server processes")] = 1,
) -> None:
    import logging.config
    import sys

    # uvicorn imports watchfiles (~1 MB) for --reload whenever it is installed; serve never reloads.
    sys.modules.setdefault("watchfiles", None)  # type: ignore[arg-type]
    import uvicorn

    from .core.web.logs import logging_config
    from .serving import TimedHttpProtocol

    settings = Settings()
    _require_migrated(settings)
    log_config = logging_config(settings.log_format, settings.log_level)
    logging.config.dictConfig(log_config)
    _log_summary(settings, host=host, port=port, workers=workers)
    uvicorn.run(
        "clicktrail.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        access_log=False,  # ours covers every route, lean ones included (CLICKTRAIL_ACCESS_LOG)
        log_config=log_config,
        http=TimedHttpProtocol,  # uvicorn's httptools protocol, with a header read timeout
        timeout_keep_alive=settings.keep_alive_seconds,
    )


def _log_summary(settings: Settings, *, host: str, port: int, workers: int) -> None:
    """One line at start: what this server is and what it serves."""
    import logging

    from sqlalchemy import func, select

    from .core.storage.db import create_db_engine
    from .core.tenancy.apps import App

    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            apps = conn.scalar(select(func.count()).select_from(App))
    finally:
        engine.dispose()
    admin = "on" if settings.admin_token else "off"
    logging.getLogger("clicktrail").info(
        "clicktrail %s on http://%s:%d: database %s, %d apps, admin %s, %d workers, metrics %s",
        __version__, host, port, _redact(settings.database_url), apps, admin, workers, settings.metrics,
        extra={
            "version": __version__, "database": _redact(settings.database_url), "apps": apps,
            "admin": settings.admin_token is not None, "workers": workers, "host": host, "port": port,
            "metrics": settings.metrics,
        },
    )  # fmt: skip


@cli.command()
def demo(
    file: Annotated[
        Path | None, typer.Argument(help="demo config (default: the packaged examples/demo.yaml)")
    ] = None,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Migrate, apply the demo config, start its webhook receiver, print example requests and serve. Without
    CLICKTRAIL_DATABASE_URL the database is demo.db in the user's data directory (~/.local/share/clicktrail),
    not the current one."""
    from importlib.resources import as_file, files

    os.environ.setdefault("CLICKTRAIL_ADMIN_TOKEN", "demo-admin-token")
    os.environ.setdefault("CLICKTRAIL_DATABASE_URL", f"sqlite:///{_demo_database()}")
    typer.echo(f"demo database: {_redact(os.environ['CLICKTRAIL_DATABASE_URL'])}")
    migrate()
    with as_file(files("clicktrail") / "demo.yaml") as packaged:
        received = _start_demo_receiver(file or packaged)
        apply(file or packaged)
    base = f"http://{host}:{port}"
    typer.echo(_DEMO_REQUESTS.format(base=base, admin=os.environ["CLICKTRAIL_ADMIN_TOKEN"]) + received)
    serve(host=host, port=port, workers=1)


def _demo_database() -> Path:
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "clicktrail"
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    return data / "demo.db"


def _start_demo_receiver(file: Path) -> str:
    """Listen where the demo's webhook points, and let deliveries reach it (loopback is internal: see
    CLICKTRAIL_OUTBOUND_ALLOW); the line that tells where to see what it got."""
    from . import demoreceiver
    from .core.config.document import load_file

    allowed = os.environ.get("CLICKTRAIL_OUTBOUND_ALLOW")
    os.environ["CLICKTRAIL_OUTBOUND_ALLOW"] = ",".join(filter(None, [allowed, f"{demoreceiver.LOOPBACK}/32"]))
    try:
        receiver = demoreceiver.for_document(load_file(file))
    except ConfigError:
        return ""  # apply says what is wrong with the file
    except OSError as exc:
        typer.echo(f"the demo's webhook receiver is off: {exc.strerror}", err=True)
        return ""
    if receiver is None:
        return ""
    receiver.start()
    where = f"http://{demoreceiver.LOOPBACK}:{receiver.port}/"
    return f"What the demo's webhook, callback and postback receiver got: curl -s {where}\n"


@cli.command()
def backup(
    destination: Annotated[Path, typer.Argument(help="file to write the copy to (replaced)")],
) -> None:
    """Copy the SQLite database to DESTINATION while servers keep running (PostgreSQL: use pg_dump)."""
    from .core.storage.backup import backup_sqlite
    from .core.storage.db import create_db_engine, sqlite_path

    settings = Settings()
    _require_file(settings)
    engine = create_db_engine(settings.database_url)
    try:
        source = sqlite_path(engine)
    finally:
        engine.dispose()
    if source is None:
        typer.echo("backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)", err=True)
        raise typer.Exit(2)
    pages = backup_sqlite(source, destination)
    typer.echo(f"{source} copied to {destination} ({pages:,} pages)")


@cli.command("seed-clicks")
def seed_clicks(
    app_id: Annotated[str, typer.Argument(help="an app with partner links")],
    count: Annotated[int, typer.Option(min=1, help="clicks to write")] = 1000,
    days: Annotated[int, typer.Option(min=1, help="spread over the last DAYS days")] = 30,
    seed: Annotated[int | None, typer.Option(help="random seed, for repeatable data")] = None,
) -> None:
    """Write COUNT realistic partner clicks (and their events) for APP_ID, in bulk: for benchmarks."""
    from .core.storage.db import create_db_engine
    from .core.web.errors import NotFound
    from .partners.seed import seed_clicks as seed_app

    settings = Settings()
    _require_migrated(settings)
    engine = create_db_engine(settings.database_url, sqlite_synchronous="NORMAL")

    def progress(done: int) -> None:
        if done % 100_000 == 0 or done == count:
            typer.echo(f"  {done:,} clicks", err=True)

    try:
        result = seed_app(
            engine, app_id, count, days=days, seed=seed, geoip_db=settings.geoip_db, progress=progress
        )
    except NotFound as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    typer.echo(
        f"{result.clicks:,} clicks (and as many events) in {result.seconds:.1f} s: "
        f"{result.rate:,.0f} clicks/s, {2 * result.rate:,.0f} rows/s"
    )


@cli.command("rollups-rebuild")
def rollups_rebuild(
    app_id: Annotated[str, typer.Argument(help="the app whose metrics to recompute")],
    family: Annotated[list[str] | None, typer.Option(help="only this family (repeatable)")] = None,
) -> None:
    """Recompute APP_ID's metrics rollups from its journey events, in one transaction (after a restore, or
    for events written before rollups existed)."""
    from . import families  # noqa: F401  (registers the families' measures)
    from .core.journeys import rollups
    from .core.storage.db import create_db_engine

    settings = Settings()
    _require_migrated(settings)
    engine = create_db_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            read = rollups.rebuild(conn, app_id=app_id, families=family or None)
    finally:
        engine.dispose()
    typer.echo(f"{read:,} events counted")


users_cli = typer.Typer(
    no_args_is_help=True,
    help="Dashboard users: owners manage everything and users, admins change their apps, viewers read.",
)
cli.add_typer(users_cli, name="users")
Apps = Annotated[
    list[str] | None,
    typer.Option("--app", help="limit an admin or a viewer to this app (repeatable; none: every app)"),
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="read the password from the first line of stdin")
]


def _password(from_stdin: bool) -> str:
    """From stdin's first line, or typed twice at a prompt that does not echo it."""
    import sys

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _users_call(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a core.users change as the command line (its audit rows name it), on the configured database;
    a refusal is a message on stderr and exit status 2 (1 for a user not found)."""
    from .core.storage.db import create_db_engine, make_sessionmaker
    from .core.tenancy.access import CLI
    from .core.web.errors import ClicktrailError, NotFound

    settings = Settings()
    _require_migrated(settings)
    engine = create_db_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            return call(session, CLI, *args, **kwargs)
    except ClicktrailError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1 if isinstance(exc, NotFound) else 2) from exc
    finally:
        engine.dispose()


def _by_email(
    session: object, actor: object, email: str, change: Callable[..., object], **kwargs: object
) -> object:
    from .core.tenancy import users

    return change(session, actor, users.id_of(session, email), **kwargs)  # type: ignore[arg-type]


def _shown(user: dict[str, Any]) -> str:
    apps = ", ".join(user["apps"]) if user["apps"] else "every app"
    return f"{user['email']}: {user['role']} of {apps}"


@users_cli.command("add")
def users_add(
    email: Annotated[str, typer.Argument(help="their sign-in email (lowercased)")],
    role: Annotated[str, typer.Option(help="owner, admin or viewer")],
    app: Apps = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a dashboard user; the password is asked for (or read from stdin) and stored as an argon2 hash."""
    from .core.tenancy import users

    password = _password(password_stdin)
    added = _users_call(users.add_user, email=email, password=password, role=role, apps=app)
    typer.echo(f"added {_shown(added)}")


@users_cli.command("list")
def users_list(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """List the dashboard users (never their passwords)."""
    from .core.tenancy import users

    listed = _users_call(lambda session, _actor: users.list_users(session))
    if as_json:
        typer.echo(json.dumps(listed, indent=2, default=_iso))
        return
    for user in listed:
        typer.echo(_shown(user))
    if not listed:
        typer.echo("no users: sign in to the dashboard with CLICKTRAIL_ADMIN_TOKEN, or add one")


@users_cli.command("remove")
def users_remove(email: Annotated[str, typer.Argument()]) -> None:
    """Remove a dashboard user; their sessions end at once."""
    from .core.tenancy import users

    _users_call(_by_email, email, users.remove_user)
    typer.echo(f"removed {users.normalized_email(email)}")


@users_cli.command("set-role")
def users_set_role(
    email: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Argument(help="owner, admin or viewer")],
    app: Apps = None,
) -> None:
    """Give a user a role, and the apps they may see (none given: every app); their sessions end."""
    from .core.tenancy import users

    changed = _users_call(_by_email, email, users.update_user, role=role, apps=app or None)
    typer.echo(f"changed {_shown(changed)}")


@users_cli.command("passwd")
def users_passwd(email: Annotated[str, typer.Argument()], password_stdin: PasswordStdin = False) -> None:
    """Set a user's password; their sessions end."""
    from .core.tenancy import users

    password = _password(password_stdin)
    _users_call(_by_email, email, users.update_user, password=password)
    typer.echo(f"password of {users.normalized_email(email)} changed")


_DEMO_REQUESTS = """
clicktrail demo is starting on {base}. With the demo app of examples/demo.yaml, try:

  curl -s {base}/healthz
  curl -s -H 'Authorization: Bearer {admin}' {base}/admin/v1/apps/demo

  # surveys (BitLabs): the surveys a user may take
  curl -s {base}/v2/client/surveys -H 'X-Api-Token: wall-secret' -H 'X-User-Id: alice'
  # partners (B2Core): record a referral click
  curl -s -X POST {base}/ib/v1/clicks -H 'Authorization: Bearer ib-secret' \\
    -H 'Content-Type: application/json' -d '{{"ip": "81.2.69.142", "userAgent": "curl",
    "uri": "https://my.stage.org/register?referral=1&utm_source=mail"}}'
  # loyalty (ES Loyalty): a till's token
  curl -s -X POST {base}/oauth/token -u pos-1:pos-secret -d grant_type=client_credentials
  # signage (SmartRetail): a QR scan opens a session and redirects to the form
  curl -s -o /dev/null -w '%{{redirect_url}}\\n' {base}/smart-engage/scan/demo/spring-form

  # every step of every journey
  curl -s -H 'Authorization: Bearer {admin}' '{base}/admin/v1/apps/demo/events?limit=20'

docs/surveys.md, docs/partners.md, docs/loyalty.md and docs/signage.md walk through each journey.
"""


def _require_migrated(settings: Settings) -> None:
    _require_file(settings)
    missing = _pending(settings)
    if missing:
        typer.echo(
            f"the database {_redact(settings.database_url)} is not migrated "
            f"(missing {', '.join(sorted(missing))}): run `clicktrail migrate` first",
            err=True,
        )
        raise typer.Exit(1)


def _require_file(settings: Settings) -> None:
    """A SQLite database that is not there is refused before anything opens it: opening would leave an
    empty file behind (which the next command would take for a database)."""
    from .core.storage.db import sqlite_file

    path = sqlite_file(settings.database_url)
    if path is not None and not os.path.isfile(path):
        typer.echo(
            f"the database file {os.path.abspath(path)} does not exist: run `clicktrail migrate` to create "
            "it, or set CLICKTRAIL_DATABASE_URL to the existing one",
            err=True,
        )
        raise typer.Exit(1)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    cli(prog_name="clicktrail")
