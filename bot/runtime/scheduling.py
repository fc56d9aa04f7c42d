"""APScheduler wiring: survey waves open on their cadence; a frequent tick does the rest.

Jobs are derived from the database (never from a shared job store): one cron job per
active survey, ``open:<survey id>``, one per survey with a digest cadence,
``digest:<survey id>``, a daily ``alerts`` job for detractor-reason alerts, a
``replies`` job every six hours (with jitter) for the notice that replies exist, and one
``tick`` that closes asks left answered (see :mod:`bot.usecases.settling`), delivers
due invitations, sends due reminders and closes waves past their window.
:meth:`WaveScheduler.sync` re-derives the jobs (stable ids, ``replace_existing=True``);
the tick calls it, so a survey changed from the command line is picked up within one
tick.

A run missed while the process was down is caught up once: the cron jobs have a
grace time as long as the survey's window and coalesce, and every sync opens the
latest opening inside that window if its wave does not exist yet (and posts the
latest periodic digest if it is missing). Every effect is
guarded by the database, so replicas firing the same jobs produce one effect.

A platform that cannot be reached (:class:`~bot.ports.platform.PlatformUnreachable`) is not
an error of the job: it is logged once per tenant and outage, and once when the platform
answers again (:mod:`bot.runtime.outages`), never with a traceback every tick.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.actions import DEFAULT_LEAD_DAYS
from bot.domain.cadence import UnusableCadence, latest_opening, runnable_trigger
from bot.domain.surveys import SurveyState
from bot.ports.platform import PlatformUnreachable
from bot.ports.reach import Reach
from bot.runtime.lifecycle import wait_until
from bot.runtime.outages import Outages
from bot.usecases.context import WaveDeps
from bot.usecases.keys import PersonKeys
from bot.usecases.reply_notices import announce_replies
from bot.usecases.settling import settle_claims
from bot.usecases.tenants import reach_tenant
from bot.usecases.waves.action_reminders import remind_owners
from bot.usecases.waves.alerts import alert_due_reasons
from bot.usecases.waves.closing import close_due
from bot.usecases.waves.delivery import DeliveryReport, deliver_due
from bot.usecases.waves.opening import open_wave
from bot.usecases.waves.periodic import post_periodic_digest
from bot.usecases.waves.reminders import send_reminders
from storage import surveys as survey_store
from storage import waves as store
from storage.models import Survey

log = logging.getLogger(__name__)

TICK_SECONDS = 60
OPEN_PREFIX = "open:"
DIGEST_PREFIX = "digest:"
ALERTS_JOB = "alerts"
REPLIES_JOB = "replies"
REPLIES_EVERY = timedelta(hours=6)
REPLIES_JITTER = timedelta(minutes=30)
"""The notice that replies exist runs every six hours, each run up to half an hour
late at random, so its timing follows neither a reply nor an answer-back."""
ACTION_REMINDERS_JOB = "action_reminders"


class WaveScheduler:
    """Runs the waves of the tenants in ``reaches`` on one ``AsyncIOScheduler``.

    Construct in the bot process once its platforms are connected; ``start()`` on
    the running loop, ``shutdown()`` when the process stops.
    """

    def __init__(
        self,
        deps: WaveDeps,
        reaches: Sequence[Reach],
        *,
        tick_seconds: int = TICK_SECONDS,
        scheduler: AsyncIOScheduler | None = None,
        on_delivery: Callable[[DeliveryReport], None] | None = None,
        action_lead_days: int = DEFAULT_LEAD_DAYS,
    ) -> None:
        self._deps = deps
        self._action_lead_days = action_lead_days
        self._on_delivery = on_delivery
        self._reaches = {reach.tenant: reach for reach in reaches}
        self._tick_seconds = tick_seconds
        # (survey, which cadence, its value, time zone) already warned of as refused.
        self._refused_cadences: set[tuple[uuid.UUID, str, str | None, str]] = set()
        self.scheduler = scheduler or AsyncIOScheduler(timezone="UTC")
        self._running_jobs = 0
        self._shut_down = False
        self._no_jobs_running = asyncio.Event()
        self._no_jobs_running.set()
        self.outages = Outages(deps.clock)
        """Which tenants' platforms are unreachable now (each outage logged once)."""

    def add_daily(self, job: Callable[[], Awaitable[object]], *, job_id: str) -> None:
        """Run ``job`` once a day at 03:00 UTC (caught up once after downtime)."""
        self.scheduler.add_job(
            self._counted(job),
            CronTrigger(hour=3, timezone="UTC"),
            id=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(timedelta(days=1).total_seconds()),
        )

    async def add_reach(self, reach: Reach) -> None:
        """A platform connected for a tenant: run its surveys from now on."""
        self._reaches[reach.tenant] = reach
        if self.scheduler.running:
            await self.sync()

    async def remove_reach(self, tenant: str) -> None:
        """A tenant can no longer be reached: its surveys' jobs stop."""
        if self._reaches.pop(tenant, None) is not None and self.scheduler.running:
            await self.sync()

    async def start(self) -> None:
        await self.sync()
        self.scheduler.add_job(
            self._counted(self.tick),
            IntervalTrigger(seconds=self._tick_seconds),
            id="tick",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=self._tick_seconds,
        )
        self.add_daily(self.alert_reasons, job_id=ALERTS_JOB)
        self.scheduler.add_job(
            self._counted(self.announce_replies),
            IntervalTrigger(
                seconds=int(REPLIES_EVERY.total_seconds()),
                jitter=int(REPLIES_JITTER.total_seconds()),
            ),
            id=REPLIES_JOB,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(REPLIES_EVERY.total_seconds()),
        )
        self.add_daily(self.remind_action_owners, job_id=ACTION_REMINDERS_JOB)
        self.scheduler.start()

    def shutdown(self) -> None:
        """Stop at once (idempotent: APScheduler completes a shutdown on the next loop turn,
        and refuses a second one)."""
        if self.scheduler.running and not self._shut_down:
            self._shut_down = True
            self.scheduler.shutdown(wait=False)

    async def stop(self, *, deadline: float) -> None:
        """Start no more jobs, let the running ones finish until the loop time
        ``deadline``, then shut down (``shutdown(wait=True)`` semantics: the asyncio
        executor would cancel running jobs, so they are waited for first)."""
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        if not await wait_until(self._no_jobs_running, deadline=deadline):
            log.warning("stopping: %d scheduled jobs did not finish in time", self._running_jobs)
        self.shutdown()

    def _counted(self, job: Callable[..., Awaitable[object]]) -> Callable[..., Awaitable[None]]:
        """``job``, counted while it runs so that :meth:`stop` can wait for it."""

        @functools.wraps(job)
        async def counted(*args: Any, **kwargs: Any) -> None:
            self._running_jobs += 1
            self._no_jobs_running.clear()
            try:
                await job(*args, **kwargs)
            finally:
                self._running_jobs -= 1
                if self._running_jobs == 0:
                    self._no_jobs_running.set()

        return counted

    async def sync(self) -> None:
        """Derive the open jobs from the surveys, and open any wave missed meanwhile."""
        wanted: set[str] = set()
        for reach in self._reaches.values():
            async with self._deps.database.transaction() as session:
                tenant = await reach_tenant(session, self._deps, reach)
                surveys = await survey_store.active_surveys(session, tenant_id=tenant.id)
            for survey in surveys:
                opening = self._trigger(survey, survey.cadence, digest=False)
                if opening is not None:
                    # Late by up to the survey's window, an opening still opens its wave.
                    wanted.add(
                        self._schedule(
                            self._counted(self.open_scheduled),
                            f"{OPEN_PREFIX}{survey.id}",
                            reach=reach,
                            survey=survey,
                            trigger=opening,
                            grace=_lookback(survey),
                        )
                    )
                    await self.open_scheduled(tenant=reach.tenant, survey_id=survey.id)
                if not (survey.digest_cadence and survey.digest_channel):
                    continue
                digest = self._trigger(survey, survey.digest_cadence, digest=True)
                if digest is not None:
                    wanted.add(
                        self._schedule(
                            self.digest_scheduled,
                            f"{DIGEST_PREFIX}{survey.id}",
                            reach=reach,
                            survey=survey,
                            trigger=digest,
                            grace=timedelta(days=1),
                        )
                    )
                    await self.digest_scheduled(tenant=reach.tenant, survey_id=survey.id)
        for job in self.scheduler.get_jobs():
            derived = job.id.startswith((OPEN_PREFIX, DIGEST_PREFIX))
            if derived and job.id not in wanted:
                job.remove()

    def _trigger(self, survey: Survey, cadence: str | None, *, digest: bool) -> CronTrigger | None:
        """The trigger of one of ``survey``'s stored cadences (its digest's, or its
        waves'), or None when the settings would refuse it today: nothing is scheduled on
        it, and a warning says why, once per survey and stored value, not every sync."""
        noun, effect = (
            ("digest cadence", "posts no digests") if digest else ("cadence", "opens no waves")
        )
        try:
            return runnable_trigger(cadence, survey.timezone, noun=noun)
        except UnusableCadence as error:
            refused = (survey.id, noun, cadence, survey.timezone)
            if refused not in self._refused_cadences:
                self._refused_cadences.add(refused)
                log.warning(
                    "survey %r (%s) %s: %s; set another with `nps-bot survey edit`",
                    survey.name,
                    survey.id,
                    effect,
                    error,
                )
            return None

    def _schedule(
        self,
        job: Callable[..., Awaitable[None]],
        job_id: str,
        *,
        reach: Reach,
        survey: Survey,
        trigger: CronTrigger,
        grace: timedelta,
    ) -> str:
        """One of ``survey``'s cron jobs, coalesced and never run twice at once; a run
        late by up to ``grace`` still runs (the sync's catch-up covers longer downtimes)."""
        self.scheduler.add_job(
            job,
            trigger,
            id=job_id,
            kwargs={"tenant": reach.tenant, "survey_id": survey.id},
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(grace.total_seconds()),
        )
        return job_id

    async def digest_scheduled(self, *, tenant: str, survey_id: uuid.UUID) -> None:
        """Post the survey's latest periodic digest if it is due and not posted yet; a
        failure is logged, so the sync that also calls this goes on with other surveys."""
        reach = self._reaches[tenant]
        try:
            if await post_periodic_digest(self._deps, reach, survey_id=survey_id):
                log.info("posted the periodic digest of survey %s", survey_id)
                self.outages.reached(reach)
        except PlatformUnreachable as error:
            self.outages.unreachable(reach, error, job=f"the digest of survey {survey_id}")
        except Exception:
            log.exception("the periodic digest of survey %s could not be posted", survey_id)

    async def alert_reasons(self) -> None:
        """Post the detractor-reasons alerts due in every tenant (a daily job)."""
        for reach in self._reaches.values():
            try:
                await alert_due_reasons(self._deps, reach)
            except PlatformUnreachable as error:
                self.outages.unreachable(reach, error, job="the reasons alerts")
            except Exception:
                log.exception("reasons alerts failed for tenant %s", reach.tenant)

    async def announce_replies(self) -> None:
        """Post the batched "new replies exist" notices of every tenant."""
        for reach in self._reaches.values():
            try:
                await announce_replies(self._deps, reach)
            except PlatformUnreachable as error:
                self.outages.unreachable(reach, error, job="the replies notices")
            except Exception:
                log.exception("replies notices failed for tenant %s", reach.tenant)

    async def remind_action_owners(self) -> None:
        """Remind the owners of actions due soon, in every tenant (a daily job)."""
        for reach in self._reaches.values():
            try:
                await remind_owners(self._deps, reach, lead_days=self._action_lead_days)
            except PlatformUnreachable as error:
                self.outages.unreachable(reach, error, job="the action reminders")
            except Exception:
                log.exception("action reminders failed for tenant %s", reach.tenant)

    async def open_scheduled(self, *, tenant: str, survey_id: uuid.UUID) -> None:
        """Open the survey's latest scheduled opening (if still inside its window), then
        deliver what is due. Does nothing when that wave exists already."""
        reach = self._reaches.get(tenant)
        if reach is None:
            return  # the tenant went away after the job fired
        now = self._deps.clock()
        async with self._deps.database.transaction() as session:
            survey = await session.get(Survey, survey_id)
            if survey is None or survey.status != SurveyState.ACTIVE:
                return
            try:
                trigger = runnable_trigger(survey.cadence, survey.timezone)
            except UnusableCadence:
                return  # the sync that dropped its job said why
            opening = latest_opening(trigger, now=now, lookback=_lookback(survey))
            if opening is None:
                return
            if await store.wave_for_opening(session, survey_id=survey_id, scheduled_for=opening):
                return
        try:
            opened = await open_wave(self._deps, reach, survey_id=survey_id, scheduled_for=opening)
        except PlatformUnreachable as error:
            # Opened on a later tick's sync: the opening stays inside its window.
            self.outages.unreachable(reach, error, job=f"the opening of survey {survey_id}")
            return
        if opened is not None:
            log.info("opened wave %s (%d invited)", opened.wave_id, opened.invited)
            self.outages.reached(reach)
            try:
                await self._deliver(reach)
            except PlatformUnreachable as error:
                self.outages.unreachable(reach, error, job=f"the delivery of wave {opened.wave_id}")

    async def _deliver(self, reach: Reach) -> DeliveryReport:
        """Deliver the tenant's due invitations; raises `PlatformUnreachable` when the
        platform could not be reached (what was claimed is given back)."""
        report = await deliver_due(self._deps, reach)
        self._delivered(report)
        if report.unreachable is not None:
            raise PlatformUnreachable(report.unreachable)
        return report

    def _delivered(self, report: DeliveryReport) -> None:
        if self._on_delivery is not None:
            self._on_delivery(report)

    async def tick(self) -> None:
        """Close the asks of answers whose second step was lost, then deliver, remind and
        close for every tenant; a failure in one leaves the others."""
        try:
            settled = await settle_claims(self._deps.database, PersonKeys(self._deps.pepper))
            if settled:
                log.info("closed %d asks whose answers were stored earlier", settled)
        except Exception:
            log.exception("could not settle answered asks")
        for reach in self._reaches.values():
            try:
                report = await self._deliver(reach)
                reminded = await send_reminders(self._deps, reach)
                await close_due(self._deps, reach)
            except PlatformUnreachable as error:
                self.outages.unreachable(reach, error, job="the wave tick")
            except Exception:
                log.exception("wave tick failed for tenant %s", reach.tenant)
            else:
                if report.attempted or reminded:
                    self.outages.reached(reach)
        try:
            await self.sync()
        except Exception:
            log.exception("could not derive the survey jobs")


def _lookback(survey: Survey) -> timedelta:
    """How late an opening may still be caught up: while its wave would still be open."""
    return timedelta(days=max(survey.window_days, 1))
