"""core: journey_events indexed by (app_id, user_id, id), for one person's events in every family

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-12-07
"""

from alembic import op

revision = "core_0007"
down_revision = "core_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_journey_events_app_user_id", "journey_events", ["app_id", "user_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_journey_events_app_user_id", table_name="journey_events")
