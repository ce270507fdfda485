"""partners: partner_clicks partitioned by month on create_time (PostgreSQL; SQLite unchanged)

See ``clicktrail.core.storage.partitions``: the table is rebuilt as a partitioned one in this transaction
(rows, defaults and indexes kept), with a partition for every month of its rows, the months ahead, and a
DEFAULT partition. The primary key becomes (id, create_time).

A click's uuid stays unique per app (a retried uuid returns the recorded click), which a unique index on
a partitioned table can no longer say (it would have to contain create_time). Instead each click with a
uuid reserves it in ``partner_click_uuids`` (app_id, uuid → click id), from triggers on partner_clicks:
inserting a click whose uuid another click holds raises the same unique violation as before (the
constraint is still named uq_partner_clicks_app_id_uuid); deleting a click releases its uuid. A
reservation whose click is gone without a delete (its month partition dropped by retention) is taken over
by the next click with that uuid. Moving a click between partitions (an UPDATE of create_time, or the
DEFAULT partition's rows moving into a new month) keeps its reservation.

Revision ID: partners_0005
Revises: partners_0004
Create Date: 2026-11-25
"""

from alembic import op

from clicktrail.core.storage import partitions
from clicktrail.core.storage.ids import utcnow

revision = "partners_0005"
down_revision = "partners_0004"
branch_labels = None
depends_on = None

UNIQUE = "uq_partner_clicks_app_id_uuid"

RESERVE = f"""
CREATE FUNCTION partner_clicks_reserve_uuid() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    holder varchar;
BEGIN
    IF NEW.uuid IS NULL THEN
        RETURN NEW;
    END IF;
    INSERT INTO partner_click_uuids (app_id, uuid, click_id, create_time)
    VALUES (NEW.app_id, NEW.uuid, NEW.id, NEW.create_time)
    ON CONFLICT (app_id, uuid) DO NOTHING;
    IF FOUND THEN
        RETURN NEW;
    END IF;
    SELECT click_id INTO holder FROM partner_click_uuids
    WHERE app_id = NEW.app_id AND uuid = NEW.uuid FOR UPDATE;
    IF holder = NEW.id THEN  -- the same click, moved between partitions
        RETURN NEW;
    END IF;
    IF EXISTS (
        SELECT 1 FROM partner_clicks WHERE id = holder AND app_id = NEW.app_id AND uuid = NEW.uuid
    ) THEN
        RAISE unique_violation USING
            MESSAGE = 'duplicate key value violates unique constraint "{UNIQUE}"',
            DETAIL = format('Key (app_id, uuid)=(%s, %s) already exists.', NEW.app_id, NEW.uuid),
            CONSTRAINT = '{UNIQUE}', TABLE = 'partner_clicks';
    END IF;
    UPDATE partner_click_uuids SET click_id = NEW.id, create_time = NEW.create_time
    WHERE app_id = NEW.app_id AND uuid = NEW.uuid;  -- its click went with a dropped partition
    RETURN NEW;
END
$$;

CREATE FUNCTION partner_clicks_release_uuid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.uuid IS NOT NULL THEN
        DELETE FROM partner_click_uuids u
        WHERE u.app_id = OLD.app_id AND u.uuid = OLD.uuid AND u.click_id = OLD.id
        AND NOT EXISTS (  -- an UPDATE moving the click to another partition deletes it there, inserts it here
            SELECT 1 FROM partner_clicks c WHERE c.id = OLD.id AND c.app_id = OLD.app_id AND c.uuid = OLD.uuid
        );
    END IF;
    RETURN NULL;
END
$$;
"""

# WHEN: a click without a uuid (most clicks) never enters PL/pgSQL.
TRIGGERS = """
CREATE TRIGGER partner_clicks_reserve_uuid BEFORE INSERT OR UPDATE OF uuid, app_id ON partner_clicks
    FOR EACH ROW WHEN (NEW.uuid IS NOT NULL) EXECUTE FUNCTION partner_clicks_reserve_uuid();
CREATE TRIGGER partner_clicks_release_uuid AFTER DELETE ON partner_clicks
    FOR EACH ROW WHEN (OLD.uuid IS NOT NULL) EXECUTE FUNCTION partner_clicks_release_uuid();
"""


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql" or partitions.is_partitioned(conn, "partner_clicks"):
        return
    op.execute(
        "CREATE TABLE partner_click_uuids (app_id varchar(64) NOT NULL, uuid varchar(255) NOT NULL,"
        " click_id varchar(24) NOT NULL, create_time timestamptz NOT NULL,"
        " CONSTRAINT pk_partner_click_uuids PRIMARY KEY (app_id, uuid))"
    )
    op.execute(
        "INSERT INTO partner_click_uuids (app_id, uuid, click_id, create_time)"
        " SELECT app_id, uuid, id, create_time FROM partner_clicks WHERE uuid IS NOT NULL"
    )
    op.execute(RESERVE)
    partitions.partition(conn, "partner_clicks", "create_time", now=utcnow(), drop_unique=(UNIQUE,))
    op.execute(TRIGGERS)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql" or not partitions.is_partitioned(conn, "partner_clicks"):
        return
    partitions.unpartition(conn, "partner_clicks", ("id",))  # its triggers go with it
    op.execute("DROP FUNCTION partner_clicks_reserve_uuid()")
    op.execute("DROP FUNCTION partner_clicks_release_uuid()")
    op.execute("DROP TABLE partner_click_uuids")
    op.create_unique_constraint(UNIQUE, "partner_clicks", ["app_id", "uuid"])
