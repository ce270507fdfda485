"""partners: a link's limits, expires_at and max_clicks, and the count of clicks it let through

A click of a link past its ``expires_at``, or once ``clicks_used`` reached ``max_clicks``, is recorded
with the verdict expired or limit_reached. The writer reads and locks the counters of a batch's limited
links in one statement and moves them on with the batch, so many processes never let more through.

Revision ID: partners_0008
Revises: partners_0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "partners_0008"
down_revision = "partners_0007"
branch_labels = None
depends_on = None

TABLE = "partner_links"


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(TABLE, sa.Column("max_clicks", sa.BigInteger, nullable=True))
    op.add_column(TABLE, sa.Column("clicks_used", sa.BigInteger, nullable=False, server_default="0"))


def downgrade() -> None:
    for column in ("clicks_used", "max_clicks", "expires_at"):
        op.drop_column(TABLE, column)
