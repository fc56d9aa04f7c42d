"""Fixtures for the Discord adapter's scenario tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.discord.client import NpsClient
from bot.runtime.services import Services
from tests.adapters.discord.world import CAROL, GUILD, OTHER, connected
from tests.doubles.discord_api import DiscordDouble


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    """Discord on loopback with one server; Carol does not accept DMs."""
    async with DiscordDouble(guilds=[GUILD], closed_dm_user_ids={CAROL.id}) as dc:
        yield dc


@pytest.fixture
async def two_servers() -> AsyncIterator[DiscordDouble]:
    """Discord on loopback with the bot in two servers (see ``world.OTHER``)."""
    async with DiscordDouble(guilds=[GUILD, OTHER]) as dc:
        yield dc


@pytest.fixture
async def client(two_servers: DiscordDouble, services: Services) -> AsyncIterator[NpsClient]:
    """The adapter's client, logged in to ``two_servers``."""
    async with connected(two_servers, services) as running:
        yield running
