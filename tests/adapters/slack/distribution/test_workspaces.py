"""Two installed workspaces: each request is answered with its own workspace's token and data."""

from __future__ import annotations

import copy
import json

from sqlalchemy import select
from sqlmodel import col

from adapters.slack.distribution.app import create_distribution_app
from bot.domain.people import Person
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from bot.views.common import ReportView, ScorePrompt
from storage.models import Response, Tenant
from tests.adapters.slack.conftest import buttons, eventually
from tests.adapters.slack.distribution.support import (
    ADMIN_A,
    BOB,
    TEAM_A,
    TEAM_B,
    TOKEN_A,
    TOKEN_B,
    RunningDistribution,
    requests_for,
    workspace_a,
    workspace_b,
)
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_workspace import SlackWorkspace


async def install_both(
    running: RunningDistribution,
) -> tuple[SlackWorkspace, SlackWorkspace]:
    team_a, team_b = workspace_a(), workspace_b()
    assert await running.installer.install(team_a, bot_token=TOKEN_A, code="code-a") == 200
    assert await running.installer.install(team_b, bot_token=TOKEN_B, code="code-b") == 200
    return team_a, team_b


async def answers(services: Services, *, tenant: str, scores: list[int]) -> None:
    """People of ``tenant`` answer through the engine (their Slack path is tested below)."""
    for number, score in enumerate(scores):
        person = Person(platform="slack", tenant=tenant, user_id=f"U0PEER{number:03d}")
        prompt = await services.engine.start(person)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(person, survey_id=prompt.survey_id, score=score)


async def test_a_command_and_a_click_are_answered_with_their_workspace_token(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    _, team_b = await install_both(running)
    requests = requests_for(slack, team_b)
    installed = len(slack.calls())

    status, _ = await running.post(requests.slash_command(user_id=BOB))
    assert status == 200
    dm = team_b.dm_channel(BOB)
    await eventually(lambda: bool(team_b.messages_in(dm)))
    survey = copy.deepcopy(team_b.messages_in(dm)[-1])
    # Bob was looked up and asked in team B, with team B's token.
    assert slack.last("users.info").token == TOKEN_B
    assert slack.last("chat.postMessage").token == TOKEN_B

    nine = next(b for b in buttons(survey.blocks) if b["text"]["text"] == "9")
    click = requests.block_actions(
        user_id=BOB,
        action_id=nine["action_id"],
        value=nine["value"],
        channel_id=survey.channel,
        message_ts=survey.ts,
    )
    status, _ = await running.post(click)
    assert status == 200
    await eventually(lambda: bool(slack.calls("views.open")) and bool(slack.calls("chat.update")))
    assert slack.last("views.open").token == TOKEN_B
    assert slack.last("chat.update").token == TOKEN_B
    assert {call.token for call in slack.calls()[installed:]} == {TOKEN_B}
    # The engine saw team B: the answer belongs to team B's tenant.
    async with running.services.database.transaction() as session:
        tenants = await session.execute(
            select(col(Tenant.external_id)).join(Response, col(Response.tenant_id) == Tenant.id)
        )
        assert list(tenants.scalars()) == [TEAM_B]


async def test_a_report_shows_only_its_own_workspace(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    team_a, _ = await install_both(running)
    await answers(running.services, tenant=TEAM_A, scores=[10, 9, 9, 8, 3, 0])
    await answers(running.services, tenant=TEAM_B, scores=[0, 0, 1, 2, 2, 3, 4, 10])

    await running.post(requests_for(slack, team_a).slash_command(user_id=ADMIN_A, text="report"))
    await eventually(lambda: bool(slack.responses))

    shown = json.dumps(slack.responses[0].payload["blocks"], ensure_ascii=False)
    admin_a = Person(platform="slack", tenant=TEAM_A, user_id=ADMIN_A, is_admin=True)
    admin_b = Person(platform="slack", tenant=TEAM_B, user_id="U0ADMIN02", is_admin=True)
    own = await running.services.engine.report(admin_a)
    other = await running.services.engine.report(admin_b)
    assert isinstance(own, ReportView) and isinstance(other, ReportView)
    assert own.headline != other.headline
    assert own.headline in shown
    assert other.headline not in shown
    assert slack.last("users.info").token == TOKEN_A
    # The charts go to the admin's DM in team A, uploaded with team A's token.
    await eventually(lambda: any(upload.channel_id for upload in team_a.files.values()))
    dm = team_a.dm_channel(ADMIN_A)
    assert {upload.channel_id for upload in team_a.files.values() if upload.completed} == {dm}
    assert {call.token for call in slack.calls("files.completeUploadExternal")} == {TOKEN_A}


async def test_every_installed_workspace_gets_a_reach_when_the_app_starts(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    await install_both(running)
    # A restarted process: a new app over the same database finds both installations.
    reaches = Reaches()
    restarted = create_distribution_app(
        running.services,
        running.settings,
        signing_secret="unused-here",
        reaches=reaches,
        per_second=10.0,
    )

    assert await restarted.connect_installed() == 2
    by_tenant = {reach.tenant: reach for reach in reaches.all()}
    assert set(by_tenant) == {TEAM_A, TEAM_B}
    for tenant, token in ((TEAM_A, TOKEN_A), (TEAM_B, TOKEN_B)):
        people = await by_tenant[tenant].platform.list_audience({"everyone": "1"})
        assert {person.tenant for person in people} == {tenant}
        assert slack.last("users.list").token == token


async def test_the_home_tab_is_published_with_its_workspace_token(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    _, team_b = await install_both(running)

    await running.post(requests_for(slack, team_b).app_home_opened(user_id=BOB))

    await eventually(lambda: BOB in team_b.home_views)
    assert slack.last("views.publish").token == TOKEN_B
