"""signage: a scan keeps its URL's attribution and a verdict (ok, bot, duplicate); the app's duplicate window

A session a scan opens keeps the scan URL's UTM fields, sub-ids and ad click ids, the visitor's user agent
hash, and the scan's verdict, reason and unique flag; an orphan scan keeps the attribution. The visitor
index answers "when did this visitor last scan this campaign?" for a new scan's verdict.

Sessions made before this revision were never judged: their verdict stays None (so is an API session's),
and their ``scan.recorded`` events, which carry none, count as scans as they did.

Revision ID: signage_0004
Revises: signage_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "signage_0004"
down_revision = "signage_0003"
branch_labels = None
depends_on = None

# core.enrich.attribution.FIELDS, as they were at this revision
ATTRIBUTION = (
    *("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"),
    *("sub1", "sub2", "sub3", "sub4", "sub5"),
    *("gclid", "fbclid", "msclkid"),
)
VERDICT = (
    ("ua_hash", sa.String(32)),
    ("verdict", sa.String(16)),
    ("verdict_reason", sa.String(32)),
    ("is_unique", sa.Boolean),
)
VISITOR = ("ix_signage_sessions_visitor", ("app_id", "campaign_id", "ip", "ua_hash", "created_at"))


def upgrade() -> None:
    with op.batch_alter_table("signage_settings") as batch:
        batch.add_column(
            sa.Column("duplicate_window_seconds", sa.Integer, nullable=False, server_default=sa.text("1800"))
        )
    with op.batch_alter_table("signage_sessions") as batch:
        for name in ATTRIBUTION:
            batch.add_column(sa.Column(name, sa.String(255), nullable=True))
        for name, type_ in VERDICT:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index(VISITOR[0], list(VISITOR[1]))
    with op.batch_alter_table("signage_orphan_scans") as batch:
        for name in ATTRIBUTION:
            batch.add_column(sa.Column(name, sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signage_orphan_scans") as batch:
        for name in reversed(ATTRIBUTION):
            batch.drop_column(name)
    with op.batch_alter_table("signage_sessions") as batch:
        batch.drop_index(VISITOR[0])
        for name, _ in reversed(VERDICT):
            batch.drop_column(name)
        for name in reversed(ATTRIBUTION):
            batch.drop_column(name)
    with op.batch_alter_table("signage_settings") as batch:
        batch.drop_column("duplicate_window_seconds")
