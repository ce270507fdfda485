"""The README's commands for idempotent retries, QR codes and redirect rules, pasted twice against the demo
as a reader would (the family pages' walk-throughs have tests of their own)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .admin.test_qr import decoded
from .walkthrough import apply_demo, output, walk_through

RETRIES = 'KEY="retry-'
RULES = "B=http://127.0.0.1:8000"
QR_CODES = "ADMIN='Authorization: Bearer demo-admin-token'"


def session_ids(text: str) -> list[str]:
    return re.findall(r'"session_id":"([0-9a-f-]{36})"', text)


def test_the_readme_retries_replay_and_refuse_another_body(database_url, start_server, tmp_path: Path):
    base = start_server(database_url)
    apply_demo(base)
    for _ in range(2):
        done = walk_through("README.md", base, starting=(RETRIES,), cwd=tmp_path)
        answers = re.split(r"(?=HTTP/1.1 )", output(done, RETRIES))[1:]
        assert [a.split()[1] for a in answers] == ["200", "200", "422"], answers
        assert "idempotent-replayed: true" in answers[1].lower()
        assert session_ids(answers[0]) == session_ids(answers[1]) and len(session_ids(answers[0])) == 1
        assert "this Idempotency-Key was used with another request" in answers[2]


def test_the_readme_qr_codes_hold_their_public_urls(database_url, start_server, tmp_path: Path):
    base = start_server(database_url, env={"CLICKTRAIL_PUBLIC_URL": "https://track.example/"})
    apply_demo(base)
    for _ in range(2):
        walk_through("README.md", base, starting=(QR_CODES,), cwd=tmp_path)
        assert (tmp_path / "spring-form.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
        assert decoded((tmp_path / "link.png").read_bytes())


def test_the_readme_rules_send_each_visitor_by_the_first_matching_rule(database_url, start_server, tmp_path):
    base = start_server(database_url)
    apply_demo(base)
    for paste in (1, 2):
        done = walk_through("README.md", base, starting=(RULES,), cwd=tmp_path)
        lines = output(done, RULES).splitlines()
        assert lines[0].startswith("302 https://brand.example/quiz?lang=de&session_id=")
        assert lines[1] == "302 https://apps.apple.com/app/id000000000"
        assert lines[2] == "302 https://my.stage.org/register?referral=1&utm_source=flyer"
        rows = {row["key"]: row["clicks"] for row in json.loads(lines[3])["rows"]}
        assert rows == {"app-ios": paste, None: paste}
