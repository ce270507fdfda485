"""The ``signage:`` section: validation with paths, idempotent apply, coupon pools that only grow."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import yaml
from sqlalchemy import create_engine, text

from clicktrail.core.storage.db import normalize_url
from clicktrail.signage.config import GENERATED_ALPHABET

from ..helpers import ADMIN, ADMIN_TOKEN, configure, snapshot
from .support import approved_session, campaign, document, engage, scan


def pool(database_url: str, campaign_id: str = "spring-form") -> list[tuple[str, str, str | None]]:
    """(code, source, session_id) of a campaign's pool, oldest first."""
    engine = create_engine(normalize_url(database_url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT code, source, session_id FROM signage_coupons"
                    " WHERE app_id = 'demo' AND campaign_id = :c ORDER BY id"
                ),
                {"c": campaign_id},
            )
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()


def put_config(client, doc):
    return client.put("/admin/v1/config", json=doc, headers=ADMIN)


class TestApply:
    def test_applying_twice_changes_nothing(self, client, database_url):
        doc = document(campaign(coupons={"codes": ["A-1", "A-2"], "generate": {"prefix": "G-", "count": 5}}))
        first = configure(client, doc)
        assert "demo: signage campaign 'spring-form' created" in first["changes"]
        assert "demo: signage campaign 'spring-form': 2 coupon code(s) added" in first["changes"]
        assert "demo: signage campaign 'spring-form': 5 coupon code(s) generated" in first["changes"]
        before = snapshot(database_url)
        assert configure(client, doc) == {"changed": False, "changes": [], "generated_secrets": {}}
        assert snapshot(database_url) == before

    def test_generated_codes_come_from_the_alphabet_and_are_distinct(self, client, database_url):
        configure(
            client, document(campaign(coupons={"generate": {"prefix": "SPRING-", "length": 12, "count": 50}}))
        )
        codes = [code for code, source, _ in pool(database_url) if source == "generated"]
        assert len(codes) == len(set(codes)) == 50
        pattern = re.compile(f"^SPRING-[{GENERATED_ALPHABET}]{{12}}$")
        assert all(pattern.match(code) for code in codes)

    def test_raising_count_tops_the_pool_up(self, client, database_url):
        configure(client, document(campaign(coupons={"generate": {"count": 3}})))
        issued = engage(client, approved_session(client)).json()["coupon_code"]
        result = configure(client, document(campaign(coupons={"generate": {"count": 5}})))
        assert result["changes"] == ["demo: signage campaign 'spring-form': 2 coupon code(s) generated"]
        rows = pool(database_url)
        assert len(rows) == 5
        assert rows[0][0] == issued and rows[0][2] is not None
        # Lowering the count removes nothing: apply never takes codes back.
        assert configure(client, document(campaign(coupons={"generate": {"count": 1}})))["changed"] is False
        assert len(pool(database_url)) == 5

    def test_listed_codes_are_added_and_issued_ones_left_alone(self, client, database_url):
        configure(client, document(campaign(coupons={"codes": ["A-1"]})))
        session_id = approved_session(client)
        assert engage(client, session_id).json()["coupon_code"] == "A-1"
        exhausted = approved_session(client)
        assert engage(client, exhausted).json() == {"error_msg": "No coupons left for campaign spring-form"}
        # The operator lists new codes (and drops the issued one from the file): it stays issued.
        result = configure(client, document(campaign(coupons={"codes": ["A-2", "A-3"]})))
        assert result["changes"] == ["demo: signage campaign 'spring-form': 2 coupon code(s) added"]
        assert pool(database_url) == [
            ("A-1", "listed", session_id),
            ("A-2", "listed", None),
            ("A-3", "listed", None),
        ]
        assert engage(client, exhausted).json() == {"message": "success", "coupon_code": "A-2"}
        assert engage(client, session_id).json()["error_msg"].startswith("Coupon already issued")

    def test_top_up_with_clicktrail_apply(self, client, database_url, tmp_path):
        configure(client, document(campaign(coupons={"codes": ["A-1"]})))
        assert engage(client, approved_session(client)).status_code == 200
        exhausted = approved_session(client)
        assert engage(client, exhausted).status_code == 400
        path = tmp_path / "signage.yaml"
        path.write_text(yaml.safe_dump(document(campaign(coupons={"codes": ["A-1", "A-2"]}))))
        env = {**os.environ, "CLICKTRAIL_DATABASE_URL": database_url, "CLICKTRAIL_ADMIN_TOKEN": ADMIN_TOKEN}
        run = subprocess.run(
            [sys.executable, "-m", "clicktrail", "apply", str(path)], env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        assert "demo: signage campaign 'spring-form': 1 coupon code(s) added" in run.stdout
        assert engage(client, exhausted).json() == {"message": "success", "coupon_code": "A-2"}

    def test_campaign_changes_apply_to_the_next_scan(self, client):
        configure(client, document())
        result = configure(
            client,
            document(campaign(form_url="https://brand.example/v2", statuses=["DONE"], coupon_after="DONE")),
        )
        assert result["changes"] == [
            "demo: signage campaign 'spring-form' updated (form_url, statuses, coupon_after)"
        ]
        response = client.get("/smart-engage/scan/demo/spring-form", follow_redirects=False)
        assert response.headers["location"].startswith("https://brand.example/v2?session_id=")

    def test_coupon_after_defaults_to_the_last_status(self, client):
        spec = campaign()
        del spec["coupon_after"]
        configure(client, document(spec))
        session_id = scan(client)
        client.post(
            "/smart-engage/post/update-session-status",
            json={"session_id": session_id, "new_status": "FORM_REVIEWING"},
            headers={"API-KEY": "signage-secret"},
        )
        assert engage(client, session_id).status_code == 400
        assert engage(client, approved_session(client)).status_code == 200


class TestValidation:
    def test_bad_section_is_refused_with_its_path(self, client, database_url, subtests):
        before = snapshot(database_url)
        for spec, path, message in [
            (campaign(statuses=["A", "B", "A"]), "campaigns[0].statuses", "duplicate status 'A'"),
            (campaign(statuses=[]), "campaigns[0].statuses", "at least 1 item"),
            (
                campaign(coupon_after="FORM_PAID"),
                "campaigns[0]",
                "coupon_after 'FORM_PAID' is not one of statuses",
            ),
            (campaign(form_url="brand.example/form"), "campaigns[0].form_url", "should match pattern"),
            (campaign(colour="red"), "campaigns[0].colour", "unknown key"),
            (
                campaign(coupons={"codes": ["A", "A"]}),
                "campaigns[0].coupons.codes",
                "duplicate coupon code 'A'",
            ),
            (
                campaign(coupons={"codes": ["has space"]}),
                "campaigns[0].coupons.codes[0]",
                "should match pattern",
            ),
            (
                campaign(coupons={"generate": {"prefix": "P" * 32, "length": 33}}),
                "campaigns[0].coupons.generate.length",
                "less than or equal to 32",
            ),
            (
                campaign(coupons={"generate": {"count": 0}}),
                "campaigns[0].coupons.generate.count",
                "greater than",
            ),
            (
                campaign(session_ttl_seconds=5),
                "campaigns[0].session_ttl_seconds",
                "greater than or equal to 60",
            ),
        ]:
            with subtests.test(path=path, message=message):
                response = put_config(client, document(spec))
                assert response.status_code == 400, response.text
                errors = response.json()["errors"]
                assert any(
                    e["path"] == f"apps[0].signage.{path}" and message in e["message"] for e in errors
                ), errors
        assert snapshot(database_url) == before

    def test_duplicate_campaigns_and_shared_codes_in_one_document(self, client):
        response = put_config(
            client,
            document(
                campaign("a", coupons={"codes": ["X"]}),
                campaign("a"),
                campaign("b", coupons={"codes": ["X"]}),
            ),
        )
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["path"] == "apps[0].signage.campaigns"
        assert "duplicate campaign id 'a'" in error["message"]
        assert "coupon code 'X' is listed by campaigns 'a' and 'b'" in error["message"]

    def test_a_code_of_another_campaign_is_refused_and_nothing_is_written(self, client, database_url):
        configure(client, document(campaign("a", coupons={"codes": ["X"]})))
        before = snapshot(database_url)
        response = put_config(
            client,
            document(campaign("a", coupons={"codes": ["W"]}), campaign("b", coupons={"codes": ["Y", "X"]})),
        )
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {
                "path": "apps[0].signage.campaigns[1].coupons.codes[1]",
                "message": "code 'X' already belongs to campaign 'a'",
            }
        ]
        assert snapshot(database_url) == before

    def test_the_same_code_in_two_apps_is_fine(self, client):
        doc = document(
            campaign(coupons={"codes": ["SAME"]}), other=[campaign("other-form", coupons={"codes": ["SAME"]})]
        )
        assert configure(client, doc)["changed"] is True
