"""One ``world`` fixture, run once per platform held to the contract.

The Discord world runs the adapter's own client, which is built from the services;
the contract concerns no stored data, so those services sit on SQLite only (this
``database_url`` replaces the shared one that runs every test on both databases).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime.services import Services
from tests.adapters.discord.world import CAROL, GUILD, connected
from tests.contract.worlds import SLACK_TOKEN, DiscordWorld, RecordingWorld, SlackWorld, World
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.slack_api import SlackApiDouble

PLATFORMS = ("recording", "slack", "discord")


@pytest.fixture(params=PLATFORMS)
def world(request: pytest.FixtureRequest) -> World:
    world: World = request.getfixturevalue(f"{request.param}_world")
    return world


@pytest.fixture
def recording_world() -> RecordingWorld:
    return RecordingWorld()


@pytest.fixture
async def slack_world() -> AsyncIterator[SlackWorld]:
    async with SlackApiDouble(token=SLACK_TOKEN) as double:
        yield SlackWorld(double)


@pytest.fixture
async def discord_world(services: Services) -> AsyncIterator[DiscordWorld]:
    async with (
        DiscordDouble(guilds=[GUILD], closed_dm_user_ids={CAROL.id}) as double,
        connected(double, services) as client,
    ):
        yield DiscordWorld(double, client)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
