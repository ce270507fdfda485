"""signage: campaigns, journey sessions, coupon pools

Revision ID: signage_0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "signage_0001"
down_revision = None
branch_labels = ("signage",)
depends_on = "core_0001"

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "signage_campaigns",
        sa.Column("app_id", sa.String(64), sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("form_url", sa.String(2048), nullable=False),
        sa.Column("statuses", JSON, nullable=False),
        sa.Column("coupon_after", sa.String(64), nullable=False),
        sa.Column("session_ttl_seconds", sa.Integer, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("app_id", "id", name="pk_signage_campaigns"),
    )
    op.create_table(
        "signage_sessions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("campaign_id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("status", sa.String(64), nullable=True),
        sa.Column("status_changed_at", TS, nullable=True),
        sa.Column("coupon_code", sa.String(64), nullable=True),
        sa.Column("coupon_issued_at", TS, nullable=True),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("user_agent", sa.String(512), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["app_id", "campaign_id"],
            ["signage_campaigns.app_id", "signage_campaigns.id"],
            name="fk_signage_sessions_app_id_signage_campaigns",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_signage_sessions_app_campaign_created",
        "signage_sessions",
        ["app_id", "campaign_id", "created_at"],
    )
    op.create_table(
        "signage_coupons",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("campaign_id", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column(
            "session_id",
            sa.String(36),
            sa.ForeignKey("signage_sessions.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("issued_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("app_id", "code", name="uq_signage_coupons_app_id_code"),
        sa.UniqueConstraint("session_id", name="uq_signage_coupons_session_id"),
        sa.ForeignKeyConstraint(
            ["app_id", "campaign_id"],
            ["signage_campaigns.app_id", "signage_campaigns.id"],
            name="fk_signage_coupons_app_id_signage_campaigns",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_signage_coupons_free",
        "signage_coupons",
        ["app_id", "campaign_id", "id"],
        postgresql_where=sa.text("session_id IS NULL"),
        sqlite_where=sa.text("session_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("signage_coupons")
    op.drop_table("signage_sessions")
    op.drop_table("signage_campaigns")
