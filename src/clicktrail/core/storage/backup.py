"""``clicktrail backup``: a consistent copy of a SQLite database while servers keep writing to it (SQLite's
online backup API, the one behind ``sqlite3 .backup``). PostgreSQL has ``pg_dump`` for that."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .db import create_private_file

PAGES_PER_STEP = 1024  # copy in steps, so writers are held up for a step at a time, not the whole copy


def backup_sqlite(source: str | Path, destination: str | Path) -> int:
    """Copy ``source`` to ``destination`` (replaced if it exists); returns the pages copied."""
    destination = Path(destination)
    if destination.exists():
        destination.unlink()
    pages = 0

    def progress(_status: int, remaining: int, total: int) -> None:
        nonlocal pages
        pages = total - remaining

    src = sqlite3.connect(f"file:{Path(source)}?mode=ro", uri=True)
    create_private_file(destination)  # mode 0600, like the database it copies
    dst = sqlite3.connect(destination)
    try:
        src.backup(dst, pages=PAGES_PER_STEP, progress=progress)
    finally:
        dst.close()
        src.close()
    return pages
