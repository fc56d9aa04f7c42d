"""A survey's cadence as an APScheduler trigger, and the opening a run answers.

The cadence is a crontab expression (``minute hour day month weekday``) read in the
survey's time zone; without one, a survey opens at 10:00 on the second Tuesday of
April and October. Pure: the current time is always passed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

TICK = timedelta(microseconds=1)


def survey_trigger(cadence: str | None, timezone: str) -> CronTrigger:
    """The trigger for ``cadence`` in ``timezone``; raise ``ValueError`` if it is invalid."""
    zone = ZoneInfo(timezone)
    if cadence:
        return CronTrigger.from_crontab(cadence, timezone=zone)
    return CronTrigger(month="4,10", day="8-14", day_of_week="tue", hour=10, timezone=zone)


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
