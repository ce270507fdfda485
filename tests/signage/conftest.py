"""Signage fixtures: the real app, configured through the admin API with real credentials."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings

from ..helpers import configure
from .support import document

UK_ADDRESS = "81.2.69.142"  # a public address the embedded geo-IP database places in GB


@pytest.fixture
def shop(client: TestClient) -> TestClient:
    """The client, with apps ``demo`` and ``other`` and their signage campaigns applied."""
    configure(client, document())
    return client


@pytest.fixture
def uk_shopper(settings: Settings) -> Iterator[TestClient]:
    """The same app seen from a public address in the United Kingdom."""
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False, client=(UK_ADDRESS, 51515)) as test_client:
        configure(test_client, document())
        yield test_client
