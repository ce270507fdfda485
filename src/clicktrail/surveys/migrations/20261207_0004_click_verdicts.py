"""surveys: a click keeps its verdict (ok, bot, duplicate) and unique flag; the app's duplicate window

Revision ID: surveys_0004
Revises: surveys_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "surveys_0004"
down_revision = "surveys_0003"
branch_labels = None
depends_on = None

# Clicks made before this revision were never judged: they keep "ok" and count as unique, as they counted.
COLUMNS = (
    ("verdict", sa.String(16), sa.text("'ok'")),
    ("verdict_reason", sa.String(32), None),
    ("is_unique", sa.Boolean, sa.true()),
)


def upgrade() -> None:
    with op.batch_alter_table("survey_settings") as batch:
        batch.add_column(
            sa.Column("duplicate_window_seconds", sa.Integer, nullable=False, server_default=sa.text("1800"))
        )
    with op.batch_alter_table("survey_clicks") as batch:
        for name, type_, default in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=default is None, server_default=default))


def downgrade() -> None:
    with op.batch_alter_table("survey_clicks") as batch:
        for name, _, _ in reversed(COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("survey_settings") as batch:
        batch.drop_column("duplicate_window_seconds")
