from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clicktrail.app import create_app
from clicktrail.core.config.settings import Settings


@pytest.fixture
def impatient_client(settings: Settings) -> Iterator[TestClient]:
    """The app with one attempt per message and a fast poll: a failing webhook is dead at once."""
    quick = settings.model_copy(update={"outbox_max_attempts": 1, "outbox_poll_seconds": 0.05})
    with TestClient(create_app(quick), raise_server_exceptions=False) as client:
        yield client
