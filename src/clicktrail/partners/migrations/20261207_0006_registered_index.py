"""partners: an index of registered clicks by registration time, for metrics over the raw rows

A combination of filters (or a filter and a grouping by another dimension) is counted over the click rows
(``core.facts``): registrations are placed at their ``registered_time``, which no index had, so each answer
read every click of the range a second time to find the few registered ones. Partial: only registered
clicks are in it, so a click insert writes nothing to it.

Revision ID: partners_0006
Revises: partners_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "partners_0006"
down_revision = "partners_0005"
branch_labels = None
depends_on = None

TABLE = "partner_clicks"
NAME = "ix_partner_clicks_app_registered"
REGISTERED = sa.text("registered_time IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        NAME, TABLE, ["app_id", "registered_time"], sqlite_where=REGISTERED, postgresql_where=REGISTERED
    )


def downgrade() -> None:
    op.drop_index(NAME, table_name=TABLE)
