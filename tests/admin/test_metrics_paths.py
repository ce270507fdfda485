"""The two paths of the metrics API count the same: for every family and every dimension its raw rows
describe (core.facts), the rollups' answer and the raw rows' answer are equal on the same data: the days,
the totals, the rows of the dimension, and each of its values as a filter (by hour and grouped). Data is
written through the families' real APIs. Both engines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from clicktrail.core.journeys import facts, rollups
from clicktrail.core.journeys.rollups import ALL, Measures

from ..dashboard.test_figures import seed
from ..e2e.journeys import APP
from .test_metrics_filters import ib, real_clicks

__all__ = ["ib"]


def _kept(found: list[tuple[Any, str, int]]) -> dict[tuple[Any, str], int]:
    return {(key if key is not None else "", measure): n for key, measure, n in found if n}


def assert_both_paths_agree(engine: Any, app_id: str, families: tuple[str, ...] | None = None) -> int:
    """Compares the two paths of every family (or of ``families``); returns the comparisons made."""
    now = datetime.now(UTC)
    span = rollups.hours(now - timedelta(days=2), now + timedelta(days=1))
    compared = 0
    with Session(engine) as session:
        for definition in rollups.definitions().values():
            if families is None or definition.family in families:
                compared += _compare(Paths(session, definition, app_id, *span))
    return compared


@dataclass
class Paths:
    session: Session
    definition: Measures
    app_id: str
    start: datetime
    end: datetime

    @property
    def described(self) -> facts.Facts:
        assert self.definition.facts is not None, self.definition.family
        return self.definition.facts

    @property
    def measures(self) -> list[str]:
        return [m for m in self.definition.counts if m in self.described.measures]

    def rolled(self, dimension: str, by_bucket: bool, value: str | None = None) -> dict[Any, int]:
        found = rollups.sums(
            self.session, app_id=self.app_id, family=self.definition.family, dimension=dimension,
            measures=self.measures, start=self.start, end=self.end, by_bucket=by_bucket, dim_value=value,
        )  # fmt: skip
        return _kept(found)

    def raw(self, grouping: str | None, by_bucket: bool, filters: dict[str, str]) -> dict[Any, int]:
        found = facts.sums(
            self.session, self.described, app_id=self.app_id, grouping=grouping, measures=self.measures,
            filters=filters, start=self.start, end=self.end, by_bucket=by_bucket,
        )  # fmt: skip
        return _kept(found)


def _compare(paths: Paths) -> int:
    family = paths.definition.family
    assert paths.rolled(ALL, True) == paths.raw(None, True, {}), family
    assert paths.rolled(ALL, False) == paths.raw(None, False, {}), family
    assert paths.rolled(ALL, False), f"{family}: no data to compare"
    compared = 2
    for dimension in paths.described.dimensions:
        assert paths.rolled(dimension, False) == paths.raw(dimension, False, {}), dimension
        for value in {key for key, _ in paths.rolled(dimension, False)}:
            where = f"{family} {dimension}={value!r}"
            assert paths.rolled(dimension, True, value) == paths.raw(None, True, {dimension: value}), where
            assert paths.rolled(dimension, False, value) == paths.raw(dimension, False, {dimension: value}), (
                where
            )
            compared += 2
        compared += 1
    return compared


def test_rollups_and_raw_rows_agree_for_every_dimension_of_every_family(client, receiver):
    seed(client, receiver)  # every family's journeys, through their APIs
    assert assert_both_paths_agree(client.app.state.runtime.engine, APP) >= 40


TRICKY_REFERRERS = [
    "https://EXAMPLE.org:8443/path?q=1",
    "http://user:pw@Host.example/",
    "//cdn.example/x",
    "https://[2001:db8::1]:8080/",
    "android-app://com.google.android.gm/",
    "not a url",
    "/relative/path?u=http://evil.example",
    "https://",
]


def test_partners_dimensions_agree_with_countries_agents_and_odd_referrers(ib):
    real_clicks(ib)  # countries from the city database, two agents, UTM fields, registrations
    for referrer in TRICKY_REFERRERS:
        answer = ib.post(
            "/ib/v1/clicks",
            json={
                "ip": "81.2.69.142",
                "uri": "https://my.stage.org/register?referral=1",
                "referrer": referrer,
            },
            headers={"Authorization": "Bearer ib-secret-acme"},
        )
        assert answer.status_code == 201, answer.text
    assert assert_both_paths_agree(ib.app.state.runtime.engine, "acme", ("partners",)) >= 40
