"""surveys: the app settings (theme colours, currency symbol) an app's SDKs and offerwall read

Revision ID: surveys_0002
Revises: surveys_0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "surveys_0002"
down_revision = "surveys_0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Nullable: apps applied before this revision read the defaults until their config is applied again.
    op.add_column("survey_settings", sa.Column("app_settings", JSON, nullable=True))


def downgrade() -> None:
    op.drop_column("survey_settings", "app_settings")
