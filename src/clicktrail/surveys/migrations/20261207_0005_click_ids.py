"""surveys: a click keeps the ad click ids of its click URL (gclid, fbclid, msclkid)

Its outcome events carry the ad network the click id names (``ad_network``), a metrics dimension with the
sub-ids and every UTM field (see ``core.enrich.attribution``). The click keeps that network in its own
column, named when the click is made: retention nulls the click ids, never the network (it names no
person), so a click purged while open still counts its outcome under its network.

Revision ID: surveys_0005
Revises: surveys_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "surveys_0005"
down_revision = "surveys_0004"
branch_labels = None
depends_on = None

# Nullable: clicks made before this revision have none (they count under no ad network).
COLUMNS = ("gclid", "fbclid", "msclkid")
NETWORK = "ad_network"  # google_ads, meta_ads, microsoft_ads


def upgrade() -> None:
    with op.batch_alter_table("survey_clicks") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(255), nullable=True))
        batch.add_column(sa.Column(NETWORK, sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("survey_clicks") as batch:
        batch.drop_column(NETWORK)
        for name in reversed(COLUMNS):
            batch.drop_column(name)
