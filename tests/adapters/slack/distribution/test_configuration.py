"""Distribution mode refuses to start without what it needs, and says which setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters.slack.distribution.app import DEFAULT_SCOPES
from adapters.slack.plugin import plugin
from bot.runtime.pepper import ConfigurationError
from bot.runtime.services import Services
from bot.runtime.settings import Settings
from tests.adapters.slack.distribution.support import distribution_services
from tests.doubles.slack_api import SlackApiDouble

MANIFEST = Path(__file__).parents[4] / "adapters" / "slack" / "manifest.yml"


def test_client_credentials_configure_slack_without_a_bot_token() -> None:
    settings = Settings(_env_file=None, slack_client_id="1.2", slack_client_secret="s")
    assert settings.slack_distribution and plugin.configured(settings)
    assert not Settings(_env_file=None, slack_client_id="1.2").slack_distribution


def test_scopes_are_read_as_a_comma_separated_list() -> None:
    settings = Settings(_env_file=None, slack_scopes="commands, chat:write")
    assert settings.slack_scopes == ["commands", "chat:write"]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"token_encryption_key": None}, "TOKEN_ENCRYPTION_KEY is required"),
        ({"token_encryption_key": SecretStr("short")}, "TOKEN_ENCRYPTION_KEY is not a valid"),
        ({"slack_signing_secret": None}, "SLACK_SIGNING_SECRET"),
        ({"slack_app_token": SecretStr("xapp-1")}, "SLACK_APP_TOKEN"),
    ],
)
async def test_start_up_is_refused_with_the_setting_named(
    services: Services, slack: SlackApiDouble, changes: dict[str, object], named: str
) -> None:
    configured = distribution_services(services, slack, **changes)

    with pytest.raises(ConfigurationError, match=named):
        await plugin.serve(configured, {})


def test_default_scopes_are_the_manifest_bot_scopes() -> None:
    text = MANIFEST.read_text()
    bot_block = text.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    scopes = re.findall(r"^\s+- ([\w:.]+)", bot_block, flags=re.MULTILINE)
    assert tuple(scopes) == DEFAULT_SCOPES


def test_the_manifest_subscribes_to_uninstall_and_revocation_events() -> None:
    text = MANIFEST.read_text()
    assert "- app_uninstalled" in text and "- tokens_revoked" in text
    assert "/slack/oauth_redirect" in text
