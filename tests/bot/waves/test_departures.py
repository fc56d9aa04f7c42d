"""A tenant that goes away (app uninstalled) stops being scheduled; the others go on."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.ports.reach import Reach
from bot.runtime.reaches import Reaches
from bot.runtime.scheduling import WaveScheduler
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.surveys import edit_survey
from storage.models import Survey
from tests.bot.waves.conftest import PLATFORM, TENANT
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform

SENDS = ("send_direct", "post_to_channel")


async def test_a_departed_tenant_loses_its_jobs_and_is_not_delivered_to(
    services: Services,
    platform: RecordingPlatform,
    survey: Survey,
    reach: Reach,
    deps: WaveDeps,
    clock: Clock,
) -> None:
    await edit_survey(
        services.database,
        platform=PLATFORM,
        tenant=TENANT,
        name=survey.name,
        changes={"cadence": "30 10 * * 2"},
        now=clock(),
    )
    scheduler = WaveScheduler(deps, [], scheduler=AsyncIOScheduler(timezone="UTC"))
    reaches = Reaches()
    reaches.subscribe(scheduler.add_reach)
    reaches.subscribe_departures(scheduler.remove_reach)
    await scheduler.start()
    try:
        await reaches.connected(reach)
        assert {job.id for job in scheduler.scheduler.get_jobs()} >= {f"open:{survey.id}"}
        sent = len(platform.calls_of(*SENDS))
        assert sent > 0  # the wave due now opened and was delivered
        calls = len(platform.calls)

        await reaches.disconnected(TENANT)
        await reaches.disconnected(TENANT)  # a second removal is harmless

        assert f"open:{survey.id}" not in {job.id for job in scheduler.scheduler.get_jobs()}
        assert reaches.all() == []
        await scheduler.open_scheduled(tenant=TENANT, survey_id=survey.id)
        await scheduler.tick()
        assert len(platform.calls_of(*SENDS)) == sent
        assert len(platform.calls) == calls  # not even an audience is listed
    finally:
        scheduler.shutdown()
