"""When invitations and reminders go out: working days, 10:00 local, across zones and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.timing import (
    DELIVERY_TIME,
    END_OF_DAY,
    delivery_time,
    is_working_day,
    next_working_morning,
    reminder_days,
    zone_or,
)

ZONES = [
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "America/St_Johns",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Pacific/Chatham",
]
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
)
zones = st.sampled_from(ZONES).map(ZoneInfo)

NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


@given(now=instants, zone=zones)
def test_next_working_morning_is_the_first_working_ten_oclock_not_before_now(
    now: datetime, zone: ZoneInfo
) -> None:
    found = next_working_morning(now, zone)
    local = found.astimezone(zone)

    assert found >= now
    assert local.time() == DELIVERY_TIME
    assert is_working_day(local.date())
    # No working morning lies between now and the answer.
    day = now.astimezone(zone).date()
    while day < local.date():
        earlier = datetime.combine(day, DELIVERY_TIME, tzinfo=zone)
        assert not (is_working_day(day) and earlier >= now)
        day += timedelta(days=1)
    assert found - now < timedelta(days=4)


@given(now=instants, zone=zones)
def test_delivery_never_happens_at_night_or_on_a_weekend(now: datetime, zone: ZoneInfo) -> None:
    found = delivery_time(now, zone)
    local = found.astimezone(zone)

    assert found >= now
    assert is_working_day(local.date())
    assert DELIVERY_TIME <= local.time() < END_OF_DAY
    if found != now:
        assert local.time() == DELIVERY_TIME


@pytest.mark.parametrize(
    ("now", "zone", "expected_local"),
    [
        # Tuesday 09:30 in New York: today at 10:00.
        (datetime(2026, 3, 10, 13, 30, tzinfo=UTC), NY, datetime(2026, 3, 10, 10, 0)),
        # Tuesday 14:00 in New York: now.
        (datetime(2026, 3, 10, 18, 0, tzinfo=UTC), NY, datetime(2026, 3, 10, 14, 0)),
        # Friday 18:00 in Tokyo: Monday 10:00.
        (datetime(2026, 3, 13, 9, 0, tzinfo=UTC), TOKYO, datetime(2026, 3, 16, 10, 0)),
        # Saturday in New York, the weekend DST starts (8 March 2026): Monday 10:00 EDT.
        (datetime(2026, 3, 7, 15, 0, tzinfo=UTC), NY, datetime(2026, 3, 9, 10, 0)),
        # Friday night before the autumn change (1 November 2026): Monday 10:00 EST.
        (datetime(2026, 10, 31, 2, 0, tzinfo=UTC), NY, datetime(2026, 11, 2, 10, 0)),
    ],
)
def test_delivery_time_table(now: datetime, zone: ZoneInfo, expected_local: datetime) -> None:
    assert delivery_time(now, zone) == expected_local.replace(tzinfo=zone).astimezone(UTC)


def test_the_same_local_hour_is_a_different_instant_across_a_dst_change() -> None:
    before = next_working_morning(datetime(2026, 3, 5, 16, 0, tzinfo=UTC), NY)
    after = next_working_morning(datetime(2026, 3, 9, 16, 0, tzinfo=UTC), NY)

    assert before.astimezone(NY).time() == after.astimezone(NY).time() == time(10, 0)
    assert (before.hour, after.hour) == (15, 14)


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(first=days, length=st.integers(min_value=0, max_value=60), count=st.integers(0, 5))
def test_reminders_fall_on_working_days_strictly_inside_the_window(
    first: date, length: int, count: int
) -> None:
    closing = first + timedelta(days=length)
    found = reminder_days(first=first, closing=closing, count=count)

    assert len(found) <= count
    assert list(found) == sorted(set(found))
    assert all(first < day < closing and is_working_day(day) for day in found)
    candidates = [
        first + timedelta(days=n)
        for n in range(1, length)
        if is_working_day(first + timedelta(days=n))
    ]
    assert len(found) == min(count, len(candidates))


@pytest.mark.parametrize(
    ("first", "closing", "count", "expected"),
    [
        # A two-week wave opened on Tuesday 10 March 2026: 9 working days between.
        (date(2026, 3, 10), date(2026, 3, 24), 2, (date(2026, 3, 16), date(2026, 3, 19))),
        (date(2026, 3, 10), date(2026, 3, 24), 0, ()),
        # Opened Friday, closing Monday: only the weekend lies between.
        (date(2026, 3, 13), date(2026, 3, 16), 2, ()),
        # Never on the closing day itself.
        (date(2026, 3, 10), date(2026, 3, 12), 2, (date(2026, 3, 11),)),
    ],
)
def test_reminder_days_table(
    first: date, closing: date, count: int, expected: tuple[date, ...]
) -> None:
    assert reminder_days(first=first, closing=closing, count=count) == expected


def test_unknown_or_missing_zones_fall_back_to_the_survey_zone() -> None:
    assert zone_or(None, "Asia/Tokyo").key == "Asia/Tokyo"
    assert zone_or("Not/AZone", "Europe/Berlin").key == "Europe/Berlin"
    assert zone_or("America/New_York", "Asia/Tokyo").key == "America/New_York"
