"""When invitations and reminders go out: pure functions of dates, zones and ``now``.

People are written to on working days (Monday to Friday) at 10:00 in their own time
zone, so nobody is woken at night and nobody finds a survey waiting on a Saturday.
Local wall-clock times are turned into aware UTC datetimes through ``zoneinfo``, so a
daylight-saving change moves the instant, never the local hour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DELIVERY_TIME = time(10, 0)
"""The local time of day at which invitations and reminders are delivered."""

END_OF_DAY = time(17, 0)
"""After this local time an invitation waits for the next working morning."""

LAST_WORKING_WEEKDAY = 4  # Friday: date.weekday() counts Monday as 0


def is_working_day(day: date) -> bool:
    return day.weekday() <= LAST_WORKING_WEEKDAY


def local_morning(day: date, zone: ZoneInfo, *, at: time = DELIVERY_TIME) -> datetime:
    """``at`` on ``day`` in ``zone``, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_working_morning(now: datetime, zone: ZoneInfo, *, at: time = DELIVERY_TIME) -> datetime:
    """The first working-day ``at`` (local to ``zone``) that is not before ``now``, in UTC.

    ``now`` must be aware. Before 10:00 on a working day that is today; after it, the
    next working day; on a weekend, Monday.
    """
    day = now.astimezone(zone).date()
    while True:
        if is_working_day(day):
            candidate = local_morning(day, zone, at=at)
            if candidate >= now:
                return candidate
        day += timedelta(days=1)


def delivery_time(now: datetime, zone: ZoneInfo) -> datetime:
    """When an invitation created at ``now`` reaches a person living in ``zone`` (UTC).

    ``now`` itself during working hours (10:00 to 17:00 on a working day, local), so
    a wave started in the afternoon reaches its own time zone at once; otherwise the
    next working morning at 10:00. Never at night, never on a weekend.
    """
    local = now.astimezone(zone)
    if is_working_day(local.date()) and DELIVERY_TIME <= local.time() < END_OF_DAY:
        return now.astimezone(UTC)
    return next_working_morning(now, zone)


def reminder_days(*, first: date, closing: date, count: int) -> tuple[date, ...]:
    """Up to ``count`` working days strictly between ``first`` and ``closing``, spread evenly.

    Nobody is reminded on the day they were first asked nor on the closing day. With
    fewer candidate days than ``count``, every candidate is used.
    """
    if count <= 0:
        return ()
    candidates = [
        first + timedelta(days=offset)
        for offset in range(1, (closing - first).days)
        if is_working_day(first + timedelta(days=offset))
    ]
    if len(candidates) <= count:
        return tuple(candidates)
    step = len(candidates) / (count + 1)
    return tuple(candidates[int(step * index)] for index in range(1, count + 1))


def reminder_times(
    *, delivered: datetime, closes_at: datetime, zone: ZoneInfo, count: int
) -> tuple[datetime, ...]:
    """The instants (UTC) at which someone first asked at ``delivered`` is reminded."""
    days = reminder_days(
        first=delivered.astimezone(zone).date(),
        closing=closes_at.astimezone(zone).date(),
        count=count,
    )
    return tuple(local_morning(day, zone) for day in days)


def zone_or(name: str | None, fallback: str) -> ZoneInfo:
    """The zone called ``name``; ``fallback`` when it is missing or unknown."""
    for candidate in (name, fallback):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (KeyError, ValueError):
                continue
    return ZoneInfo("UTC")
