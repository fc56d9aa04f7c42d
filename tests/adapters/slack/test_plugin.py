"""The Slack plugin's configuration rules."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import SecretStr

from adapters.slack.plugin import plugin
from bot.runtime.pepper import ConfigurationError
from bot.runtime.plugins import discover
from bot.runtime.services import Services
from bot.runtime.settings import Settings


def test_the_plugin_is_installed_and_configured_by_the_bot_token() -> None:
    assert discover()["slack"] is plugin
    assert not plugin.configured(Settings(_env_file=None))
    assert plugin.configured(Settings(_env_file=None, slack_bot_token="xoxb-1"))


async def test_http_mode_without_a_signing_secret_refuses_to_start(services: Services) -> None:
    settings = services.settings.model_copy(update={"slack_bot_token": SecretStr("xoxb-1")})

    with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET"):
        await plugin.serve(dataclasses.replace(services, settings=settings), {})
