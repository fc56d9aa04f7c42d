"""Slack out of reach, as the port says it: `PlatformUnreachable` after the SDK's retries.

A connection that cannot be made, or server errors left after slack_sdk's retries, on
any call but a message post that may have happened (that one stays `DeliveryUncertain`,
to be looked up before any resend). A refusal Slack answered is not an outage.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.ports.platform import DeliveryUncertain, PlatformUnreachable
from bot.views.common import Notice
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser

TOKEN = "xoxb-unreachable-test-token"
ANN = "U0ANN0001"


@pytest.fixture
async def slack() -> AsyncIterator[SlackApiDouble]:
    async with SlackApiDouble(token=TOKEN) as double:
        double.workspace.add_user(SlackUser(id=ANN, name="ann", tz="UTC"))
        yield double


@pytest.fixture
def platform(slack: SlackApiDouble) -> SlackPlatform:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    return SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))


async def test_every_call_to_a_stopped_api_is_unreachable(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    await slack.close()

    with pytest.raises(PlatformUnreachable, match="cannot connect"):
        await platform.send_direct(ANN, Notice("hello"), nonce="n" * 32)
    with pytest.raises(PlatformUnreachable):
        await platform.find_direct(ANN, "n" * 32)
    with pytest.raises(PlatformUnreachable):
        await platform.list_audience({"everyone": ""})
    with pytest.raises(PlatformUnreachable):
        await platform.post_to_channel("C0DIGEST1", Notice("digest"))


async def test_server_errors_left_after_the_retries_are_unreachable(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    slack.faults.server_errors(fraction=1.0, methods=["users.list"])

    with pytest.raises(PlatformUnreachable, match="HTTP 503"):
        await platform.list_audience({"everyone": ""})
    assert len(slack.calls("users.list")) > 1  # the SDK retried first


async def test_a_post_answered_by_a_server_error_stays_uncertain(
    slack: SlackApiDouble, platform: SlackPlatform
) -> None:
    slack.faults.server_errors(fraction=1.0, methods=["chat.postMessage"])

    with pytest.raises(DeliveryUncertain):
        await platform.send_direct(ANN, Notice("hello"), nonce="n" * 32)


async def test_a_refusal_is_not_an_outage(slack: SlackApiDouble, platform: SlackPlatform) -> None:
    slack.faults.fail("chat.update", "message_not_found")

    with pytest.raises(SlackApiError):
        await platform.update_message("D0ANN0001:1.000", Notice("closed"))
