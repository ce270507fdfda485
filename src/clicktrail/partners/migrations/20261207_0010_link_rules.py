"""partners: redirect rules on links, their windows' zone, the app's fallback, and the rule a click followed

A link's ``rules`` (JSON, as the config gave them) decide where its tracked redirect sends a visit; the
app's ``timezone`` reads their windows, and its ``fallback_url`` is where a visit of a link past its limits
goes (none: 410); a click recorded by the tracked redirect keeps the rule it followed in ``rule`` (none:
the link's uri, and every click the API records). On PostgreSQL partner_clicks is partitioned
(partners_0005): a column added to the parent is added to every partition.

Revision ID: partners_0010
Revises: partners_0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "partners_0010"
down_revision = "partners_0009"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("partner_links", sa.Column("rules", JSON, nullable=True))
    op.add_column(
        "partner_settings", sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC")
    )
    op.add_column("partner_settings", sa.Column("fallback_url", sa.String(2048), nullable=True))
    op.add_column("partner_clicks", sa.Column("rule", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("partner_clicks", "rule")
    op.drop_column("partner_settings", "fallback_url")
    op.drop_column("partner_settings", "timezone")
    op.drop_column("partner_links", "rules")
