"""core: dashboard users (email, argon2 password hash, role, apps) and the audit log of admin changes

Revision ID: core_0008
Revises: core_0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "core_0008"
down_revision = "core_0007"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dashboard_users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("apps", JSON, nullable=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("at", TS, nullable=False),
        sa.Column("app_id", sa.String(64), nullable=True),
        sa.Column("actor_kind", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(512), nullable=False),
        sa.Column("detail", sa.String(2048), nullable=True),
    )
    op.create_index("ix_audit_log_app_id_id", "audit_log", ["app_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_app_id_id", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("dashboard_users")
