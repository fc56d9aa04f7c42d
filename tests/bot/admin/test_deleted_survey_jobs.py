"""A deleted survey's opening job disappears on the scheduler's next sync."""

from __future__ import annotations

from bot.ports.reach import Reach
from bot.runtime.scheduling import OPEN_PREFIX, WaveScheduler
from bot.runtime.services import Services
from bot.views.admin import Setting
from tests.bot.admin.conftest import admin
from tests.bot.admin.test_survey_admin import PULSE, surveys


async def test_the_open_job_of_a_deleted_survey_is_removed_on_the_next_sync(
    services: Services, reach: Reach
) -> None:
    await services.admin.create(admin(), {**PULSE, Setting.CADENCE: ""})
    await services.admin.create(admin(), {**PULSE, Setting.NAME: "kept", Setting.CADENCE: ""})
    pulse, kept = sorted(await surveys(services), key=lambda survey: survey.name != "pulse")
    scheduler = WaveScheduler(services.waves, [reach])
    # Running (paused, so nothing fires): as in the bot, where every later sync replaces jobs.
    scheduler.scheduler.start(paused=True)
    try:
        await scheduler.sync()
        jobs = {job.id for job in scheduler.scheduler.get_jobs()}
        assert jobs == {f"{OPEN_PREFIX}{pulse.id}", f"{OPEN_PREFIX}{kept.id}"}

        await services.admin.delete(admin(), "pulse")
        await scheduler.sync()

        assert [job.id for job in scheduler.scheduler.get_jobs()] == [f"{OPEN_PREFIX}{kept.id}"]
    finally:
        scheduler.shutdown()
