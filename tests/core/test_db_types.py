"""``UTCDateTime`` binds on SQLite in one step: the same text as its two steps (``process_bind_param``,
then SQLite's DATETIME storage format), for any aware datetime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite

from clicktrail.core.storage.db import UTCDateTime

DIALECT = sqlite.dialect()
TWO_STEPS = DateTime(timezone=True).dialect_impl(DIALECT).bind_processor(DIALECT)
ONE_STEP = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
ZONES = st.integers(min_value=-23 * 60, max_value=23 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=ZONES))
def test_one_step_binds_what_two_steps_bind(value):
    assert ONE_STEP(value) == TWO_STEPS(UTCDateTime().process_bind_param(value, DIALECT))


def test_none_and_naive():
    assert ONE_STEP(None) is None
    with pytest.raises(ValueError, match="naive"):
        ONE_STEP(datetime(2026, 1, 1))
    assert ONE_STEP(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01 00:00:00.000000"
