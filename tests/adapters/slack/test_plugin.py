"""The Slack plugin's configuration rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.slack.plugin import SlackPlugin, plugin
from adapters.slack.settings import SlackSettings
from bot.ports.pacing import LocalPace
from bot.runtime.plugins import discover
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError
from bot.usecases.pacing import SharedPace
from tests.adapters.slack.conftest import TOKEN
from tests.doubles.slack_api import SlackApiDouble
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


async def test_a_reach_takes_its_pace_from_the_database_every_replica_shares(
    services: Services, slack: SlackApiDouble
) -> None:
    settings = SlackSettings(
        _env_file=None, bot_token=TOKEN, api_base_url=slack.base_url, messages_per_second=40
    )

    async with SlackPlugin(settings).open_reach(services) as reach:
        assert reach.tenant == slack.workspace.team_id
        assert reach.per_second == 40
        shared = services.database.dialect == "postgresql"
        assert isinstance(reach.pace, SharedPace if shared else LocalPace)
        assert reach.pace.per_second == 40
        # On SQLite the process keeps one pace per workspace, whoever asks for it.
        if not shared:
            assert reach.pace is services.paces.of(
                platform="slack", tenant=reach.tenant, per_second=40
            )
