"""An action's owner is reminded once, a few days before its due date, even with two
replicas at it; an action past its due date is listed in the digest instead."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.domain.actions import ActionDraft
from bot.ports.reach import Reach
from bot.runtime.scheduling import ACTION_REMINDERS_JOB, WaveScheduler
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.waves.action_reminders import remind_owners
from bot.usecases.waves.periodic import post_periodic_digest
from bot.views.common import Notice
from storage.models import Survey
from tests.bot.waves.conftest import OPENING, PLATFORM, TENANT, UTC_PEOPLE
from tests.bot.waves.test_periodic_digest import AFTER, said, seed_week, weekly
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform

OWNER = UTC_PEOPLE[0]


async def add(services: Services, *, due: str, status: str = "planned") -> None:
    await services.actions.add(
        platform=PLATFORM,
        tenant=TENANT,
        name="pulse",
        draft=ActionDraft(title="Shorter meetings", owner=OWNER, due=due, status=status),
    )


async def test_the_owner_is_reminded_once_within_the_lead(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    clock.now = OPENING
    await add(services, due=(OPENING + timedelta(days=5)).date().isoformat())
    assert await remind_owners(deps, reach, lead_days=3) == 0
    clock.advance(days=2)
    # Two replicas run the daily job at the same moment: one message.
    sent = await asyncio.gather(*(remind_owners(deps, reach, lead_days=3) for _ in range(2)))
    assert sorted(sent) == [0, 1]
    clock.advance(days=1)
    assert await remind_owners(deps, reach, lead_days=3) == 0
    [reminder] = platform.direct_to(OWNER)
    t = services.catalogs.translator("en")
    assert reminder.view == Notice(
        t(
            "actions.reminder",
            number=1,
            survey="pulse",
            title="Shorter meetings",
            due=t.date((OPENING + timedelta(days=5)).date()),
            days=3,
        )
    )


async def test_done_and_overdue_actions_get_no_reminder_and_a_new_date_gets_one(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    clock.now = OPENING
    soon = (OPENING + timedelta(days=1)).date().isoformat()
    await add(services, due=soon, status="done")
    await add(services, due=soon)
    clock.advance(days=2)  # action 2 is overdue now
    assert await remind_owners(deps, reach, lead_days=3) == 0
    later = (OPENING + timedelta(days=4)).date().isoformat()
    await services.actions.update(
        platform=PLATFORM, tenant=TENANT, name="pulse", number=2, draft=ActionDraft(due=later)
    )
    assert await remind_owners(deps, reach, lead_days=3) == 1
    assert len(platform.direct_to(OWNER)) == 1


async def test_the_digest_lists_overdue_actions(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    survey = await weekly(services, survey)
    await seed_week(services, survey)
    clock.now = AFTER - timedelta(days=10)
    await add(services, due=(AFTER - timedelta(days=2)).date().isoformat())
    clock.now = AFTER
    assert await post_periodic_digest(deps, reach, survey_id=survey.id) is True
    t = services.catalogs.translator("en")
    text = said(platform)
    assert t("actions.digest.overdue") in text and "#1 Shorter meetings" in text
    assert t("actions.overdue", status=t("actions.status.planned")) in text


async def test_the_reminders_run_daily_on_the_wave_scheduler(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    scheduler = WaveScheduler(deps, [reach], action_lead_days=5)
    await scheduler.start()
    try:
        job = scheduler.scheduler.get_job(ACTION_REMINDERS_JOB)
        assert job is not None and job.func.__wrapped__ == scheduler.remind_action_owners
        assert str(job.trigger) == "cron[hour='3']"
        # The lead the scheduler was given is the one it reminds with: 5 days, not 3.
        await add(services, due=(OPENING + timedelta(days=5)).date().isoformat())
        await scheduler.remind_action_owners()
    finally:
        scheduler.shutdown()
    assert len(platform.direct_to(OWNER)) == 1
