"""Command-line waves in distribution mode reach one installed workspace, with its token."""

from __future__ import annotations

import dataclasses

import pytest
from slack_sdk.oauth.installation_store import Installation

from adapters.slack.distribution.app import sealed_store
from adapters.slack.plugin import plugin
from bot.runtime.pepper import ConfigurationError
from bot.runtime.services import Services
from bot.views.common import Notice
from tests.adapters.slack.distribution.support import (
    ANN,
    BOB,
    TEAM_A,
    TEAM_B,
    TOKEN_A,
    TOKEN_B,
    workspace_b,
)
from tests.doubles.slack_api import SlackApiDouble


async def install(services: Services, *, team_id: str, bot_token: str) -> None:
    await sealed_store(services).async_save(
        Installation(app_id="A0NPSAPP0", team_id=team_id, bot_token=bot_token, user_id="U0INST")
    )


def choosing(services: Services, team_id: str | None) -> Services:
    settings = services.settings.model_copy(update={"slack_team_id": team_id})
    return dataclasses.replace(services, settings=settings)


async def test_the_only_installed_workspace_is_reached_with_its_token(
    dist_services: Services, slack: SlackApiDouble
) -> None:
    await install(dist_services, team_id=TEAM_A, bot_token=TOKEN_A)

    async with plugin.open_reach(dist_services) as reach:
        assert reach.tenant == TEAM_A
        await reach.platform.send_direct(ANN, Notice(text="hello"))

    assert slack.last("chat.postMessage").token == TOKEN_A


async def test_slack_team_id_chooses_among_several(
    dist_services: Services, slack: SlackApiDouble
) -> None:
    slack.add_workspace(workspace_b(), bot_token=TOKEN_B)
    await install(dist_services, team_id=TEAM_A, bot_token=TOKEN_A)
    await install(dist_services, team_id=TEAM_B, bot_token=TOKEN_B)

    with pytest.raises(ConfigurationError, match="SLACK_TEAM_ID"):
        async with plugin.open_reach(dist_services):
            pass
    async with plugin.open_reach(choosing(dist_services, TEAM_B)) as reach:
        assert reach.tenant == TEAM_B
        await reach.platform.send_direct(BOB, Notice(text="hello"))
    assert slack.last("chat.postMessage").token == TOKEN_B


async def test_nothing_installed_is_a_clear_error(dist_services: Services) -> None:
    with pytest.raises(ConfigurationError, match="not installed in any workspace"):
        async with plugin.open_reach(dist_services):
            pass
    with pytest.raises(ConfigurationError, match="not installed in workspace T0NOBODY1"):
        async with plugin.open_reach(choosing(dist_services, "T0NOBODY1")):
            pass
