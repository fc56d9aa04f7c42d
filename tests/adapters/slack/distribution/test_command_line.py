"""Command-line waves in distribution mode reach one installed workspace, with its token."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store import Installation

from adapters.slack.distribution.app import sealed_store
from adapters.slack.plugin import SlackPlugin
from adapters.slack.settings import SlackSettings
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError
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


async def install(
    services: Services, settings: SlackSettings, *, team_id: str, bot_token: str
) -> None:
    await sealed_store(services, settings).async_save(
        Installation(app_id="A0NPSAPP0", team_id=team_id, bot_token=bot_token, user_id="U0INST")
    )


def choosing(settings: SlackSettings, team_id: str | None) -> SlackPlugin:
    """The plugin with ``team_id`` as ``SLACK_TEAM_ID``."""
    return SlackPlugin(settings.model_copy(update={"team_id": team_id}))


async def test_the_only_installed_workspace_is_reached_with_its_token(
    services: Services, dist_settings: SlackSettings, slack: SlackApiDouble
) -> None:
    await install(services, dist_settings, team_id=TEAM_A, bot_token=TOKEN_A)

    async with SlackPlugin(dist_settings).open_reach(services) as reach:
        assert reach.tenant == TEAM_A
        await reach.platform.send_direct(ANN, Notice(text="hello"))

    assert slack.last("chat.postMessage").token == TOKEN_A


async def test_slack_team_id_chooses_among_several(
    services: Services, dist_settings: SlackSettings, slack: SlackApiDouble
) -> None:
    slack.add_workspace(workspace_b(), bot_token=TOKEN_B)
    await install(services, dist_settings, team_id=TEAM_A, bot_token=TOKEN_A)
    await install(services, dist_settings, team_id=TEAM_B, bot_token=TOKEN_B)

    with pytest.raises(ConfigurationError, match="SLACK_TEAM_ID"):
        async with SlackPlugin(dist_settings).open_reach(services):
            pass
    async with choosing(dist_settings, TEAM_B).open_reach(services) as reach:
        assert reach.tenant == TEAM_B
        await reach.platform.send_direct(BOB, Notice(text="hello"))
    assert slack.last("chat.postMessage").token == TOKEN_B


async def test_nothing_installed_is_a_clear_error(
    services: Services, dist_settings: SlackSettings
) -> None:
    with pytest.raises(ConfigurationError, match="not installed in any workspace"):
        async with SlackPlugin(dist_settings).open_reach(services):
            pass
    with pytest.raises(ConfigurationError, match="not installed in workspace T0NOBODY1"):
        async with choosing(dist_settings, "T0NOBODY1").open_reach(services):
            pass
