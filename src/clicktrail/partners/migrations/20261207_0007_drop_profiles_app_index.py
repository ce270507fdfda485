"""partners: drop ix_partner_profiles_app_id, which the unique (app_id, uuid) index already serves

Every query that reads partner_profiles by app alone (the retention purge's stale profiles) is served by
uq_partner_profiles_app_id_uuid, led by the same column: with the single-column index gone both engines
plan it on the unique index (docs/indexes.md). Every other profile query is by id or by uuid. So the
index only cost each profile insert a write.

Revision ID: partners_0007
Revises: partners_0006
Create Date: 2026-12-07
"""

from alembic import op

revision = "partners_0007"
down_revision = "partners_0006"
branch_labels = None
depends_on = None

TABLE = "partner_profiles"
NAME = "ix_partner_profiles_app_id"


def upgrade() -> None:
    op.drop_index(NAME, table_name=TABLE)


def downgrade() -> None:
    op.create_index(NAME, TABLE, ["app_id"])
