"""partners: links, banners, settings, clicks, profiles and contacts

Revision ID: partners_0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "partners_0001"
down_revision = None
branch_labels = ("partners",)
depends_on = "core_0001"

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def _app_fk() -> sa.Column:
    return sa.Column("app_id", sa.String(64), sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "partner_settings",
        _app_fk(),
        sa.Column("duplicate_window_seconds", sa.Integer, nullable=False),
        sa.Column("blocked_networks", JSON, nullable=False),
        sa.Column("blocked_countries", JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "partner_links",
        _app_fk(),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("uri", sa.String(2048), nullable=False),
        sa.Column("name", sa.String(255), nullable=True),
        sa.Column("match_key", sa.String(2400), nullable=False),
        sa.Column("postback_url", sa.String(2048), nullable=True),
        sa.Column("create_time", TS, nullable=False),
        sa.Column("update_time", TS, nullable=False),
    )
    op.create_table(
        "partner_banners",
        _app_fk(),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("link_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("cdn_file_url", sa.String(2048), nullable=True),
    )
    op.create_table(
        "partner_profiles",
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("first_name", sa.String(255), nullable=True),
        sa.Column("last_name", sa.String(255), nullable=True),
        sa.Column("middle_name", sa.String(255), nullable=True),
        sa.Column("full_name_lc", sa.String(800), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("uuid", sa.String(255), nullable=True),
        sa.Column("tag", sa.String(255), nullable=True),
        sa.Column("country_code", sa.String(2), nullable=True),
        sa.Column("country_name", sa.String(255), nullable=True),
        sa.Column("create_time", TS, nullable=False),
        sa.Column("update_time", TS, nullable=False),
        sa.UniqueConstraint("app_id", "uuid", name="uq_partner_profiles_app_id_uuid"),
    )
    op.create_index("ix_partner_profiles_app_id", "partner_profiles", ["app_id"])
    op.create_table(
        "partner_contacts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column(
            "profile_id",
            sa.String(24),
            sa.ForeignKey("partner_profiles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("key", sa.String(16), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.Column("value_lc", sa.String(255), nullable=False),
        sa.Column("uuid", sa.String(255), nullable=True),
    )
    op.create_index("ix_partner_contacts_profile", "partner_contacts", ["profile_id", "position"])
    op.create_table(
        "partner_clicks",
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("app_id", sa.String(64), nullable=False),
        sa.Column("time", TS, nullable=False),
        sa.Column("referrer", sa.String(2048), nullable=True),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("uri", sa.String(2048), nullable=False),
        sa.Column("user_agent", sa.String(2048), nullable=True),
        sa.Column("ua_hash", sa.String(32), nullable=True),
        sa.Column("locale", sa.String(64), nullable=True),
        sa.Column("uuid", sa.String(255), nullable=True),
        sa.Column("utm_campaign", sa.String(255), nullable=True),
        sa.Column("utm_content", sa.String(255), nullable=True),
        sa.Column("utm_medium", sa.String(255), nullable=True),
        sa.Column("utm_source", sa.String(255), nullable=True),
        sa.Column("utm_term", sa.String(255), nullable=True),
        sa.Column("profile_id", sa.String(24), nullable=True),
        sa.Column("link_id", sa.String(64), nullable=True),
        sa.Column("banner_id", sa.String(64), nullable=True),
        sa.Column("banner_name", sa.String(255), nullable=True),
        sa.Column("banner_cdn_file_url", sa.String(2048), nullable=True),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("city", sa.String(255), nullable=True),
        sa.Column("country_code", sa.String(2), nullable=True),
        sa.Column("country_name", sa.String(255), nullable=True),
        sa.Column("browser", sa.String(128), nullable=True),
        sa.Column("browser_version", sa.String(64), nullable=True),
        sa.Column("os", sa.String(128), nullable=True),
        sa.Column("os_version", sa.String(64), nullable=True),
        sa.Column("device", sa.String(128), nullable=True),
        sa.Column("is_bot", sa.Boolean, nullable=False),
        sa.Column("is_unique", sa.Boolean, nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("verdict_reason", sa.String(32), nullable=True),
        sa.Column("registered_time", TS, nullable=True),
        sa.Column("create_time", TS, nullable=False),
        sa.Column("update_time", TS, nullable=False),
        sa.Column("deleted_time", TS, nullable=True),
        sa.UniqueConstraint("app_id", "uuid", name="uq_partner_clicks_app_id_uuid"),
    )
    op.create_index("ix_partner_clicks_app_create", "partner_clicks", ["app_id", "create_time", "id"])
    op.create_index("ix_partner_clicks_app_time", "partner_clicks", ["app_id", "time", "id"])
    op.create_index("ix_partner_clicks_dup", "partner_clicks", ["app_id", "link_id", "ip", "ua_hash", "time"])
    op.create_index("ix_partner_clicks_app_ip", "partner_clicks", ["app_id", "ip"])
    op.create_index("ix_partner_clicks_app_profile", "partner_clicks", ["app_id", "profile_id"])
    op.create_index(
        "ix_partner_clicks_app_country", "partner_clicks", ["app_id", "country_code", "create_time"]
    )


def downgrade() -> None:
    for table in (
        "partner_clicks",
        "partner_contacts",
        "partner_profiles",
        "partner_banners",
        "partner_links",
        "partner_settings",
    ):
        op.drop_table(table)
