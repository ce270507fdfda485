"""surveys: settings, question bank, surveys, quotas, sessions, users, clicks, answers, skips, start bonuses

Revision ID: surveys_0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "surveys_0001"
down_revision = None
branch_labels = ("surveys",)
depends_on = "core_0001"

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def _app() -> sa.Column:
    return sa.Column("app_id", sa.String(64), nullable=False)


def upgrade() -> None:
    op.create_table(
        "survey_settings",
        sa.Column("app_id", sa.String(64), primary_key=True),
        sa.Column("currency_factor", sa.Numeric(18, 4), nullable=False),
        sa.Column("termination_url", sa.String(2048), nullable=False),
        sa.Column("start_bonus_url", sa.String(2048)),
        sa.Column("callback_url", sa.String(2048)),
        sa.Column("callback_secret", sa.String(255)),
        sa.Column("screenout_reward", sa.Numeric(16, 4)),
        sa.Column("profile_questions", JSON, nullable=False),
        sa.Column("start_bonus_id", sa.String(64)),
    )
    op.create_table(
        "survey_questions",
        _app(),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("texts", JSON, nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("can_skip", sa.Boolean, nullable=False),
        sa.Column("example", sa.String(255)),
        sa.Column("birthdate", sa.Boolean, nullable=False),
        sa.Column("validation", JSON, nullable=False),
        sa.PrimaryKeyConstraint("app_id", "id", name="pk_survey_questions"),
    )
    op.create_table(
        "survey_surveys",
        _app(),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("cpi", sa.Numeric(16, 4), nullable=False),
        sa.Column("loi", sa.Float, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("language", sa.String(2)),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("category", JSON, nullable=False),
        sa.Column("entry_url", sa.String(2048)),
        sa.Column("questions", JSON, nullable=False),
        sa.PrimaryKeyConstraint("app_id", "id", name="pk_survey_surveys"),
    )
    op.create_table(
        "survey_quotas",
        _app(),
        sa.Column("survey_id", sa.String(64), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("cap_completes", sa.Integer),
        sa.Column("cap_open_clicks", sa.Integer),
        sa.Column("completes", sa.Integer, nullable=False),
        sa.Column("open_clicks", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("app_id", "survey_id", "country", name="pk_survey_quotas"),
    )
    op.create_table(
        "survey_sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        _app(),
        sa.Column("user_id", sa.String(65), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("languages", JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "survey_users",
        _app(),
        sa.Column("user_id", sa.String(65), nullable=False),
        sa.Column("first_click_id", sa.String(36), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("app_id", "user_id", name="pk_survey_users"),
    )
    op.create_table(
        "survey_clicks",
        sa.Column("id", sa.String(36), primary_key=True),
        _app(),
        sa.Column("user_id", sa.String(65), nullable=False),
        sa.Column("survey_id", sa.String(64), nullable=False),
        sa.Column("session_id", sa.String(32), nullable=False),
        sa.Column("click_type", sa.String(16), nullable=False),
        sa.Column("question_mode", sa.String(8), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("languages", JSON, nullable=False),
        sa.Column("plan", JSON, nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.Column("cursor", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("redirect_type", sa.String(16)),
        sa.Column("redirect_url", sa.String(4096)),
        sa.Column("end_reason", sa.String(32)),
        sa.Column("complete_tx", sa.String(40)),
        sa.Column("reconciled", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_survey_clicks_user", "survey_clicks", ["app_id", "user_id", "survey_id"])
    op.create_index("ix_survey_clicks_survey_status", "survey_clicks", ["app_id", "survey_id", "status"])
    op.create_table(
        "survey_answers",
        _app(),
        sa.Column("user_id", sa.String(65), nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("answers", JSON, nullable=False),
        sa.Column("click_id", sa.String(36), nullable=False),
        sa.Column("answered_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("app_id", "user_id", "question_id", name="pk_survey_answers"),
    )
    op.create_table(
        "survey_skips",
        _app(),
        sa.Column("user_id", sa.String(65), nullable=False),
        sa.Column("survey_id", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("app_id", "user_id", "survey_id", name="pk_survey_skips"),
    )
    op.create_table(
        "survey_start_bonuses",
        _app(),
        sa.Column("user_id", sa.String(65), nullable=False),
        sa.Column("click_id", sa.String(36), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("app_id", "user_id", name="pk_survey_start_bonuses"),
    )


def downgrade() -> None:
    for table in (
        "survey_start_bonuses",
        "survey_skips",
        "survey_answers",
        "survey_clicks",
        "survey_users",
        "survey_sessions",
        "survey_quotas",
        "survey_surveys",
        "survey_questions",
        "survey_settings",
    ):
        op.drop_table(table)
