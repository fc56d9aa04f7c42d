"""The Slack plugin's configuration rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.slack.plugin import SlackPlugin, plugin
from adapters.slack.settings import SlackSettings
from bot.runtime.plugins import discover
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError
from tests.support.runtime import runtime_context


def test_the_plugin_is_installed_and_configured_by_the_bot_token() -> None:
    assert discover()["slack"] is plugin
    assert not SlackPlugin(SlackSettings(_env_file=None)).configured()
    assert SlackPlugin(SlackSettings(_env_file=None, bot_token="xoxb-1")).configured()


def test_the_installed_plugin_reads_its_settings_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert plugin.configured()
    monkeypatch.setenv("SLACK_UNINSTALL_DATA", "shred")
    with pytest.raises(ConfigurationError, match="invalid setting SLACK_UNINSTALL_DATA"):
        plugin.configured()


async def test_http_mode_without_a_signing_secret_refuses_to_start(services: Services) -> None:
    configured = SlackPlugin(SlackSettings(_env_file=None, bot_token="xoxb-1"))

    with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET"):
        await configured.serve(runtime_context(services))
