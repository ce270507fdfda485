"""core: rollup_counts, hourly event counts per app, family, dimension and measure (metrics)

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0004"
down_revision = "core_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rollup_counts",
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("family", sa.String(16), nullable=False),
        sa.Column("dimension", sa.String(32), nullable=False),
        sa.Column("measure", sa.String(80), nullable=False),
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dim_value", sa.String(255), nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint(
            "app_id", "family", "dimension", "measure", "bucket", "dim_value", name="pk_rollup_counts"
        ),
        sqlite_with_rowid=False,  # on SQLite the key is the table: a range of it reads counts in place
    )


def downgrade() -> None:
    op.drop_table("rollup_counts")
