"""Uninstalling the app or revoking its token removes that workspace's tokens and reach;
its survey data stays or goes as ``SLACK_UNINSTALL_DATA`` says."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlmodel import col

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import ScorePrompt
from storage.models import Response, Tenant
from tests.adapters.slack.conftest import eventually
from tests.adapters.slack.distribution.support import (
    TEAM_A,
    TEAM_B,
    TOKEN_A,
    TOKEN_B,
    RunningDistribution,
    distribution_settings,
    requests_for,
    serving,
    workspace_a,
    workspace_b,
)
from tests.doubles.slack_api import SlackApiDouble
from tests.storage.test_anonymity import dump_all_text


async def install_and_fill(running: RunningDistribution) -> None:
    """Both workspaces installed; two answers and an opt-out in each."""
    assert await running.installer.install(workspace_a(), bot_token=TOKEN_A, code="a") == 200
    assert await running.installer.install(workspace_b(), bot_token=TOKEN_B, code="b") == 200
    for tenant in (TEAM_A, TEAM_B):
        for number, score in enumerate([9, 4]):
            person = Person(platform="slack", tenant=tenant, user_id=f"U0PEER{number:03d}")
            prompt = await running.services.engine.start(person)
            assert isinstance(prompt, ScorePrompt)
            await running.services.engine.record_score(
                person, survey_id=prompt.survey_id, score=score
            )
        await running.services.engine.opt_out(
            Person(platform="slack", tenant=tenant, user_id="U0OPTOUT1")
        )


async def installed_teams(services: Services) -> dict[str, set[str]]:
    """Team ids present in each installation table."""
    found: dict[str, set[str]] = {}
    async with services.database.engine.connect() as connection:
        for table in ("slack_installations", "slack_bots"):
            rows = await connection.execute(text(f"SELECT team_id FROM {table}"))
            found[table] = {row[0] for row in rows}
    return found


async def answers_by_tenant(services: Services) -> dict[str, int]:
    async with services.database.transaction() as session:
        rows = await session.execute(
            select(col(Tenant.external_id), func.count(col(Response.id)))
            .join(Response, col(Response.tenant_id) == Tenant.id, isouter=True)
            .group_by(col(Tenant.external_id))
        )
        return {str(team): int(count) for team, count in rows.all()}


async def test_uninstall_removes_the_workspace_tokens_and_reach_and_keeps_data_by_default(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    await install_and_fill(running)
    event = requests_for(slack, workspace_b()).event_callback({"type": "app_uninstalled"})

    status, _ = await running.post(event)

    assert status == 200
    await eventually(lambda: {reach.tenant for reach in running.reaches.all()} == {TEAM_A})
    teams = await installed_teams(running.services)
    assert teams == {"slack_installations": {TEAM_A}, "slack_bots": {TEAM_A}}
    assert await answers_by_tenant(running.services) == {TEAM_A: 2, TEAM_B: 2}
    bot = await running.distribution.store.async_find_bot(enterprise_id=None, team_id=TEAM_B)
    assert bot is None


async def test_uninstall_deletes_every_row_of_the_workspace_when_configured(
    services: Services, slack: SlackApiDouble
) -> None:
    configured = distribution_settings(slack, uninstall_data="delete")
    async with serving(services, configured, slack) as running:
        await install_and_fill(running)
        before = await dump_all_text(services)
        event = requests_for(slack, workspace_b()).event_callback({"type": "app_uninstalled"})

        status, _ = await running.post(event)
        assert status == 200
        await eventually(lambda: {reach.tenant for reach in running.reaches.all()} == {TEAM_A})

        async def tenant_gone() -> bool:
            return TEAM_B not in await answers_by_tenant(services)

        await eventually(tenant_gone, what="the workspace's rows deleted")
        assert await answers_by_tenant(services) == {TEAM_A: 2}
        after = await dump_all_text(services)
    assert TEAM_B in before and TEAM_B not in after
    assert (await installed_teams(services))["slack_bots"] == {TEAM_A}


async def test_a_revoked_bot_token_removes_the_token_and_reach_but_not_the_data(
    running: RunningDistribution, slack: SlackApiDouble
) -> None:
    await install_and_fill(running)
    event = requests_for(slack, workspace_b()).event_callback(
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0NPSBOT2"]}}
    )

    status, _ = await running.post(event)

    assert status == 200
    await eventually(lambda: {reach.tenant for reach in running.reaches.all()} == {TEAM_A})
    teams = await installed_teams(running.services)
    assert teams == {"slack_installations": {TEAM_A}, "slack_bots": {TEAM_A}}
    assert (await dump_all_text(running.services)).count("'gAAAAA") == 2  # A's sealed tokens
    assert await answers_by_tenant(running.services) == {TEAM_A: 2, TEAM_B: 2}
    # A request from team B can no longer be authorized: the person is told, nothing is sent.
    sent = len(slack.calls())
    refused, _ = await running.post(
        requests_for(slack, workspace_b()).slash_command(user_id="U0BOB0001")
    )
    await eventually(lambda: bool(slack.responses))
    assert refused == 200 and slack.calls()[sent:] == []
    told = running.services.catalogs.translator("en")("oauth.not_installed")
    assert slack.responses[-1].payload["text"] == told
