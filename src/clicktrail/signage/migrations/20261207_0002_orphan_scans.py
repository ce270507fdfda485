"""signage: the app's settings (fallback_url) and orphan scans (a scan of an unknown campaign, sent there)

Revision ID: signage_0002
Revises: signage_0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "signage_0002"
down_revision = "signage_0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "signage_settings",
        sa.Column("app_id", sa.String(64), sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("fallback_url", sa.String(2048), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "signage_orphan_scans",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("app_id", sa.String(64), sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=False),
        sa.Column("campaign_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("user_agent", sa.String(512), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_signage_orphan_scans_app_created", "signage_orphan_scans", ["app_id", "created_at"])


def downgrade() -> None:
    op.drop_table("signage_orphan_scans")
    op.drop_table("signage_settings")
