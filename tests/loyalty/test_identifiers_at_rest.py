"""A member's email, phone number or other identifier is stored only as a keyed hash (one key per app):
the member is still found by it, and erased by it, but it is nowhere in the database in clear."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import create_engine

from clicktrail.core.storage.db import make_sessionmaker, normalize_url
from clicktrail.core.storage.migrate import alembic_config, upgrade
from clicktrail.families import migration_dirs
from clicktrail.loyalty import members

from ..helpers import ADMIN, scratch_postgres, snapshot
from ..retention_support import sql
from .conftest import OTHER, start

EMAIL, PHONE = "Carol.Shopper@Example.com", "+1 650-253-0000"
CLEAR = ("carol.shopper@example.com", "+16502530000", "650-253-0000", "6502530000")


def stored_anywhere(database_url: str, *needles: str) -> list[str]:
    dump = repr(snapshot(database_url)).lower()
    return [needle for needle in needles if needle.lower() in dump]


def test_an_email_or_phone_is_stored_only_as_a_keyed_hash(shop, database_url):
    first = start(shop, EMAIL, kind="EMAIL")
    start(shop, PHONE, kind="PHONE_NUMBER")
    start(shop, EMAIL, kind="EMAIL", headers=OTHER)
    assert stored_anywhere(database_url, *CLEAR) == []
    hashes = sql(
        database_url, "SELECT app_id, value FROM loyalty_member_identifiers WHERE identifier_type = 'EMAIL'"
    )
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for _, value in hashes)
    assert len({value for _, value in hashes}) == 2  # one key per app: the same email hashes apart

    again = start(shop, "  carol.shopper@EXAMPLE.com", kind="EMAIL")  # another spelling, the same member
    assert (again["accountId"], again["loyaltyId"], again["enrolled"]) == (
        first["accountId"],
        first["loyaltyId"],
        False,
    )
    erased = shop.delete(f"/admin/v1/apps/shop/users/{EMAIL.upper()}", headers=ADMIN).json()
    assert erased["removed"]["loyalty"]["loyalty_members"] == 1
    assert start(shop, EMAIL, kind="EMAIL")["enrolled"] is True  # gone: a new member now


@contextmanager
def fresh_database(database_url: str, tmp_path) -> Iterator[str]:
    if database_url.startswith("sqlite"):
        path = tmp_path / "upgrade.db"
        upgrade(f"sqlite:///{path}", migration_dirs())
        yield f"sqlite:///{path}"
        return
    with scratch_postgres(database_url, "clicktrail_identifiers") as url:
        yield url


def test_the_upgrade_hashes_identifiers_stored_in_clear(database_url, tmp_path):
    with fresh_database(database_url, tmp_path) as url:
        command.downgrade(alembic_config(url, migration_dirs()), "loyalty_0001")
        sql(
            url,
            "INSERT INTO apps (id, name, config, created_at, updated_at) VALUES ('a', 'a', '{}', :t, :t)",
            t="2026-01-01T00:00:00+00:00",
        )
        sql(
            url,
            "INSERT INTO loyalty_members (id, app_id, account_id, loyalty_id, points_balance, created_at)"
            " VALUES (1, 'a', 'acc-1', '1234567890123456', 40, :t)",
            t="2026-01-01T00:00:00+00:00",
        )
        for kind, value in (("ACCOUNT_ID", "acc-1"), ("LOYALTY_ID", "1234567890123456"), ("EMAIL", CLEAR[0])):
            sql(
                url,
                "INSERT INTO loyalty_member_identifiers (app_id, identifier_type, value, member_id)"
                " VALUES ('a', :k, :v, 1)",
                k=kind,
                v=value,
            )
        upgrade(url, migration_dirs())
        assert stored_anywhere(url, CLEAR[0]) == []
        engine = create_engine(normalize_url(url))
        try:
            with make_sessionmaker(engine)() as session:
                found = members.find(session, app_id="a", kind="EMAIL", value=CLEAR[0])
                by_account = members.find(session, app_id="a", kind="ACCOUNT_ID", value="acc-1")
        finally:
            engine.dispose()
        assert found is not None and by_account is not None
        assert (found.id, found.points_balance) == (1, 40) and by_account.id == 1
