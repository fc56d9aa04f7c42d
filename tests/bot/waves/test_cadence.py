"""Crontab weekdays mean what crontab says: Sunday is 0 (and 7), Monday is 1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.cadence import crontab_weekdays, survey_trigger

# Sunday 1 March 2026: day d of that week is 1 March + d days.
SUNDAY = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("*", "*"),
        ("mon-fri", "mon-fri"),
        ("1", "mon"),
        ("0", "sun"),
        ("7", "sun"),
        ("1-5", "mon,tue,wed,thu,fri"),
        ("5-7", "sun,fri,sat"),
        ("*/2", "sun,tue,thu,sat"),
        ("1-5/2", "mon,wed,fri"),
        ("0,6", "sun,sat"),
    ],
)
def test_numeric_weekdays_become_names(field: str, expected: str) -> None:
    assert crontab_weekdays(field) == expected


@pytest.mark.parametrize("field", ["8", "5-2", "1-9"])
def test_impossible_weekdays_are_refused(field: str) -> None:
    with pytest.raises(ValueError):
        crontab_weekdays(field)


@given(day=st.integers(min_value=0, max_value=7))
def test_a_crontab_weekday_fires_on_that_day(day: int) -> None:
    trigger = survey_trigger(f"0 9 * * {day}", "UTC")
    fire = trigger.get_next_fire_time(None, SUNDAY)
    assert fire == SUNDAY + timedelta(days=day % 7, hours=9)
