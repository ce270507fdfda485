"""surveys: a click keeps the UTM fields, placement (link) and sub-ids of its click URL

Revision ID: surveys_0003
Revises: surveys_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "surveys_0003"
down_revision = "surveys_0002"
branch_labels = None
depends_on = None

# (column, length): nullable, so clicks made before this revision have none (they count under none).
COLUMNS = (
    ("utm_source", 255),
    ("utm_medium", 255),
    ("utm_campaign", 255),
    ("utm_term", 255),
    ("utm_content", 255),
    ("link", 64),
    ("sub1", 255),
    ("sub2", 255),
    ("sub3", 255),
    ("sub4", 255),
    ("sub5", 255),
)


def upgrade() -> None:
    with op.batch_alter_table("survey_clicks") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("survey_clicks") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
