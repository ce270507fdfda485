"""Time partitioning on PostgreSQL: the tables that grow fastest (the journey event log, partner clicks)
are partitioned by month on their time column (declarative range partitioning), so a read over a time
range touches only its months and row retention drops a whole month instead of deleting its rows.

Each such table has one partition per UTC month, ``<table>_p2026_11`` for [2026-11-01, 2026-12-01), and a
DEFAULT partition, ``<table>_default``, for any row no month partition takes, so no insert ever fails.
The migration that partitions a table creates the months of the rows it holds and those ahead; ``ensure``
(run by every retention pass: the server's thread and ``clicktrail purge``) keeps ``MONTHS_AHEAD`` months
ahead of now, moving any rows the DEFAULT partition holds for a month into it when it creates the month.

A partitioned table's primary key and unique constraints must contain the partition key, so the key is
(id, time): ids stay unique because they are generated unique (ObjectIds, a sequence), no longer because
an index checks it. SQLite tables are not partitioned and nothing here runs on SQLite.

Every statement is marked ``/* partitions */``: it spans every app on purpose (see the tenancy guard)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Connection, text

MONTHS_AHEAD = 3  # the current month and the next two exist at all times
MONTHS_BACK = 120  # a migration creates months for rows at most this old; older ones go to DEFAULT
MARK = "/* partitions */"
LOCK = 0x636C6B70  # pg_advisory_xact_lock key: one process creates or drops partitions at a time
# Creating or dropping a partition locks its table exclusively, so it waits for reads in progress, and
# every insert then waits for it: give up after this (the next retention pass tries again; the months are
# made two ahead, and the DEFAULT partition takes rows meanwhile).
LOCK_TIMEOUT = "3s"


def month_of(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def add_months(month: datetime, n: int) -> datetime:
    index = month.year * 12 + month.month - 1 + n
    return month.replace(year=index // 12, month=index % 12 + 1)


def months(first: datetime, stop: datetime) -> Iterator[datetime]:
    """Month starts from ``first``'s month up to, not including, ``stop``'s."""
    month = month_of(first)
    while month < month_of(stop):
        yield month
        month = add_months(month, 1)


def partition_name(table: str, month: datetime) -> str:
    return f"{table}_p{month:%Y_%m}"


def _run(conn: Connection, sql: str, **params: object) -> list[tuple]:
    result = conn.execute(text(f"{MARK} {sql}"), params)
    return [tuple(row) for row in result] if result.returns_rows else []


def _bounds(month: datetime) -> str:
    return f"FROM ('{month.isoformat()}') TO ('{add_months(month, 1).isoformat()}')"


def is_partitioned(conn: Connection, table: str) -> bool:
    return bool(
        _run(
            conn,
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
            " WHERE c.relname = :t AND c.relnamespace = 'public'::regnamespace",
            t=table,
        )
    )


def partitioned_tables(conn: Connection) -> list[tuple[str, str]]:
    """(table, key column) of every range-partitioned table of the schema."""
    return [
        (table, key)
        for table, key in _run(
            conn,
            "SELECT c.relname, a.attname FROM pg_partitioned_table p"
            " JOIN pg_class c ON c.oid = p.partrelid"
            " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]"
            " WHERE p.partstrat = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY c.relname",
        )
    ]


def month_partitions(conn: Connection, table: str) -> list[tuple[str, datetime, datetime]]:
    """(name, from, to) of the table's month partitions, oldest first (the DEFAULT one aside)."""
    rows = _run(
        conn,
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent"
        " WHERE p.relname = :t AND p.relnamespace = 'public'::regnamespace",
        t=table,
    )
    found = []
    for name, bound in rows:
        if bound == "DEFAULT":
            continue
        # FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00')
        low, high = (part.split("'")[1] for part in bound.split(" TO "))
        found.append((name, _instant(low), _instant(high)))
    return sorted(found, key=lambda row: row[1])


def _instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value if value[-3] in "+-" else value + "+00:00")
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _indexes(conn: Connection, table: str) -> list[tuple[str, str, bool, bool]]:
    """(name, CREATE INDEX statement, primary, unique) of each of the table's indexes."""
    return _run(
        conn,
        "SELECT c.relname, pg_get_indexdef(i.indexrelid), i.indisprimary, i.indisunique FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = CAST(:t AS regclass) ORDER BY c.relname",
        t=table,
    )


def _copy_and_swap(conn: Connection, table: str, new: str) -> int:
    """Copy the rows of ``table`` into ``new``, hand ``new`` its sequences, drop ``table`` (and any
    partitions) and give ``new`` its name; the rows copied."""
    copied = _run(
        conn, f'WITH c AS (INSERT INTO "{new}" SELECT * FROM "{table}" RETURNING 1) SELECT count(*) FROM c'
    )
    columns = _run(
        conn,
        "SELECT attname FROM pg_attribute"
        " WHERE attrelid = CAST(:t AS regclass) AND attnum > 0 AND NOT attisdropped",
        t=table,
    )
    for (column,) in columns:
        sequence = _run(conn, "SELECT pg_get_serial_sequence(:t, :c)", t=table, c=column)[0][0]
        if sequence:  # the sequence stays (its next value too), owned by the new column
            _run(conn, f'ALTER SEQUENCE {sequence} OWNED BY "{new}"."{column}"')
    _run(conn, f'DROP TABLE "{table}" CASCADE')
    _run(conn, f'ALTER TABLE "{new}" RENAME TO "{table}"')
    return int(copied[0][0])


def partition(
    conn: Connection, table: str, key: str, *, now: datetime, drop_unique: tuple[str, ...] = ()
) -> int:
    """Make ``table`` partitioned by month on ``key``, keeping its rows, columns, defaults, sequences and
    indexes: a partitioned copy is created, filled, and swapped in for it, all in the caller's transaction.
    The primary key gains ``key``; unique constraints other than it cannot stay (they would have to hold
    ``key`` too): those named in ``drop_unique`` are dropped (the caller keeps their rule some other way),
    any other raises. Returns the rows copied."""
    new = f"{table}_partitioning"
    indexes = _indexes(conn, table)
    kept = [
        name for name, _, primary, unique in indexes if unique and not primary and name not in drop_unique
    ]
    if kept:
        raise RuntimeError(f"{table}: unique {', '.join(kept)} cannot stay on a partitioned table")
    pkey = next((name for name, _, primary, _ in indexes if primary), f"{table}_pkey")
    columns = _run(
        conn,
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
        " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = CAST(:t AS regclass) AND i.indisprimary",
        t=table,
    )
    key_columns = ", ".join([f'"{name}"' for (name,) in columns if name != key] + [f'"{key}"'])
    like = f'LIKE "{table}" INCLUDING DEFAULTS INCLUDING STORAGE'
    _run(conn, f'CREATE TABLE "{new}" ({like}) PARTITION BY RANGE ("{key}")')
    _run(conn, f'ALTER TABLE "{new}" ADD CONSTRAINT "{new}_pkey" PRIMARY KEY ({key_columns})')
    oldest = _run(conn, f'SELECT min("{key}") FROM "{table}"')[0][0] or now
    first = max(month_of(oldest), add_months(month_of(now), -MONTHS_BACK))
    for month in months(first, add_months(month_of(now), MONTHS_AHEAD)):
        name = partition_name(table, month)
        _run(conn, f'CREATE TABLE "{name}" PARTITION OF "{new}" FOR VALUES {_bounds(month)}')
    _run(conn, f'CREATE TABLE "{table}_default" PARTITION OF "{new}" DEFAULT')
    copied = _copy_and_swap(conn, table, new)
    _run(conn, f'ALTER TABLE "{table}" RENAME CONSTRAINT "{new}_pkey" TO "{pkey}"')
    for _, definition, primary, unique in indexes:
        if not primary and not unique:
            _run(conn, definition)  # CREATE INDEX name ON public.table ...: on every partition
    return copied


def unpartition(conn: Connection, table: str, primary: tuple[str, ...]) -> int:
    """The reverse of ``partition`` (a downgrade): a plain table with the rows, primary key ``primary``
    and the same indexes. Unique constraints the upgrade dropped are the caller's to restore."""
    new = f"{table}_unpartitioning"
    indexes = _indexes(conn, table)
    pkey = next((name for name, _, is_primary, _ in indexes if is_primary), f"{table}_pkey")
    _run(conn, f'CREATE TABLE "{new}" (LIKE "{table}" INCLUDING DEFAULTS INCLUDING STORAGE)')
    copied = _copy_and_swap(conn, table, new)
    _run(conn, f'ALTER TABLE "{table}" ADD CONSTRAINT "{pkey}" PRIMARY KEY ({", ".join(primary)})')
    for _, definition, is_primary, unique in indexes:
        if not is_primary and not unique:
            _run(conn, definition)
    return copied


def ensure(conn: Connection, table: str, key: str, month: datetime) -> bool:
    """Create the month's partition unless it exists; True when created. Rows the DEFAULT partition holds
    for that month move into it (the DEFAULT partition is detached meanwhile: PostgreSQL refuses a new
    partition whose range the DEFAULT one has rows in)."""
    name = partition_name(table, month)
    if any(found == name for found, _, _ in month_partitions(conn, table)):
        return False
    low, high = month, add_months(month, 1)
    default = f"{table}_default"
    stray = _run(
        conn,
        f'SELECT 1 FROM "{default}" WHERE "{key}" >= :low AND "{key}" < :high LIMIT 1',
        low=low,
        high=high,
    )
    if not stray:
        _run(conn, f'CREATE TABLE "{name}" PARTITION OF "{table}" FOR VALUES {_bounds(month)}')
        return True
    _run(conn, f'ALTER TABLE "{table}" DETACH PARTITION "{default}"')
    _run(conn, f'CREATE TABLE "{name}" PARTITION OF "{table}" FOR VALUES {_bounds(month)}')
    where = f'"{key}" >= :low AND "{key}" < :high'
    _run(conn, f'INSERT INTO "{table}" SELECT * FROM "{default}" WHERE {where}', low=low, high=high)
    _run(conn, f'DELETE FROM "{default}" WHERE {where}', low=low, high=high)
    _run(conn, f'ALTER TABLE "{table}" ATTACH PARTITION "{default}" DEFAULT')
    return True


def ensure_ahead(conn: Connection, now: datetime) -> list[str]:
    """The current month and ``MONTHS_AHEAD - 1`` after it, for every partitioned table: the names of
    the partitions created. One process at a time (a transaction-scoped advisory lock)."""
    tables = partitioned_tables(conn)
    wanted = [(t, k, m) for t, k in tables for m in months(now, add_months(month_of(now), MONTHS_AHEAD))]
    existing = {name for t, _ in tables for name, _, _ in month_partitions(conn, t)}
    missing = [(t, k, m) for t, k, m in wanted if partition_name(t, m) not in existing]
    if not missing:
        return []
    _lock(conn)
    return [partition_name(t, m) for t, k, m in missing if ensure(conn, t, k, m)]


def _lock(conn: Connection) -> None:
    """This transaction alone changes partitions, and waits at most ``LOCK_TIMEOUT`` for a table."""
    _run(conn, "SELECT pg_advisory_xact_lock(:k)", k=LOCK)
    _run(conn, f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")


def drop_before(conn: Connection, table: str, cutoff: datetime) -> list[str]:
    """Drop the table's month partitions that end at or before ``cutoff`` (every row in them is older):
    their names. The rows of the month ``cutoff`` falls in, and the DEFAULT partition's, are the
    caller's to delete row by row."""
    expired = [name for name, _, high in month_partitions(conn, table) if high <= cutoff]
    if expired:
        _lock(conn)
    for name in expired:
        _run(conn, f'DROP TABLE IF EXISTS "{name}"')
    return expired
