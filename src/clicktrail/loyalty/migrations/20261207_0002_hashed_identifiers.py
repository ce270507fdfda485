"""loyalty: member identifiers stored as keyed hashes (HMAC-SHA256, one random key per app), never in clear

Revision ID: loyalty_0002
Revises: loyalty_0001
Create Date: 2026-12-07
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "loyalty_0002"
down_revision = "loyalty_0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
IDENTIFIERS = sa.table(
    "loyalty_member_identifiers",
    sa.column("app_id", sa.String),
    sa.column("identifier_type", sa.String),
    sa.column("value", sa.String),
    sa.column("member_id", sa.BigInteger),
)


def upgrade() -> None:
    keys = op.create_table(
        "loyalty_identifier_keys",
        sa.Column("app_id", sa.String(64), sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(IDENTIFIERS.c.app_id, IDENTIFIERS.c.identifier_type, IDENTIFIERS.c.value))
    by_app: dict[str, list[tuple[str, str]]] = {}
    for app_id, kind, value in rows:
        by_app.setdefault(app_id, []).append((kind, value))
    # The same hash as clicktrail.loyalty.members.digest, written out: a revision must not change with the
    # code it migrates.
    for app_id, identifiers in by_app.items():
        key = secrets.token_hex(32)
        conn.execute(sa.insert(keys).values(app_id=app_id, key=key, created_at=datetime.now(UTC)))
        rehash = (
            sa.update(IDENTIFIERS)
            .where(
                IDENTIFIERS.c.app_id == app_id,
                IDENTIFIERS.c.identifier_type == sa.bindparam("kind"),
                IDENTIFIERS.c.value == sa.bindparam("clear"),
            )
            .values(value=sa.bindparam("hashed"))
        )
        conn.execute(
            rehash,
            [
                {"kind": kind, "clear": value, "hashed": _digest(bytes.fromhex(key), kind, value)}
                for kind, value in identifiers
            ],
        )


def _digest(key: bytes, kind: str, value: str) -> str:
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def downgrade() -> None:
    # A hash cannot be turned back into the email it was made from: the identifiers are rebuilt from what
    # the member rows hold in clear (account and loyalty ids); a member known by an email only is found
    # again by those two, or enrolled anew by the email.
    members = sa.table(
        "loyalty_members",
        sa.column("id", sa.BigInteger),
        sa.column("app_id", sa.String),
        sa.column("account_id", sa.String),
        sa.column("loyalty_id", sa.String),
    )
    conn = op.get_bind()
    conn.execute(sa.delete(IDENTIFIERS))
    for kind, column in (("ACCOUNT_ID", members.c.account_id), ("LOYALTY_ID", members.c.loyalty_id)):
        conn.execute(
            sa.insert(IDENTIFIERS).from_select(
                ["app_id", "identifier_type", "value", "member_id"],
                sa.select(members.c.app_id, sa.literal(kind), column, members.c.id),
            )
        )
    op.drop_table("loyalty_identifier_keys")
