"""A cadence fires at most once a day and on some date: "every minute" would open a wave
(or post a digest) each minute, and the 31st of February never opens one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.cadence import CadenceFault, cadence_fault, survey_trigger


@pytest.mark.parametrize(
    ("cadence", "fault"),
    [
        ("0 10 * * 2", None),
        ("0 9 * * *", None),
        ("30 2 * * *", None),  # lost on a spring-forward day, never doubled
        ("0 9 29 2 *", None),  # every fourth year
        ("0 9 13 * fri", None),  # day and weekday together: Friday the 13th
        (None, None),  # the default: twice a year
        ("* * * * *", CadenceFault.TOO_OFTEN),
        ("*/30 9 * * 1", CadenceFault.TOO_OFTEN),
        ("0 9,17 * * *", CadenceFault.TOO_OFTEN),
        ("0 * 1 1 *", CadenceFault.TOO_OFTEN),
        ("* * 29 2 *", CadenceFault.TOO_OFTEN),  # only in leap years, but then each minute
        ("0 9 31 2 *", CadenceFault.NEVER),
        ("0 9 30 2 *", CadenceFault.NEVER),
        ("0 9 31 4,6,9,11 *", CadenceFault.NEVER),
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "Asia/Tokyo", "America/Sao_Paulo"])
def test_a_cadence_is_refused_for_what_it_would_do(
    cadence: str | None, fault: CadenceFault | None, zone: str
) -> None:
    assert cadence_fault(survey_trigger(cadence, zone)) is fault


_MINUTES = st.lists(st.integers(0, 59), min_size=1, max_size=3, unique=True)
_HOURS = st.lists(st.integers(0, 23), min_size=1, max_size=3, unique=True)


@given(
    minutes=_MINUTES,
    hours=_HOURS,
    day=st.integers(1, 31),
    month=st.integers(1, 12),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "Pacific/Auckland"]),
)
def test_a_line_is_too_frequent_exactly_when_it_names_several_times_of_day(
    minutes: list[int], hours: list[int], day: int, month: int, zone: str
) -> None:
    line = f"{','.join(map(str, minutes))} {','.join(map(str, hours))} {day} {month} *"
    trigger = survey_trigger(line, zone)
    fires = trigger.get_next_fire_time(None, datetime(2026, 1, 1, tzinfo=UTC)) is not None
    fault = cadence_fault(trigger)

    if not fires:
        assert fault is CadenceFault.NEVER
    elif len(minutes) * len(hours) > 1:
        assert fault is CadenceFault.TOO_OFTEN
    else:
        assert fault is None
