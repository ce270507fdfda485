"""Session ids are UUIDs: any case finds the session, and answers name it in the canonical lower case."""

from __future__ import annotations

from .support import engage, scan, set_status


def test_an_upper_case_session_id_finds_the_session(shop):
    session_id = scan(shop)
    shouted = session_id.upper()
    assert shouted != session_id
    for status in ("FORM_SUBMITTED", "FORM_REVIEWING", "FORM_APPROVED"):
        assert set_status(shop, shouted, status).json() == {"message": "Status updated successfully"}
    assert engage(shop, shouted).json() == {"message": "success", "coupon_code": "SPRING-0001"}


def test_answers_name_the_session_in_canonical_form(shop):
    session_id = scan(shop)
    mixed = session_id[:8].upper() + session_id[8:]
    set_status(shop, mixed, "FORM_SUBMITTED")
    again = set_status(shop, mixed, "FORM_SUBMITTED")
    assert again.status_code == 400
    assert again.json() == {"error_msg": f"Action already completed for session_id: {session_id}"}
    set_status(shop, session_id, "FORM_APPROVED")
    engage(shop, mixed)
    twice = engage(shop, mixed.swapcase())
    assert twice.json() == {"error_msg": f"Coupon already issued for session_id: {session_id}"}


def test_an_unknown_upper_case_uuid_is_named_canonically(shop):
    unknown = "8960569D-DB50-4742-8668-1DA5C8DDF652"
    response = set_status(shop, unknown, "FORM_SUBMITTED")
    assert response.status_code == 404
    assert response.json() == {"error_msg": f"No record with session_id: {unknown.lower()}"}
    assert engage(shop, unknown).json() == {"error_msg": f"Invalid session_id {unknown.lower()}"}


def test_an_id_that_is_not_a_uuid_keeps_its_case(shop):
    response = set_status(shop, "Not-A-Uuid", "FORM_SUBMITTED")
    assert response.json() == {"error_msg": "No record with session_id: Not-A-Uuid"}
