"""The journey's hot path stays small: a fixed handful of statements per call, whatever the pool size;
what config defines (the campaign and its statuses) comes from memory."""

from __future__ import annotations

from ..helpers import configure, statements
from .support import IPHONE, campaign, document, engage, scan, set_status

PHONE = {"User-Agent": IPHONE}


def test_scan_status_and_coupon_are_a_few_statements_each(uk_shopper):
    client = uk_shopper  # a real address: the scan's verdict looks its visitor up
    configure(client, document(campaign(coupons={"generate": {"count": 500}})))
    set_status(client, scan(client, headers=PHONE), "FORM_SUBMITTED")  # warms the credential cache
    with statements(client) as scanned:
        session_id = scan(client, headers=PHONE)
    with statements(client) as bot_scanned:
        scan(client, headers={"User-Agent": "curl/8.5.0"})
    with statements(client) as stepped:
        assert set_status(client, session_id, "FORM_APPROVED").status_code == 200
    with statements(client) as issued:
        assert engage(client, session_id).status_code == 200
    # the visitor's last scan of the campaign (its verdict: duplicate, unique); the app's webhooks (once per
    # writer batch); session; event (the campaign and the duplicate window come from memory)
    # (and in each: one upsert of rollup counts, per writer batch or with the recorded event: core.rollups)
    assert scanned == ["SELECT", "SELECT", "INSERT", "INSERT", "INSERT"]
    assert bot_scanned == ["SELECT", "INSERT", "INSERT", "INSERT"]  # a bot's verdict needs no last scan
    # the batch's declared sessions, locked; webhooks; event; rollups; the steps (the job itself runs no
    # statement, so it needs no savepoint: a refused step costs nothing)
    assert stepped == ["SELECT", "SELECT", "INSERT", "INSERT", "UPDATE"]
    # locked session; mark it; claim a free code (skip locked); take it; the session's code; event; webhooks
    assert issued == ["SELECT", "UPDATE", "SELECT", "UPDATE", "UPDATE", "INSERT", "INSERT", "SELECT"]
