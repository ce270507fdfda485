"""partners: an index for filter[verdict] (a bot filter over 1M clicks counted by a full scan: 250-690 ms)

Shaped like the country index: it serves the count and the default page order, and an insert only
appends within its verdict.

Revision ID: partners_0003
Revises: partners_0002
Create Date: 2026-11-25
"""

from alembic import op

revision = "partners_0003"
down_revision = "partners_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_partner_clicks_app_verdict", "partner_clicks", ["app_id", "verdict", "create_time"])


def downgrade() -> None:
    op.drop_index("ix_partner_clicks_app_verdict", table_name="partner_clicks")
