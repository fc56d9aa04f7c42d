"""Discord out of reach, as the port says it: a disconnected client raises
`PlatformUnreachable`, which scheduled work logs once, not a traceback every tick."""

from __future__ import annotations

import pytest

from adapters.discord.platform import DiscordPlatform
from bot.ports.platform import PlatformUnreachable
from bot.runtime.services import Services
from bot.views.common import Notice
from tests.adapters.discord.world import ALICE, FEEDBACK, GUILD, connected
from tests.doubles.discord_api import DiscordDouble


async def test_every_call_through_a_disconnected_client_is_unreachable(
    double: DiscordDouble, services: Services
) -> None:
    async with connected(double, services) as client:
        platform = DiscordPlatform(client, tenant=str(GUILD.id))
        await platform.send_direct(str(ALICE.id), Notice("before"))
    # Left the block: the client is closed, as after a disconnection it gave up on.

    with pytest.raises(PlatformUnreachable, match="disconnected"):
        await platform.send_direct(str(ALICE.id), Notice("after"))
    with pytest.raises(PlatformUnreachable):
        await platform.post_to_channel(str(FEEDBACK.id), Notice("digest"))
    with pytest.raises(PlatformUnreachable):
        await platform.profile(str(ALICE.id))
    assert len(double.messages_to(ALICE.id)) == 1
