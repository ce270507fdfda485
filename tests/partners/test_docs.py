"""docs/partners.md works as written: its shell blocks, run in order by bash against ``clicktrail serve``
with the demo config, take each id from an earlier answer (nothing to paste) and get the answers the page
describes, pasted once or twice."""

from __future__ import annotations

import re

import pytest

from ..walkthrough import apply_demo, blocks, output, walk_through

PAGE = "docs/partners.md"
BLOCKS = blocks(PAGE)

pytestmark = pytest.mark.e2e


def test_no_block_asks_to_paste_an_id():
    assert len(BLOCKS) >= 8
    for block in BLOCKS:
        assert not re.search(r"[0-9a-f]{24}", block.replace("6006dda272f002519c3eb50", "")), block


def test_the_walk_through_runs_twice(database_url, start_server):
    base = start_server(database_url, env={"CLICKTRAIL_OUTBOX_POLL_SECONDS": "0"})
    apply_demo(base)
    for _ in range(2):  # the second paste meets the first one's data
        check(walk_through(PAGE, base, epilogue="printf '\\nCLICK=%s\\n' \"$CLICK\"\n"))


def check(done: list[tuple[str, str]]) -> None:
    first, last = done[-1]
    last, click = last.rsplit("\nCLICK=", 1)
    done[-1] = (first, last)
    click = click.strip()
    assert re.fullmatch(r"[0-9a-f]{24}", click), done

    assert '"token_type":"Bearer"' in output(done, "BASE=")
    recorded = output(done, "CLICK=$(curl")
    assert f'"clickId":"{click}"' in recorded and '"cdnFileUrl":"https://cdn.example/b.png"' in recorded
    assert f'"clickId":"{click}"' in output(done, 'curl -s -g "$BASE/clicks/$CLICK?')
    assert re.search(r'"profileId":"[0-9a-f]{24}"', output(done, 'curl -s -X PUT "$BASE/clicks/$CLICK"'))
    assert re.search(r'"profileId":"[0-9a-f]{24}"', output(done, 'curl -s -X PATCH "$BASE/clicks/$CLICK"'))
    listed = output(done, 'curl -s -g -D - "$BASE/clicks?')
    assert "x-total-count: 1" in listed.lower()
    assert listed.count(f'[{{"clickId":"{click}"') == 2  # both lists, the second by uri + utm + country
    assert output(done, 'curl -s -X DELETE "$BASE/clicks/$CLICK"').strip() == "204"
    assert '"ip: Field required"' in output(done, 'curl -s -X POST "$BASE/clicks"')
    # the tracked redirect: the uri with the visit's query (never its referral), then each rule's target
    followed = output(done, "GO=").split("\n")
    assert followed[:3] == [
        "302 https://my.stage.org/register?referral=1&utm_source=flyer",
        "302 https://my.stage.org/register?referral=1&lp=poster&src=poster",
        "302 https://apps.apple.com/app/id000000000",
    ], followed
    by_rule = output(
        done, 'curl -s "http://127.0.0.1:8000/admin/v1/apps/demo/metrics?family=partners&group_by=rule'
    )
    assert '{"key":"app-ios","clicks":' in by_rule and '{"key":"poster","clicks":' in by_rule, by_rule
