"""Alembic, run from code. Core keeps its revisions in ``core/storage/migrations``; each family brings its own
versions folder with a branch label, so ``upgrade heads`` walks all of them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .db import create_db_engine, create_private_file, normalize_url, sqlite_file

HERE = Path(__file__).parent / "migrations"


def alembic_config(url: str, version_dirs: Iterable[Path] = ()) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    locations = [str(HERE / "versions"), *(str(p) for p in version_dirs)]
    cfg.set_main_option("version_locations", " ".join(locations))
    cfg.set_main_option("path_separator", "space")
    cfg.set_main_option("sqlalchemy.url", normalize_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, version_dirs: Iterable[Path] = ()) -> list[str]:
    """Apply every missing revision; returns those applied, oldest first, as "id (message)"."""
    cfg = alembic_config(url, version_dirs)
    script = ScriptDirectory.from_config(cfg)
    if (path := sqlite_file(url)) is not None:
        create_private_file(path)  # 0600, not the umask's 0644: it holds personal data and secrets' hashes
    before = _reached(url, script)
    command.upgrade(cfg, "heads")
    after = _reached(url, script)
    oldest_first = reversed(list(script.walk_revisions()))
    return [f"{rev.revision} ({rev.doc})" for rev in oldest_first if rev.revision in after - before]


def pending(url: str, version_dirs: Iterable[Path] = ()) -> set[str]:
    """Heads the database has not reached yet (all of them on an empty database)."""
    script = ScriptDirectory.from_config(alembic_config(url, version_dirs))
    return set(script.get_heads()) - _reached(url, script)


def _reached(url: str, script: ScriptDirectory) -> set[str]:
    """Every revision the database has applied (its heads and their ancestors)."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
    reached: set[str] = set()
    for head in current:
        reached.update(rev.revision for rev in script.iterate_revisions(head, "base"))
    return reached
