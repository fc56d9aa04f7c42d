"""Distribution mode refuses to start without what it needs, and says which setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters.slack.distribution.app import DEFAULT_SCOPES
from adapters.slack.plugin import SlackPlugin
from adapters.slack.settings import SlackSettings
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError
from tests.adapters.slack.distribution.support import distribution_settings
from tests.doubles.slack_api import SlackApiDouble
from tests.support.runtime import runtime_context

MANIFEST = Path(__file__).parents[4] / "adapters" / "slack" / "manifest.yml"


def test_client_credentials_configure_slack_without_a_bot_token() -> None:
    settings = SlackSettings(_env_file=None, client_id="1.2", client_secret="s")
    assert settings.distribution and SlackPlugin(settings).configured()
    assert not SlackSettings(_env_file=None, client_id="1.2").distribution


def test_scopes_are_read_as_a_comma_separated_list() -> None:
    settings = SlackSettings(_env_file=None, scopes="commands, chat:write")
    assert settings.scopes == ["commands", "chat:write"]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"token_encryption_key": None}, "TOKEN_ENCRYPTION_KEY is required"),
        ({"token_encryption_key": SecretStr("short")}, "TOKEN_ENCRYPTION_KEY is not a valid"),
        ({"signing_secret": None}, "SLACK_SIGNING_SECRET"),
        ({"app_token": SecretStr("xapp-1")}, "SLACK_APP_TOKEN"),
    ],
)
async def test_start_up_is_refused_with_the_setting_named(
    services: Services, slack: SlackApiDouble, changes: dict[str, object], named: str
) -> None:
    configured = SlackPlugin(distribution_settings(slack, **changes))

    with pytest.raises(ConfigurationError, match=named):
        await configured.serve(runtime_context(services))


def test_default_scopes_are_the_manifest_bot_scopes() -> None:
    text = MANIFEST.read_text()
    bot_block = text.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    scopes = re.findall(r"^\s+- ([\w:.]+)", bot_block, flags=re.MULTILINE)
    assert tuple(scopes) == DEFAULT_SCOPES


def test_the_manifest_subscribes_to_uninstall_and_revocation_events() -> None:
    text = MANIFEST.read_text()
    assert "- app_uninstalled" in text and "- tokens_revoked" in text
    assert "/slack/oauth_redirect" in text
