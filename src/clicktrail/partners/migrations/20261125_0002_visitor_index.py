"""partners: one visitor index (app, ip, agent, link, time) for the duplicate check and the ip filter

Each index of partner_clicks is a page written by every insert, and an index led by a random value (an
ip) writes a random page. The duplicate check compares app, link, ip and agent for equality, so with ip
first one such index serves it and ``filter[ip]`` too. Link metrics get (app, link, time), which an
insert only appends to.

Revision ID: partners_0002
Revises: partners_0001
Create Date: 2026-11-25
"""

from alembic import op

revision = "partners_0002"
down_revision = "partners_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_partner_clicks_visitor", "partner_clicks", ["app_id", "ip", "ua_hash", "link_id", "time"]
    )
    op.create_index("ix_partner_clicks_app_link", "partner_clicks", ["app_id", "link_id", "time"])
    op.drop_index("ix_partner_clicks_dup", table_name="partner_clicks")
    op.drop_index("ix_partner_clicks_app_ip", table_name="partner_clicks")


def downgrade() -> None:
    op.create_index("ix_partner_clicks_app_ip", "partner_clicks", ["app_id", "ip"])
    op.create_index("ix_partner_clicks_dup", "partner_clicks", ["app_id", "link_id", "ip", "ua_hash", "time"])
    op.drop_index("ix_partner_clicks_app_link", table_name="partner_clicks")
    op.drop_index("ix_partner_clicks_visitor", table_name="partner_clicks")
