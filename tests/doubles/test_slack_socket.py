"""Socket Mode on the Slack double, driven by slack_sdk's own Socket Mode client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.web.async_client import AsyncWebClient

from tests.doubles.slack_api import SlackApiDouble
from tests.support.waiting import HANG_GUARD_SECONDS

APP_TOKEN = "xapp-1-test"


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(token="xoxb-test-token") as double:
        yield double


async def test_the_sdk_client_connects_and_is_greeted(slack: SlackApiDouble) -> None:
    client = SocketModeClient(
        app_token=APP_TOKEN, web_client=AsyncWebClient(base_url=slack.base_url)
    )
    try:
        await client.connect()
        await asyncio.wait_for(slack.socket_mode.connected.wait(), timeout=HANG_GUARD_SECONDS)
        assert await client.is_connected()
    finally:
        await client.close()
    assert slack.socket_mode.greeted == 1
    assert slack.last("apps.connections.open").headers["Authorization"] == f"Bearer {APP_TOKEN}"


async def test_a_bot_token_cannot_open_a_connection(slack: SlackApiDouble) -> None:
    client = AsyncWebClient(base_url=slack.base_url, token="xoxb-test-token")
    with pytest.raises(SlackApiError) as refused:
        await client.apps_connections_open(app_token="xoxb-test-token")
    assert refused.value.response["error"] == "not_allowed_token_type"
