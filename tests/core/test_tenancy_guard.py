"""The tenancy guard itself (tests/tenancy_guard.py): it looks at what constrains the rows, not at the
column list, and a primary-key load through ``session.get`` is checked like any other read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import create_engine, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.orm import Session, aliased

from clicktrail.core.storage.db import normalize_url
from clicktrail.core.tenancy.apps import App, tenant
from clicktrail.loyalty.models import Member
from clicktrail.partners.models import PartnerClick, PartnerProfile

from .. import tenancy_guard

BY_ID_ALONE = select(PartnerClick).where(PartnerClick.id == "c1")
WITHIN_ONE_APP = select(PartnerClick).where(tenant(PartnerClick, "acme"), PartnerClick.id == "c1")


def as_the_app(call: Callable[..., Any], *args: Any) -> list[str]:
    """Run ``call`` on a thread of its own, as a request would (the guard exempts the tests' own
    statements, found by a test frame on the stack), and take what the guard caught."""
    tenancy_guard.violations.clear()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(call, *args).result()
    caught, tenancy_guard.violations[:] = list(tenancy_guard.violations), []
    return caught


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = create_engine(normalize_url(database_url))
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_a_whole_row_selected_by_its_id_alone_is_caught(session: Session) -> None:
    [caught] = as_the_app(session.execute, BY_ID_ALONE)
    assert caught.startswith("partner_clicks not scoped to an app")


def test_a_session_get_of_a_tenant_row_is_caught(session: Session) -> None:
    [caught] = as_the_app(session.get, PartnerClick, "c1")
    assert caught.startswith("partner_clicks not scoped to an app")


def test_a_whole_row_selected_within_one_app_passes(session: Session) -> None:
    assert as_the_app(session.execute, WITHIN_ONE_APP) == []


def test_the_orm_writing_back_and_reloading_a_row_a_scoped_query_loaded_passes(session: Session) -> None:
    session.add(App(id="acme", name="Acme", config={}))
    session.add(Member(app_id="acme", account_id="a1", loyalty_id="L1", points_balance=0))
    session.commit()

    def earn() -> int:
        member = session.scalars(
            select(Member).where(tenant(Member, "acme"), Member.account_id == "a1")
        ).one()
        member.points_balance += 5
        session.commit()  # an UPDATE by primary key
        return member.points_balance  # expired by the commit: reloaded by primary key

    assert as_the_app(earn) == []
    assert session.scalar(select(Member.points_balance).where(tenant(Member, "acme"))) == 5


DIALECTS = [sqlite.dialect(), postgresql.dialect()]


def compiled(statement: Any, dialect: Dialect) -> str:
    return str(statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True}))


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@pytest.mark.parametrize(
    "statement",
    [
        BY_ID_ALONE,
        select(func.count()).select_from(PartnerClick).where(PartnerClick.id > "c1"),
        select(PartnerClick).where(PartnerClick.app_id != "acme"),
        select(PartnerClick).order_by(PartnerClick.app_id),
        update(PartnerClick).where(PartnerClick.id == "c1").values(app_id="acme"),
        delete(PartnerClick).where(PartnerClick.id == "c1"),
        # the click is scoped, the profile it joins is not
        select(PartnerClick, PartnerProfile)
        .join(PartnerProfile, PartnerProfile.id == PartnerClick.profile_id)
        .where(tenant(PartnerClick, "acme")),
        # the subquery reads every app's profiles
        select(PartnerClick).where(
            tenant(PartnerClick, "acme"),
            PartnerClick.profile_id.in_(select(PartnerProfile.id).where(PartnerProfile.app_id.is_not(None))),
        ),
    ],
)
def test_unscoped_statements_are_caught_on_both_dialects(statement: Any, dialect: Dialect) -> None:
    assert tenancy_guard.check(compiled(statement, dialect)) is not None


PROFILE = aliased(PartnerProfile, name="profile")


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@pytest.mark.parametrize(
    "statement",
    [
        WITHIN_ONE_APP,
        select(PartnerClick).where(PartnerClick.app_id.in_(["acme", "globex"])),
        update(PartnerClick).where(tenant(PartnerClick, "acme"), PartnerClick.id == "c1").values(uri="/"),
        delete(PartnerClick).where(tenant(PartnerClick, "acme"), PartnerClick.id == "c1"),
        select(PartnerClick, PROFILE)
        .join(PROFILE, (PROFILE.id == PartnerClick.profile_id) & (PROFILE.app_id == PartnerClick.app_id))
        .where(tenant(PartnerClick, "acme")),
        select(PartnerClick).where(
            tenant(PartnerClick, "acme"),
            PartnerClick.profile_id.in_(select(PartnerProfile.id).where(tenant(PartnerProfile, "acme"))),
        ),
    ],
)
def test_statements_within_one_app_pass_on_both_dialects(statement: Any, dialect: Dialect) -> None:
    assert tenancy_guard.check(compiled(statement, dialect)) is None


def test_a_raw_statement_on_one_table_may_name_the_column_bare() -> None:
    assert tenancy_guard.check("SELECT id FROM partner_clicks WHERE app_id = ? AND id = ?") is None
    assert tenancy_guard.check("UPDATE partner_clicks SET app_id = ? WHERE id = ?") is not None
