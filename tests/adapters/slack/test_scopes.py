"""The app works with the scopes its manifest grants, and says at start-up which it lacks."""

from __future__ import annotations

import logging

import pytest

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from adapters.slack.scopes import BOT_SCOPES
from bot.views.common import Notice
from tests.adapters.slack.conftest import TOKEN
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.doubles.slack_scopes import manifest_scopes


def platform_of(slack: SlackApiDouble) -> SlackPlatform:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    return SlackPlatform(client, people=SlackPeople(client, admin_ids=()))


def test_the_code_asks_for_exactly_the_manifest_bot_scopes() -> None:
    assert frozenset(BOT_SCOPES) == manifest_scopes()
    assert "im:history" in BOT_SCOPES  # find_direct reads the DM's history


async def test_an_invitation_is_found_in_its_dm_with_the_manifest_scopes_alone() -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        slack.workspace.add_user(SlackUser(id="U0ANN0001", name="ann"))
        platform = platform_of(slack)
        sent = await platform.send_direct("U0ANN0001", Notice("hello"), nonce="n" * 32)
        fresh = platform_of(slack)  # a restarted process knows no DM channel yet

        assert await fresh.find_direct("U0ANN0001", "n" * 32) == sent
        assert all(call.error != "missing_scope" for call in slack.calls())


async def test_start_up_names_the_scopes_the_token_lacks_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    granted = [scope for scope in BOT_SCOPES if scope not in {"im:history", "usergroups:read"}]
    async with SlackApiDouble(token=TOKEN, scopes=granted) as slack:
        with caplog.at_level(logging.WARNING):
            await platform_of(slack).team_id()

    [line] = [record for record in caplog.records if "scope" in record.getMessage()]
    assert "im:history, usergroups:read" in line.getMessage()
    assert line.exc_info is None


async def test_start_up_is_quiet_when_every_scope_is_granted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        with caplog.at_level(logging.WARNING):
            await platform_of(slack).team_id()

    assert not [record for record in caplog.records if "scope" in record.getMessage()]
