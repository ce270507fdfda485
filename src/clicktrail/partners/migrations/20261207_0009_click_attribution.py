"""partners: a click keeps the sub-ids and ad click ids of its URI, as it kept its UTM fields

sub1 to sub5 (``subid``/``sub_id`` as sub1), gclid, fbclid and msclkid, read as every family reads them
(``core.enrich.attribution``). Ours: the vendor's Click object is unchanged; exports, metrics and the
journey show them. Clicks recorded before this revision have none. On PostgreSQL partner_clicks is
partitioned (partners_0005): a column added to it is added to every partition, the DEFAULT one too.

The click also keeps what the metrics count it under, named when it is recorded: ``referrer_host`` (the
referrer's host) and ``ad_network`` (the network its click id names). Retention nulls the referrer and the
click ids, never these (they name no person), so a purged click counts where it did. Clicks recorded
before this revision get their referrer's host here (the metrics counted them under it; a referrer already
purged has none, as before); they have no ad network (their click ids are new here too).

Revision ID: partners_0009
Revises: partners_0008
Create Date: 2026-12-07
"""

from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision = "partners_0009"
down_revision = "partners_0008"
branch_labels = None
depends_on = None

TABLE = "partner_clicks"
COLUMNS = ("sub1", "sub2", "sub3", "sub4", "sub5", "gclid", "fbclid", "msclkid")
COUNTED = (("referrer_host", 255), ("ad_network", 16))  # (name, length)
BATCH = 5000  # clicks read and updated at a time, in id order


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column(TABLE, sa.Column(name, sa.String(255), nullable=True))
    for name, length in COUNTED:
        op.add_column(TABLE, sa.Column(name, sa.String(length), nullable=True))
    _name_referrer_hosts()


def _host(referrer: str) -> str | None:
    """As ``partners.rollup_measures.referrer_host`` names it (kept here: a migration never changes)."""
    try:
        host = urlsplit(referrer).hostname
    except ValueError:
        return None
    return host[:255] if host else None


def _name_referrer_hosts() -> None:
    clicks = sa.table(TABLE, sa.column("id"), sa.column("referrer"), sa.column("referrer_host"))
    named = (
        sa.update(clicks)
        .where(clicks.c.id == sa.bindparam("click"))
        .values(referrer_host=sa.bindparam("host"))
    )
    bind, after = op.get_bind(), ""
    while True:
        query = sa.select(clicks.c.id, clicks.c.referrer).where(
            clicks.c.id > after, clicks.c.referrer.is_not(None)
        )
        rows = bind.execute(query.order_by(clicks.c.id).limit(BATCH)).all()
        if not rows:
            return
        hosts = [{"click": click, "host": host} for click, referrer in rows if (host := _host(referrer))]
        if hosts:
            bind.execute(named, hosts)
        after = rows[-1][0]


def downgrade() -> None:
    for name, _ in reversed(COUNTED):
        op.drop_column(TABLE, name)
    for name in reversed(COLUMNS):
        op.drop_column(TABLE, name)
