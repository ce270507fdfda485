"""Alembic environment: migrations are hand-written revisions, run on the engine clicktrail itself uses."""

from alembic import context

from clicktrail.core.storage.db import create_db_engine

config = context.config
url = config.get_main_option("sqlalchemy.url")
if url is None:
    raise RuntimeError("alembic: sqlalchemy.url is not set (clicktrail.core.storage.migrate sets it)")
engine = create_db_engine(url)
try:
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
finally:
    engine.dispose()
