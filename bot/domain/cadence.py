"""A survey's cadence as an APScheduler trigger, and the opening a run answers.

The cadence is a crontab expression (``minute hour day month weekday``) read in the
survey's time zone; without one, a survey opens at 10:00 on the second Tuesday of
April and October. Pure: the current time is always passed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.domain.inputs import holds_control

TICK = timedelta(microseconds=1)


# APScheduler 3 numbers weekdays from Monday = 0, crontab from Sunday = 0 (7 too), and
# ``CronTrigger.from_crontab`` passes the numbers through unchanged: "1" would mean
# Tuesday. Numeric weekdays are therefore spelled out as names, which both agree on.
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def crontab_weekdays(field: str) -> str:
    """A crontab weekday field with its numbers (0-7, Sunday = 0 and 7) as day names.

    ``*`` and fields already written with names are returned unchanged; numbers, ranges,
    lists and steps become the list of days they select (``1-5`` -> ``mon,tue,wed,thu,fri``).
    Raise ``ValueError`` for a number outside 0-7 or an empty selection.
    """
    if field == "*" or any(char.isalpha() for char in field):
        return field
    days: set[int] = set()
    for item in field.split(","):
        span, _, step = item.partition("/")
        if span == "*":
            first, last = 0, 6
        else:
            low, _, high = span.partition("-")
            first, last = int(low), int(high or low)
        if not 0 <= first <= last <= 7:
            raise ValueError(f"invalid weekday {item!r}")
        days.update(day % 7 for day in range(first, last + 1, int(step or 1)))
    return ",".join(_WEEKDAYS[day] for day in sorted(days))


def survey_trigger(cadence: str | None, timezone: str) -> CronTrigger:
    """The trigger for ``cadence`` in ``timezone``; raise ``ValueError`` if it is invalid."""
    zone = ZoneInfo(timezone)
    if cadence:
        fields = cadence.split()
        if holds_control("".join(fields)):
            # The scheduler reads past a trailing NUL; the line kept would not be the
            # one it read (and PostgreSQL refuses a NUL).
            raise ValueError(f"{cadence!r} holds a control character")
        if len(fields) == 5:
            fields[4] = crontab_weekdays(fields[4])
        return CronTrigger.from_crontab(" ".join(fields), timezone=zone)
    return CronTrigger(month="4,10", day="8-14", day_of_week="tue", hour=10, timezone=zone)


class CadenceFault(Enum):
    """Why a valid crontab line cannot be a survey's or a digest's cadence."""

    NEVER = "never"
    """No date matches it (the 31st of February)."""
    TOO_OFTEN = "too_often"
    """It fires twice or more on a day ("every minute"): a wave or a digest each time."""


_CALENDAR_START = datetime(2001, 1, 1)


def cadence_fault(trigger: CronTrigger) -> CadenceFault | None:
    """Why ``trigger`` cannot be a cadence, or None when it fires at most once a day.

    A crontab line names no year and the calendar repeats every 400 years, so its first
    fire after any date tells whether one ever comes (APScheduler looks up to 9999).
    A line fires at the same times of day on every day it matches, so its first two
    fires tell whether a day holds two.
    """
    first = trigger.get_next_fire_time(None, _CALENDAR_START.replace(tzinfo=trigger.timezone))
    if first is None:
        return CadenceFault.NEVER
    second = trigger.get_next_fire_time(first, first + TICK)
    if second is not None and second.date() == first.date():
        return CadenceFault.TOO_OFTEN
    return None


class StoredFault(Enum):
    """Why a stored cadence runs nothing: those of :class:`CadenceFault`, and two a
    cadence given today cannot have (its parse refuses them at once)."""

    UNREADABLE = "unreadable"
    """No crontab line."""
    ZONE = "zone"
    """Read in a time zone that is unknown."""
    NEVER = CadenceFault.NEVER.value
    TOO_OFTEN = CadenceFault.TOO_OFTEN.value


class UnusableCadence(ValueError):
    """A stored cadence that no wave or digest runs on: ``fault`` says why, ``str()`` in
    words for the log."""

    def __init__(self, message: str, *, fault: StoredFault) -> None:
        super().__init__(message)
        self.fault = fault


def runnable_trigger(cadence: str | None, timezone: str, *, noun: str = "cadence") -> CronTrigger:
    """The trigger of a stored ``cadence`` in ``timezone``, held to the rule a cadence
    given today is held to; raise :class:`UnusableCadence` when it cannot be read, or
    matches no date, or fires more than once a day (``noun`` names it in the reason).

    For what the scheduler reads back: a survey stored before that rule, or changed in
    the database by hand, keeps its cadence, and an every-minute line would open a wave
    each minute.
    """
    try:
        ZoneInfo(timezone)
    except (ValueError, KeyError) as error:
        raise UnusableCadence(
            f"the time zone {timezone!r} is unknown", fault=StoredFault.ZONE
        ) from error
    try:
        trigger = survey_trigger(cadence, timezone)
    except ValueError as error:
        raise UnusableCadence(
            f"the {noun} {cadence!r} is not a crontab line: {error}", fault=StoredFault.UNREADABLE
        ) from error
    fault = cadence_fault(trigger) if cadence else None
    if fault is CadenceFault.NEVER:
        raise UnusableCadence(
            f"the {noun} {cadence!r} never fires: it matches no date", fault=StoredFault.NEVER
        )
    if fault is CadenceFault.TOO_OFTEN:
        raise UnusableCadence(
            f"the {noun} {cadence!r} fires more than once a day", fault=StoredFault.TOO_OFTEN
        )
    return trigger


def latest_opening(trigger: CronTrigger, *, now: datetime, lookback: timedelta) -> datetime | None:
    """The newest fire time of ``trigger`` in ``(now - lookback, now]``, or None.

    Every replica computes the same answer for the same ``now`` window, which is what
    lets the wave's unique ``(survey, scheduled_for)`` key merge their openings.
    """
    found: datetime | None = None
    fire = trigger.get_next_fire_time(None, now - lookback + TICK)
    while fire is not None and fire <= now:
        found = fire
        fire = trigger.get_next_fire_time(fire, fire + TICK)
    return found
