"""A partners funnel counted from the rollups and the journeys with more than their click (admin.funnels)
is the full walk over every event, to the journey: over partial hours, with windows, step windows and
exclusions, and after some events were deleted (then it walks every event)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clicktrail.admin import analytics
from clicktrail.admin.funnels import count_from_rollups
from clicktrail.core.journeys.events import append_event
from clicktrail.core.journeys.log import EVENTS

from ..dashboard.test_figures import journeys_reaching
from ..helpers import ADMIN
from ..partners.conftest import AUTH, SEED_PROFILE, create
from .test_metrics import T0, click_payload, ib, record  # noqa: F401  (ib: the fixture)

CLICKS = 400


def seed(client) -> None:
    """Clicks over ten days from T0 at any minute, a quarter of them registered once or twice later."""
    rng = random.Random(7)
    clicks = [
        (f"click-{n}", T0 + timedelta(minutes=rng.randrange(10 * 24 * 60)), rng.random() < 0.8)
        for n in range(CLICKS)
    ]

    def job(tx):
        for n, (journey, at, unique) in enumerate(clicks):
            payload = click_payload(unique=unique, click_id=journey, country_code=("US", "DE", None)[n % 3])
            append_event(
                tx, app_id="acme", family="partners", journey_id=journey, type="click.created",
                payload=payload, at=at,
            )  # fmt: skip

    client.app.state.runtime.writer.run(job)
    for journey, at, _ in clicks:
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            later = at + timedelta(minutes=rng.randrange(1, 12 * 24 * 60))
            record(client, "partners", journey, "click.registered", click_payload(), later)


def plan_of(
    steps: str,
    window: str | None = None,
    step_windows: str | None = None,
    exclude: str | None = None,
    filters: dict[str, str] | None = None,
):
    definition = analytics.definition_of("partners")
    names = steps.split(",")
    return analytics.FunnelPlan(
        [analytics._step(definition, name, "steps") for name in names],
        analytics.window_of(window),
        analytics._step_windows(step_windows, len(names)),
        analytics._exclusions(definition, exclude, len(names)),
        analytics._first_step_test(definition, filters or {}),
        filters or {},
    )


def walked(session: Session, plan: Any, begin: datetime, stop: datetime) -> tuple[list[int], int]:
    rows = session.execute(plan.events_query("acme", "partners", begin, stop))
    return plan.tally(plan.walk(rows, stop, None))


FUNNELS = [
    {"steps": "click,unique,registered"},
    {"steps": "click,registered", "window": "P1D"},
    {"steps": "unique,registered,registered", "window": "P3D"},
    {"steps": "click,unique,registered", "step_windows": ",PT12H"},
    {"steps": "click,registered,registered", "exclude": "unique@1-2"},
    {"steps": "click"},
]
RANGES = [  # (from, to) after T0: whole days, partial hours at both ends, within two hours
    (timedelta(0), timedelta(days=14)),
    (timedelta(days=1, minutes=17), timedelta(days=6, hours=5, minutes=43)),
    (timedelta(days=3, minutes=59), timedelta(days=3, hours=2, minutes=1)),
]


@pytest.mark.parametrize("options", FUNNELS, ids=[str(f) for f in FUNNELS])
def test_a_funnel_from_the_rollups_is_the_walk_over_every_event(ib, options):  # noqa: F811
    seed(ib)
    plan = plan_of(**options)
    engine = ib.app.state.runtime.engine
    with Session(engine) as session:
        for start, end in RANGES:
            begin, stop = T0 + start, T0 + end
            expected = walked(session, plan, begin, stop)
            assert expected[0][0] > 0
            counted = count_from_rollups(plan, session, "acme", "partners", begin, stop, None)
            assert counted is not None  # the rollups were used
            assert counted == expected
            answer = ib.get(
                "/admin/v1/apps/acme/funnels",
                params={"family": "partners", "from": begin.isoformat(), "to": stop.isoformat(), **options},
                headers=ADMIN,
            ).json()
            assert [s["count"] for s in answer["steps"]] == expected[0]
            assert answer["excluded"] == expected[1]


@pytest.mark.parametrize("country", ["DE", ""])
def test_a_funnel_under_one_filter_from_the_rollups_is_the_walk_over_every_event(ib, country):  # noqa: F811
    seed(ib)  # a third of the clicks in DE, a third with no country
    plan = plan_of("click,unique,registered", filters={"country": country})
    with Session(ib.app.state.runtime.engine) as session:
        whole = walked(session, plan, T0, T0 + timedelta(days=14))[0]
        everyone = walked(session, plan_of("click,unique,registered"), T0, T0 + timedelta(days=14))[0]
        assert 0 < whole[0] < everyone[0] and whole[2] > 0  # the filter keeps some, registered ones too
        for start, end in RANGES:
            begin, stop = T0 + start, T0 + end
            expected = walked(session, plan, begin, stop)
            assert count_from_rollups(plan, session, "acme", "partners", begin, stop, None) == expected
            params = {"family": "partners", "from": begin.isoformat(), "to": stop.isoformat()}
            answer = ib.get(
                "/admin/v1/apps/acme/funnels",
                params={**params, "steps": "click,unique,registered", "filter[country]": country},
                headers=ADMIN,
            ).json()
            assert [s["count"] for s in answer["steps"]] == expected[0]


def answer_of(client, begin: datetime, stop: datetime) -> list[int]:
    params = {"family": "partners", "from": begin.isoformat(), "to": stop.isoformat(), **FUNNELS[0]}
    answer = client.get("/admin/v1/apps/acme/funnels", params=params, headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return [s["count"] for s in answer.json()["steps"]]


def test_after_retention_removed_the_oldest_events_the_funnel_walks_every_event(ib):  # noqa: F811
    seed(ib)
    engine = ib.app.state.runtime.engine
    with engine.begin() as conn:  # as retention does: every event older than a time goes, the counts stay
        conn.execute(delete(EVENTS).where(EVENTS.c.created_at < T0 + timedelta(days=2, minutes=30)))
    plan = plan_of("click,unique,registered")
    for begin in (T0, T0 + timedelta(days=3)):  # the range touches what went, or not: never the rollups
        stop = begin + timedelta(days=7)
        with Session(engine) as session:
            assert count_from_rollups(plan, session, "acme", "partners", begin, stop, None) is None
            expected = walked(session, plan, begin, stop)
        assert answer_of(ib, begin, stop) == expected[0]


def test_after_an_erasure_the_funnel_walks_every_event(ib):  # noqa: F811
    seed(ib)  # older clicks: the oldest counted hour stays whole, only the erasure's note tells
    first = create(ib)["clickId"]
    create(ib, ip="81.2.69.160")
    create(ib, ip="81.2.69.161")
    assert ib.put(f"/ib/v1/clicks/{first}", json=SEED_PROFILE, headers=AUTH).status_code == 200
    begin, stop = datetime.now(UTC) - timedelta(hours=3), datetime.now(UTC) + timedelta(hours=1)
    plan = plan_of("click,unique,registered")
    engine = ib.app.state.runtime.engine
    with Session(engine) as session:
        assert count_from_rollups(plan, session, "acme", "partners", begin, stop, None) is not None
    assert answer_of(ib, begin, stop) == [3, 3, 1]
    erased = ib.delete("/admin/v1/apps/acme/users/client@email.com", headers=ADMIN)
    assert erased.status_code == 200 and erased.json()["erased"], erased.text
    with Session(engine) as session:
        assert count_from_rollups(plan, session, "acme", "partners", begin, stop, None) is None
        expected = walked(session, plan, begin, stop)
    assert expected[0] == [2, 2, 0] and answer_of(ib, begin, stop) == [2, 2, 0]


@pytest.mark.parametrize(
    "filters", [{"country": "DE", "verdict": "ok"}, {"country": "", "verdict": "ok", "device": "desktop"}]
)
def test_a_funnel_under_two_filters_reads_the_opening_events_and_is_the_walk_over_every_event(ib, filters):  # noqa: F811
    seed(ib)  # a third of the clicks in DE, a third with no country; verdict and device as click_payload
    plan = plan_of("click,unique,registered", filters=filters)
    with Session(ib.app.state.runtime.engine) as session:
        whole = walked(session, plan, T0, T0 + timedelta(days=14))[0]
        one = walked(session, plan_of("click,unique,registered", filters={"country": filters["country"]}), T0,
                     T0 + timedelta(days=14))[0]  # fmt: skip
        assert whole[0] > 0 and whole[2] > 0 and whole[0] <= one[0]
        for start, end in RANGES:
            begin, stop = T0 + start, T0 + end
            expected = walked(session, plan, begin, stop)
            counted = count_from_rollups(plan, session, "acme", "partners", begin, stop, None)
            assert counted is not None  # not the full walk
            assert counted == expected
            params = {"family": "partners", "from": begin.isoformat(), "to": stop.isoformat()}
            chips = {f"filter[{name}]": value for name, value in filters.items()}
            answer = ib.get(
                "/admin/v1/apps/acme/funnels",
                params={**params, "steps": "click,unique,registered", **chips},
                headers=ADMIN,
            ).json()
            assert [s["count"] for s in answer["steps"]] == expected[0]


LONG = "v" * 300  # counted under its first 255 characters, as every dimension value


def seed_varied(client) -> None:
    """Clicks over a week whose country is named, none, empty or missing, under three verdicts (one past
    255 characters) and two devices, unique or not (or not said), about a third of them registered later."""
    rng = random.Random(11)
    countries = ["DE", None, "", "missing"]
    clicks = []
    for n in range(CLICKS):
        payload = click_payload(
            click_id=f"varied-{n}",
            country_code=countries[n % 4],
            verdict=("ok", "duplicate", LONG)[n % 3],
            device=("desktop", "mobile")[n % 5 % 2],
            unique=(True, False, None)[n % 7 % 3],
        )
        if payload["country_code"] == "missing":
            del payload["country_code"]
        if payload["unique"] is None:
            del payload["unique"]
        clicks.append((f"varied-{n}", T0 + timedelta(minutes=rng.randrange(7 * 24 * 60)), payload))

    def job(tx):
        for journey, at, payload in clicks:
            append_event(
                tx, app_id="acme", family="partners", journey_id=journey, type="click.created",
                payload=payload, at=at,
            )  # fmt: skip

    client.app.state.runtime.writer.run(job)
    for journey, at, payload in (click for click in clicks if rng.random() < 0.35):
        record(
            client,
            "partners",
            journey,
            "click.registered",
            payload,
            at + timedelta(hours=rng.randrange(1, 200)),
        )


def raw_event_rows(client) -> list[dict[str, Any]]:
    with Session(client.app.state.runtime.engine) as session:
        found = session.execute(
            select(EVENTS).where(EVENTS.c.app_id == "acme").order_by(EVENTS.c.created_at, EVENTS.c.id)
        ).mappings()
        return [{**row, "payload": row["payload"] or {}} for row in found]


COMBINED = [
    {"country": "", "verdict": "ok"},  # none, empty and missing alike, as the one-filter path counts them
    {"country": "DE", "device": "mobile", "verdict": "duplicate"},
    {"verdict": LONG[:255], "device": "desktop"},
    {"country": "DE", "verdict": "no such verdict"},
]


@pytest.mark.parametrize("filters", COMBINED, ids=[str(f) for f in COMBINED])
def test_combined_filters_count_each_value_as_the_walk_the_api_and_the_raw_rows_do(ib, filters):  # noqa: F811
    seed_varied(ib)
    plan = plan_of("click,unique,registered", filters=filters)
    events = raw_event_rows(ib)
    with Session(ib.app.state.runtime.engine) as session:
        for start, end in RANGES:
            begin, stop = T0 + start, T0 + end
            expected = walked(session, plan, begin, stop)
            assert count_from_rollups(plan, session, "acme", "partners", begin, stop, None) == expected
            query = {"family": "partners", "steps": "click,unique,registered"}
            query |= {"from": begin.isoformat(), "to": stop.isoformat()}
            query |= {f"filter[{name}]": value for name, value in filters.items()}
            answer = ib.get("/admin/v1/apps/acme/funnels", params=query, headers=ADMIN).json()
            assert [s["count"] for s in answer["steps"]] == expected[0]
            if LONG[:255] not in filters.values():  # the raw count compares whole values
                assert journeys_reaching(events, query) == expected[0]
        whole = walked(session, plan, T0, T0 + timedelta(days=14))[0]
    assert (whole[0] > whole[1] > 0 and whole[2] > 0) == ("no such verdict" not in filters.values())


def test_after_retention_removed_the_oldest_events_combined_filters_still_count_the_events(ib):  # noqa: F811
    seed(ib)
    engine = ib.app.state.runtime.engine
    with engine.begin() as conn:  # the rollups no longer count what is stored: their events are read
        conn.execute(delete(EVENTS).where(EVENTS.c.created_at < T0 + timedelta(days=2, minutes=30)))
    plan = plan_of("click,unique,registered", filters={"country": "DE", "verdict": "ok"})
    with Session(engine) as session:
        for begin in (T0, T0 + timedelta(days=3)):
            stop = begin + timedelta(days=7)
            counted = count_from_rollups(plan, session, "acme", "partners", begin, stop, None)
            assert counted is not None and counted == walked(session, plan, begin, stop)
            assert counted[0][0] > 0
