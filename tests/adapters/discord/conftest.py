"""Fixtures for the Discord adapter's scenario tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.adapters.discord.world import CAROL, GUILD
from tests.doubles.discord_api import DiscordDouble


@pytest.fixture
async def double() -> AsyncIterator[DiscordDouble]:
    """Discord on loopback with one server; Carol does not accept DMs."""
    async with DiscordDouble(guilds=[GUILD], closed_dm_user_ids={CAROL.id}) as dc:
        yield dc
