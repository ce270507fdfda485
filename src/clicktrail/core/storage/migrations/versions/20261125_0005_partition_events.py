"""core: journey_events partitioned by month on created_at (PostgreSQL; SQLite unchanged)

See ``clicktrail.core.storage.partitions``: the table is rebuilt as a partitioned one in this transaction
(its rows copied, its sequence, defaults and indexes kept), with a partition for every month of its rows
(at most ten years back), the months ahead, and a DEFAULT partition. The primary key becomes
(id, created_at); ids stay unique and ordered, from the same sequence.

Revision ID: core_0005
Revises: core_0004
Create Date: 2026-11-25
"""

from alembic import op

from clicktrail.core.storage import partitions
from clicktrail.core.storage.ids import utcnow

revision = "core_0005"
down_revision = "core_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql" and not partitions.is_partitioned(conn, "journey_events"):
        partitions.partition(conn, "journey_events", "created_at", now=utcnow())


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql" and partitions.is_partitioned(conn, "journey_events"):
        partitions.unpartition(conn, "journey_events", ("id",))
