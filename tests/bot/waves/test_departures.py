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
from tests.doubles.slack_api import SlackApiDouble
from tests.support.clock import Clock


async def test_a_departed_tenant_loses_its_jobs_and_is_not_delivered_to(
    services: Services,
    slack: SlackApiDouble,
    survey: Survey,
    reach: Reach,
    deps: WaveDeps,
    clock: Clock,
) -> None:
    team = slack.workspace.team_id
    await edit_survey(
        services.database,
        platform="slack",
        tenant=team,
        name=survey.name,
        changes={"cadence": "30 10 * * 2"},
    )
    scheduler = WaveScheduler(deps, [], scheduler=AsyncIOScheduler(timezone="UTC"))
    reaches = Reaches()
    reaches.subscribe(scheduler.add_reach)
    reaches.subscribe_departures(scheduler.remove_reach)
    await scheduler.start()
    try:
        await reaches.connected(reach)
        assert {job.id for job in scheduler.scheduler.get_jobs()} >= {f"open:{survey.id}"}
        sent = len(slack.calls("chat.postMessage"))
        assert sent > 0  # the wave due now opened and was delivered

        await reaches.disconnected(team)
        await reaches.disconnected(team)  # a second removal is harmless

        assert f"open:{survey.id}" not in {job.id for job in scheduler.scheduler.get_jobs()}
        assert reaches.all() == []
        await scheduler.open_scheduled(tenant=team, survey_id=survey.id)
        await scheduler.tick()
        assert len(slack.calls("chat.postMessage")) == sent
    finally:
        scheduler.shutdown()
