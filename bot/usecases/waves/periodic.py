"""Digests on their own cadence: the answers since the previous digest, posted once.

A survey's ``digest_cadence`` is a crontab line read in its time zone. Each fire time
closes a period that began at the fire before it; the period covers the answers of
the whole days (UTC, as answers are dated) from the earlier fire's day up to, not
including, the later one's. The digest is posted only when that period holds at
least ``k`` answers, with the trend chart of the survey up to the period's end, and
exactly once per survey, period and channel: the ``digest`` row is inserted before
posting, like the closing digest's.

Whoever runs :func:`post_periodic_digest` (the scheduled job, a catch-up after
downtime, several replicas at once) posts the digest of the latest fire time at most
once; older periods missed during a long downtime are not posted.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.domain.cadence import TICK, UnusableCadence, latest_opening, runnable_trigger
from bot.ports.reach import Reach
from bot.report.model import ReportRequest
from bot.usecases.action_views import overdue_section
from bot.usecases.context import WaveDeps
from storage import actions, digests
from storage.answer_scope import DayRange
from storage.models import Survey

FIRST_LOOKBACK = timedelta(hours=1)
LONGEST_LOOKBACK = timedelta(days=800)
PERIOD_PREFIX = "c"


@dataclass(frozen=True)
class DigestWindow:
    """The period a digest covers: from the previous fire (None: the beginning) to
    ``end``, the fire time that closes it."""

    start: datetime | None
    end: datetime

    @property
    def key(self) -> str:
        """The ``digest.period`` of this window (never a wave's 32-hex key)."""
        return PERIOD_PREFIX + self.end.astimezone(UTC).strftime("%Y%m%dT%H%MZ")

    @property
    def days(self) -> DayRange:
        since = None if self.start is None else _utc_day(self.start)
        return DayRange(since=since, until=_utc_day(self.end))


def latest_fire(trigger: CronTrigger, *, now: datetime) -> datetime | None:
    """The newest fire time of ``trigger`` at or before ``now`` (within 800 days).

    The window searched doubles from an hour, so a minutely cadence and a yearly one
    both take a few dozen steps.
    """
    lookback = FIRST_LOOKBACK
    while lookback <= LONGEST_LOOKBACK:
        found = latest_opening(trigger, now=now, lookback=lookback)
        if found is not None:
            return found
        lookback *= 2
    return None


def digest_window(trigger: CronTrigger, *, now: datetime) -> DigestWindow | None:
    """The period closed by the newest fire time at or before ``now``, if any."""
    end = latest_fire(trigger, now=now)
    if end is None:
        return None
    return DigestWindow(start=latest_fire(trigger, now=end - TICK), end=end)


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


async def post_periodic_digest(deps: WaveDeps, reach: Reach, *, survey_id: uuid.UUID) -> bool:
    """Post the digest of the period closed by the survey's latest digest time, unless
    it was posted already or has fewer than ``k`` answers; True if posted."""
    now = deps.clock()
    async with deps.database.transaction() as session:
        survey = await session.get(Survey, survey_id)
        if survey is None or not survey.digest_cadence or not survey.digest_channel:
            return False
        try:
            trigger = runnable_trigger(
                survey.digest_cadence, survey.timezone, noun="digest cadence"
            )
        except UnusableCadence:
            return False  # the scheduler's sync says why, once
        window = digest_window(trigger, now=now)
        if window is None:
            return False
        channel = survey.digest_channel
        if await digests.digest_posted(
            session, survey_id=survey.id, period=window.key, channel=channel
        ):
            return False
        days = window.days
        # The report's counting loads with the first digest due, not with the bot's start.
        from storage import aggregates

        if await aggregates.answers_between(session, survey_id=survey.id, days=days) < survey.k_min:
            return False
        request = ReportRequest(survey=survey.name)
        report = await deps.reports.survey_report(
            session, survey=survey, request=request, today=now.date(), days=days
        )
        if report.figures is None:
            return False
        history = await deps.reports.survey_report(
            session,
            survey=survey,
            request=request,
            today=now.date(),
            days=DayRange(until=days.until),
        )
        if not await digests.record_digest(
            session, survey_id=survey.id, period=window.key, channel=channel, now=now
        ):
            return False
        overdue = await actions.overdue_actions(session, survey_id=survey.id, today=now.date())
    from bot.report.render import render_report

    t = deps.catalogs.translator(survey.locale)
    view = render_report(report, t, charts=len(history.trend) < 2)
    if overdue:
        view = dataclasses.replace(
            view, sections=(*view.sections, overdue_section(t, overdue, today=now.date()))
        )
    image: bytes | None
    if len(history.trend) >= 2:
        # The trend needs the periods before this one; the figures are this period's.
        image = render_report(history, t).charts[0]
    else:
        image = view.charts[0] if view.charts else None
    last_day = (days.until or now.date()) - timedelta(days=1)
    since = t.date(days.since) if days.since is not None else "…"
    title = t("digest.period_title", survey=survey.name, since=since, until=t.date(last_day))
    await reach.platform.post_to_channel(
        channel, dataclasses.replace(view, title=title, charts=()), image=image
    )
    return True
