"""Helpers of the retention tests: backdating rows in the database and running a purge."""

from __future__ import annotations

import copy
import time
from datetime import datetime, timedelta

from sqlalchemy import create_engine, text

from clicktrail.core.journeys.retention import purge
from clicktrail.core.storage.db import make_sessionmaker, normalize_url
from clicktrail.core.storage.ids import utcnow
from clicktrail.families import FAMILIES

DAYS = 30
OLD = utcnow() - timedelta(days=DAYS + 10)


def sql(database_url, statement, **params):
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return [tuple(r) for r in result] if result.returns_rows else None
    finally:
        engine.dispose()


def with_retention(doc, app_index=0, days=DAYS):
    doc = copy.deepcopy(doc)
    doc["apps"][app_index]["privacy"] = {"personal_data_days": days}
    return doc


def run_purge(database_url):
    engine = create_engine(normalize_url(database_url))
    try:
        return purge(make_sessionmaker(engine), FAMILIES)
    finally:
        engine.dispose()


def purge_before(database_url, cutoff: datetime):
    """Purge as if ``DAYS`` had passed since ``cutoff``: what was made before it is old. The rows and events
    keep their real times, so the metrics' two paths (rollups, raw rows) can be compared over them."""
    engine = create_engine(normalize_url(database_url))
    try:
        return purge(make_sessionmaker(engine), FAMILIES, now=cutoff + timedelta(days=DAYS))
    finally:
        engine.dispose()


def a_cutoff() -> datetime:
    """Now, with a moment either side: rows made before are older than it, rows made after newer (a click's
    time is kept to the millisecond)."""
    time.sleep(0.01)
    cutoff = utcnow()
    time.sleep(0.01)
    return cutoff


def nothing_left(report):
    return all(
        n == 0
        for app in report.values()
        for how in ("anonymized", "removed")
        for tables in app[how].values()
        for n in tables.values()
    )
