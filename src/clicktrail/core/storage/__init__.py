"""Storage: the engines (SQLite embedded, PostgreSQL in production), the one writer every hot request
hands its writes to, ids and the clock, monthly partitions, migrations and backups."""
