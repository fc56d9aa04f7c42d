"""Connecting to Slack at start: a refused token or an unreachable Slack is one line.

What an operator meets first (a mistyped token, the bot token pasted as the app token, no
network) is raised as ``ConfigurationError`` naming the setting to check, never as the
SDK's traceback. Bolt's warning that a given client's token wins over
``SLACK_BOT_TOKEN`` is dropped: the client is always given on purpose, built from that
same setting.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from slack_bolt.logger.messages import (
    warning_client_prioritized_and_token_skipped,
    warning_token_skipped,
)
from slack_sdk.errors import SlackApiError

from bot.runtime.context import ConfigurationError

_HINTS = {
    "SLACK_BOT_TOKEN": "use the Bot User OAuth Token (xoxb-…) from the app's OAuth & "
    "Permissions page, and reinstall the app if it was revoked",
    "SLACK_APP_TOKEN": "use an app-level token (xapp-…) with the connections:write scope, "
    "from the app's Basic Information page",
}

_EXPECTED_WARNINGS = frozenset(
    {warning_client_prioritized_and_token_skipped(), warning_token_skipped()}
)


def quiet_expected_warnings(record: logging.LogRecord) -> bool:
    """A logging filter: False for Bolt's warnings about a token we chose not to pass."""
    return record.getMessage() not in _EXPECTED_WARNINGS


def bolt_logger(name: str) -> logging.Logger:
    """The logger given to Bolt, without its warnings about the token it is not given."""
    logger = logging.getLogger(name)
    logger.addFilter(quiet_expected_warnings)  # the same function once, however often
    return logger


@asynccontextmanager
async def reaching_slack(setting: str, *, base_url: str) -> AsyncIterator[None]:
    """Turn Slack refusing ``setting``'s token, or Slack out of reach, inside the block
    into one ``ConfigurationError``."""
    try:
        yield
    except SlackApiError as error:
        code = error.response.get("error", "refused")
        raise ConfigurationError(f"Slack refused {setting} ({code}): {_HINTS[setting]}") from None
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        reason = str(error) or type(error).__name__
        raise ConfigurationError(
            f"cannot reach Slack at {base_url}: {reason} (check the network, or SLACK_API_BASE_URL)"
        ) from None
