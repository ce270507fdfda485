"""core: webhook deliveries in the outbox (their subscription, dead letters, a per-app status index)

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0003"
down_revision = "core_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("webhook_id", sa.Integer, nullable=True))
    op.create_index("ix_outbox_app_status_id", "outbox", ["app_id", "status", "id"])
    # "failed" (out of attempts) is now called what it is: a dead letter, which an operator can replay.
    op.execute("UPDATE outbox SET status = 'dead' WHERE status = 'failed'")


def downgrade() -> None:
    op.execute("UPDATE outbox SET status = 'failed' WHERE status = 'dead'")
    op.drop_index("ix_outbox_app_status_id", "outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("webhook_id")
