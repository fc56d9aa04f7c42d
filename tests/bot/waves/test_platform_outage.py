"""A platform out of reach: scheduled jobs log one line per tenant and outage (none per
tick, no traceback), give back what they claimed, and one line when it answers again."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.ports.reach import Reach
from bot.runtime.scheduling import WaveScheduler
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.surveys import SurveySpec, create_survey, edit_survey
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from storage import invitations as store
from storage.models import Invitation, Survey, Wave
from storage.sql import utc
from tests.bot.waves.conftest import OPENING, TENANT, UTC_PEOPLE
from tests.bot.waves.held_platform import HeldPlatform
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.clock import Clock

TOKEN = "xoxb-outage-test-token"
ANN = UTC_PEOPLE[0]
OUTAGE = "is unreachable for tenant"
RECOVERY = "is reachable again for tenant"


async def statuses(services: Services) -> list[str]:
    async with services.database.transaction() as session:
        return sorted(row.status for row in (await session.execute(select(Invitation))).scalars())


def lines(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if text in record.getMessage()]


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(token=TOKEN) as double:
        double.workspace.add_user(
            *(SlackUser(id=user_id, name=user_id.lower(), tz="UTC") for user_id in UTC_PEOPLE)
        )
        yield double


@pytest.fixture
def platform() -> HeldPlatform:
    held = HeldPlatform(tenant=TENANT)
    held.join(ANN, locale="en-US", timezone="UTC")
    return held


async def test_slack_out_of_reach_is_one_warning_and_nothing_is_lost(
    services: Services,
    deps: WaveDeps,
    slack: SlackApiDouble,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    platform = SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))
    reach = Reach(platform=platform, tenant=slack.workspace.team_id, per_second=200)
    clock.now = OPENING
    survey = await create_survey(
        services.database,
        platform=platform.name,
        tenant=reach.tenant,
        spec=SurveySpec(name="pulse", timezone="UTC"),
        now=clock(),
        default_locale="en",
    )
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    scheduler = WaveScheduler(deps, [reach])
    await slack.close()  # Slack's API is down: no connection can be made

    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            await scheduler.tick()

    [outage] = lines(caplog, OUTAGE)
    assert outage.levelno == logging.WARNING and "cannot connect" in outage.getMessage()
    assert [record for record in caplog.records if record.exc_info] == []
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == [outage]
    assert await statuses(services) == [store.PENDING] * 3  # given back, sent when it is up
    assert scheduler.outages.is_down(reach)


async def test_an_outage_and_its_end_are_one_line_each_and_no_reminder_is_lost(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: HeldPlatform,
    survey: Survey,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await open_wave(deps, reach, survey_id=survey.id, scheduled_for=OPENING)
    assert (await deliver_due(deps, reach)).sent == 1
    async with services.database.transaction() as session:
        [row] = (await session.execute(select(Invitation))).scalars().all()
    assert row.remind_at is not None
    clock.now = utc(row.remind_at)
    scheduler = WaveScheduler(deps, [reach])

    platform.out_of_reach = "the gateway is disconnected"
    with caplog.at_level(logging.INFO):
        await scheduler.tick()
        await scheduler.tick()
        assert len(lines(caplog, OUTAGE)) == 1
        assert lines(caplog, RECOVERY) == []
        platform.out_of_reach = None
        await scheduler.tick()
        await scheduler.tick()

    assert len(lines(caplog, OUTAGE)) == 1
    [recovery] = lines(caplog, RECOVERY)
    assert "2 failed runs" in recovery.getMessage()
    assert [record for record in caplog.records if record.exc_info] == []
    assert len(platform.direct_to(ANN)) == 2  # the invitation, and the reminder after all
    async with services.database.transaction() as session:
        [row] = (await session.execute(select(Invitation))).scalars().all()
    assert row.reminders_sent == 1


async def test_a_scheduled_opening_whose_audience_could_not_be_listed_opens_on_a_later_run(
    services: Services, deps: WaveDeps, reach: Reach, platform: HeldPlatform, survey: Survey
) -> None:
    """Out of reach while listing the audience, the opening writes no wave: a wave
    without invitations would be taken for done by every later run."""
    await edit_survey(
        services.database,
        platform=reach.platform.name,
        tenant=reach.tenant,
        name=survey.name,
        changes={"cadence": "30 10 10 3 *"},  # 10 March 10:30 UTC: the clock's opening
    )
    scheduler = WaveScheduler(deps, [reach])
    platform.out_of_reach = "the gateway is disconnected"
    await scheduler.open_scheduled(tenant=reach.tenant, survey_id=survey.id)
    async with services.database.transaction() as session:
        assert (await session.execute(select(Wave))).scalars().all() == []

    platform.out_of_reach = None
    await scheduler.open_scheduled(tenant=reach.tenant, survey_id=survey.id)
    assert await statuses(services) == [store.SENT]
