"""``filter[DIMENSION]=VALUE`` on the metrics API (docs/metrics.md), on both engines: the days and totals
of one value of a dimension, and a clear 400 for what the rollups cannot answer."""

from __future__ import annotations

from ..helpers import ADMIN
from .test_metrics import RANGE, ib, metrics, write_partners_fixture

__all__ = ["ib"]  # the fixture, shared with test_metrics


def test_a_filter_limits_days_and_totals_to_one_value(ib):
    write_partners_fixture(ib)
    gb = metrics(ib, family="partners", **{"filter[country]": "GB"})
    assert gb["filters"] == {"country": "GB"}
    assert gb["totals"]["clicks"] == 2 and gb["totals"]["unique_clicks"] == 1
    by_day = {row["key"]: row["clicks"] for row in gb["rows"] if row["clicks"]}
    assert by_day == {"2026-03-10": 1, "2026-03-11": 1}
    everyone = metrics(ib, family="partners")
    assert everyone["totals"]["clicks"] == 7 and everyone["filters"] == {}
    same = metrics(ib, family="partners", group_by="country", **{"filter[country]": "GB"})
    assert [row["key"] for row in same["rows"]] == ["GB"] and same["totals"]["clicks"] == 2


def test_a_filter_as_csv_has_the_filtered_total(ib):
    write_partners_fixture(ib)
    params = {**RANGE, "family": "partners", "filter[utm_source]": "newsletter", "format": "csv"}
    answer = ib.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN)
    assert answer.status_code == 200 and answer.text.strip().splitlines()[-1].startswith("total,1,1,0,0")


def test_filters_the_rollups_cannot_answer_are_refused(ib):
    cases = {
        "filter[shop]=x": "unknown dimension",
        "filter[country]=GB&filter[device]=bot": "one dimension at a time",
        "filter[country]=GB&group_by=link": "cannot be combined",
        "filter[country]=GB&filter[country]=US": "more than once",
    }
    for query, words in cases.items():
        answer = ib.get(f"/admin/v1/apps/acme/metrics?family=partners&{query}", headers=ADMIN)
        assert answer.status_code == 400, query
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert words in answer.json()["detail"], answer.text


def test_compare_previous_is_the_same_call_over_the_period_before(ib):
    write_partners_fixture(ib)  # clicks on 2026-03-10, -11 and -12
    params = {"family": "partners", "from": "2026-03-12", "to": "2026-03-14", "compare": "previous"}
    answer = ib.get("/admin/v1/apps/acme/metrics", params=params, headers=ADMIN).json()
    previous = answer["previous"]
    assert (previous["from"], previous["to"]) == ("2026-03-10T00:00:00+00:00", "2026-03-12T00:00:00+00:00")
    alone = ib.get(
        "/admin/v1/apps/acme/metrics",
        params={"family": "partners", "from": "2026-03-10", "to": "2026-03-12"},
        headers=ADMIN,
    ).json()
    assert previous["totals"] == alone["totals"] and previous["totals"]["clicks"] == 6
    assert answer["totals"]["clicks"] == 1
    gb = ib.get(
        "/admin/v1/apps/acme/metrics", params={**params, "filter[country]": "GB"}, headers=ADMIN
    ).json()
    assert gb["previous"]["totals"]["clicks"] == 2 and gb["totals"]["clicks"] == 0
    wrong = ib.get("/admin/v1/apps/acme/metrics", params={**params, "compare": "last"}, headers=ADMIN)
    assert wrong.status_code == 400
