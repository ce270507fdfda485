"""loyalty: programs, offers, members, sessions, trials, prompts, transactions

Revision ID: loyalty_0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "loyalty_0001"
down_revision = None
branch_labels = ("loyalty",)
depends_on = "core_0001"

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def _app_fk() -> sa.Column:
    return sa.Column("app_id", sa.String(64), sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "loyalty_programs",
        sa.Column("app_id", sa.String(64), sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("points_per_unit", sa.String(32), nullable=False),
        sa.Column("near_miss_window_cents", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("locale", sa.String(32), nullable=False),
    )
    op.create_table(
        "loyalty_offers",
        sa.Column("app_id", sa.String(64), sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("threshold_cents", sa.BigInteger, nullable=False),
        sa.Column("bonus_points", sa.BigInteger, nullable=False),
        sa.Column("message", JSON, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "loyalty_members",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        _app_fk(),
        sa.Column("account_id", sa.String(128), nullable=False),
        sa.Column("loyalty_id", sa.String(128), nullable=False),
        sa.Column("points_balance", sa.BigInteger, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("app_id", "account_id", name="uq_loyalty_members_app_id_account_id"),
        sa.UniqueConstraint("app_id", "loyalty_id", name="uq_loyalty_members_app_id_loyalty_id"),
    )
    op.create_table(
        "loyalty_member_identifiers",
        sa.Column("app_id", sa.String(64), primary_key=True),
        sa.Column("identifier_type", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(255), primary_key=True),
        sa.Column("member_id", ID, sa.ForeignKey("loyalty_members.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_table(
        "loyalty_sessions",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        _app_fk(),
        sa.Column("correlation_id", sa.String(64), nullable=False),
        sa.Column("member_id", ID, sa.ForeignKey("loyalty_members.id", ondelete="CASCADE"), nullable=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("locale", sa.String(32), nullable=False),
        sa.Column("external_identifier", sa.String(255), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("app_id", "correlation_id", name="uq_loyalty_sessions_app_id_correlation_id"),
    )
    op.create_table(
        "loyalty_trials",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("session_id", ID, sa.ForeignKey("loyalty_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),  # plain JSON: replayed in key order
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("session_id", "call_id", name="uq_loyalty_trials_session_id_call_id"),
    )
    op.create_table(
        "loyalty_prompts",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("prompt_id", sa.String(64), nullable=False),
        sa.Column("session_id", ID, sa.ForeignKey("loyalty_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("trial_id", ID, sa.ForeignKey("loyalty_trials.id", ondelete="CASCADE"), nullable=False),
        sa.Column("offer_id", sa.String(64), nullable=False),
        sa.Column("gap_cents", sa.BigInteger, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("response", sa.String(16), nullable=True),
        sa.Column("answered_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("app_id", "prompt_id", name="uq_loyalty_prompts_app_id_prompt_id"),
    )
    op.create_index("ix_loyalty_prompts_session_id", "loyalty_prompts", ["session_id"])
    op.create_table(
        "loyalty_transactions",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("transaction_id", sa.String(64), nullable=False),
        sa.Column("session_id", ID, sa.ForeignKey("loyalty_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("member_id", ID, sa.ForeignKey("loyalty_members.id", ondelete="CASCADE"), nullable=True),
        sa.Column("call_id", sa.String(64), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("base_points", sa.BigInteger, nullable=False),
        sa.Column("bonus_points", sa.BigInteger, nullable=False),
        sa.Column("transaction_date", TS, nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),  # plain JSON: replayed in key order
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("app_id", "transaction_id", name="uq_loyalty_transactions_app_id_transaction_id"),
        sa.UniqueConstraint("session_id", name="uq_loyalty_transactions_session_id"),
    )
    op.create_index(
        "ix_loyalty_transactions_app_member_id", "loyalty_transactions", ["app_id", "member_id", "id"]
    )


def downgrade() -> None:
    op.drop_table("loyalty_transactions")
    op.drop_table("loyalty_prompts")
    op.drop_table("loyalty_trials")
    op.drop_table("loyalty_sessions")
    op.drop_table("loyalty_member_identifiers")
    op.drop_table("loyalty_members")
    op.drop_table("loyalty_offers")
    op.drop_table("loyalty_programs")
