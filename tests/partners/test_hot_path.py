"""The click hot path stays small: a warm create is the duplicate check (skipped for a visitor this
process knows), the click and its event, and a list page with every embed costs the same number of
statements for 1 click or 30 (no query per click)."""

from __future__ import annotations

from ..helpers import statements
from .conftest import AUTH, SEED_PROFILE, create


def test_a_warm_create_is_four_statements_and_a_repeat_visitor_three(ib):
    create(ib)  # warms the credential cache and the link catalog
    with statements(ib, words=None) as seen:
        create(ib, ip="185.155.96.190")
    # a new visitor: the duplicate check, the app's webhooks (once per batch), the batch's rollup counts
    # (one upsert per batch, see core.rollups), then the click and its event
    assert [s.split()[0].upper() for s in seen] == ["SELECT", "SELECT", "INSERT", "INSERT", "INSERT"], seen
    with statements(ib, words=None) as seen:
        create(ib, ip="185.155.96.190")
    # a visitor this process knows: judged from memory
    assert [s.split()[0].upper() for s in seen] == ["SELECT", "INSERT", "INSERT", "INSERT"], seen


def test_list_embeds_cost_the_same_for_any_page_size(ib):
    params = "query[link]=1&query[profile]=1&query[metrics]=1&query[contacts]=1&query[traffic]=1"
    click = create(ib)["clickId"]
    ib.put(f"/ib/v1/clicks/{click}", json=SEED_PROFILE, headers=AUTH)
    ib.get(f"/ib/v1/clicks?{params}", headers=AUTH)
    with statements(ib, words=None) as one:
        assert len(ib.get(f"/ib/v1/clicks?{params}", headers=AUTH).json()) == 1
    for i in range(29):
        made = create(ib, ip=f"185.155.96.{i + 1}", uri=f"https://my.stage.org/register?referral={1 + i % 2}")
        ib.put(f"/ib/v1/clicks/{made['clickId']}", json=SEED_PROFILE, headers=AUTH)
    with statements(ib, words=None) as many:
        assert len(ib.get(f"/ib/v1/clicks?{params}", headers=AUTH).json()) == 30
    # (the origin policy and the access log's privacy setting re-read every app's config version once
    # their cache is stale, on whichever request comes then: no cost of the page)
    refreshes = ("SELECT apps.id, apps.updated_at",)
    one, many = ([s for s in seen if not s.startswith(refreshes)] for seen in (one, many))
    assert len(many) == len(one), (one, many)
