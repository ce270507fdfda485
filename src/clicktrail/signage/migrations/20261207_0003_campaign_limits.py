"""signage: a campaign's limits, expires_at and max_clicks, and the count of scans it let through

A scan of a campaign past its ``expires_at``, or once ``clicks_used`` reached ``max_clicks``, opens no
session: it is an orphan scan sent to the app's fallback_url, else 404. The writer reads and locks the
counters of a batch's limited campaigns in one statement and moves them on with the batch.

Revision ID: signage_0003
Revises: signage_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "signage_0003"
down_revision = "signage_0002"
branch_labels = None
depends_on = None

TABLE = "signage_campaigns"


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(TABLE, sa.Column("max_clicks", sa.BigInteger, nullable=True))
    op.add_column(TABLE, sa.Column("clicks_used", sa.BigInteger, nullable=False, server_default="0"))


def downgrade() -> None:
    for column in ("clicks_used", "max_clicks", "expires_at"):
        op.drop_column(TABLE, column)
