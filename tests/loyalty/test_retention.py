"""Retention (``privacy.personal_data_days``) for loyalty: rows older than the cutoff are purged, newer
rows and apps without a retention keep everything; a second purge changes nothing."""

from __future__ import annotations

from ..helpers import configure
from ..retention_support import OLD, run_purge, sql, with_retention
from .conftest import DOC as LOYALTY_DOC
from .conftest import start_anonymous


class TestLoyalty:
    def test_old_external_identifiers_are_nulled(self, client, database_url):
        configure(client, with_retention(LOYALTY_DOC))
        old = start_anonymous(client, externalIdentifier="receipt-1")["correlationId"]
        start_anonymous(client, externalIdentifier="receipt-2")
        sql(
            database_url,
            "UPDATE loyalty_sessions SET created_at = :t WHERE correlation_id = :c",
            t=OLD,
            c=old,
        )
        report = run_purge(database_url)
        assert report["shop"]["anonymized"]["loyalty"] == {"loyalty_sessions": 1}
        assert report["shop"]["removed"]["loyalty"] == {}
        assert sql(database_url, "SELECT external_identifier FROM loyalty_sessions ORDER BY id") == [
            (None,),
            ("receipt-2",),
        ]
