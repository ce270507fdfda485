"""Logs never carry SQL parameters or secrets, not even when the database refuses a write."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import IntegrityError

from clicktrail.core.tenancy.apps import Credential, digest
from clicktrail.core.web.http import as_clicktrail_error

from ..helpers import ADMIN
from .test_tenancy import auth  # noqa: F401 - the fixture

SECRET = "alpha-secret"
LEAKS = (SECRET, digest(SECRET), "alpha-client", "Key (", "parameters: [", "[parameters")


def assert_clean(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, f"the log holds {leak!r}:\n{text}"


def test_a_database_error_is_logged_without_its_values(client, auth, caplog):  # noqa: F811
    # The same secret and client_id as alpha's credential: both are unique.
    copy = Credential(
        app_id="beta", name="copy", client_id="alpha-client", secret_hash=digest(SECRET), scopes=[]
    )
    sessions = client.app.state.runtime.sessions
    with pytest.raises(IntegrityError) as info, sessions() as session, session.begin():
        session.add(copy)
    assert "hidden" in str(info.value)  # hide_parameters on the engine
    with caplog.at_level(logging.DEBUG):
        assert as_clicktrail_error(info.value).code == "internal"  # what every route does with it
    [record] = [r for r in caplog.records if r.getMessage().startswith("unhandled error")]
    assert "IntegrityError" in record.getMessage() and "INSERT INTO credentials" in record.getMessage()
    assert_clean(caplog.text)


def test_a_client_id_clash_through_the_admin_api_logs_nothing_secret(client, auth, caplog):  # noqa: F811
    body = {"name": "copy", "client_id": "alpha-client", "secret": "copy-secret-1", "scopes": ["surveys"]}
    with caplog.at_level(logging.DEBUG):
        response = client.post("/admin/v1/apps/beta/credentials", json=body, headers=ADMIN)
    assert response.status_code == 409
    assert "copy-secret-1" not in caplog.text and digest("copy-secret-1") not in caplog.text
    assert_clean(caplog.text.replace("alpha-client", ""))  # the clash names the client_id, nothing else
