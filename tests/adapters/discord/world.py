"""The Discord server the adapter's scenario tests run in, and helpers to drive it.

``card_command`` fills a gap of the double's payload builders: they type every option by
its Python value, while ``/nps survey card`` takes a channel option (type 7), which
Discord sends with the channel in ``data.resolved``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import select

from adapters.discord.client import NpsClient
from adapters.discord.settings import DiscordSettings
from bot.runtime.services import Services
from storage.models import Response
from tests.doubles.discord_api import DiscordDouble, ready_with_guilds
from tests.doubles.discord_payloads import (
    MANAGE_GUILD,
    ChannelSpec,
    GuildSpec,
    MemberSpec,
    RoleSpec,
    UserSpec,
    guild_channel_payload,
)

CHANNEL_OPTION = 7

OWNER = UserSpec(id=800_000_000_000_000_001, username="owner")
ADMIN = UserSpec(id=800_000_000_000_000_002, username="moderator")
ALICE = UserSpec(id=800_000_000_000_000_003, username="alice")
BOB = UserSpec(id=800_000_000_000_000_004, username="bob")
CAROL = UserSpec(id=800_000_000_000_000_005, username="carol")
STAFF = RoleSpec(id=810_000_000_000_000_001, name="staff", permissions=MANAGE_GUILD)
MEMBERS = RoleSpec(id=810_000_000_000_000_002, name="members")
GENERAL = ChannelSpec(id=820_000_000_000_000_001, name="general")
FEEDBACK = ChannelSpec(id=820_000_000_000_000_002, name="feedback")
GUILD = GuildSpec(
    id=1_234_567_890_123_456_789,
    name="Community",
    owner_id=OWNER.id,
    preferred_locale="en-US",
    roles=(STAFF, MEMBERS),
    channels=(GENERAL, FEEDBACK),
    members=(
        MemberSpec(user=OWNER),
        MemberSpec(user=ADMIN, role_ids=(STAFF.id,)),
        MemberSpec(user=ALICE, role_ids=(MEMBERS.id,)),
        MemberSpec(user=BOB, role_ids=(MEMBERS.id,)),
        MemberSpec(user=CAROL),
    ),
)

# A second server the bot is in: Dave owns it, Bob is in both.
DAVE = UserSpec(id=800_000_000_000_000_009, username="dave")
OTHER = GuildSpec(
    id=1_111_111_111_111_111_111,
    name="Elsewhere",
    owner_id=DAVE.id,
    channels=(ChannelSpec(id=820_000_000_000_000_009, name="lobby"),),
    members=(MemberSpec(user=DAVE), MemberSpec(user=BOB)),
)


def card_command(
    double: DiscordDouble, *, user: UserSpec, channel: ChannelSpec, locale: str = "en-US"
) -> dict[str, Any]:
    """``/nps survey card channel:#channel`` as Discord sends it."""
    payload = double.payloads.slash_command(
        "nps survey card",
        user=user,
        guild=GUILD,
        options={"channel": str(channel.id)},
        locale=locale,
    )
    [group] = payload["data"]["options"]
    [card] = group["options"]
    card["options"] = [{"name": "channel", "type": CHANNEL_OPTION, "value": str(channel.id)}]
    resolved = {**guild_channel_payload(GUILD, channel), "permissions": "0"}
    payload["data"]["resolved"] = {"channels": {str(channel.id): resolved}}
    return payload


@asynccontextmanager
async def connected(
    double: DiscordDouble, services: Services, *, members_intent: bool = False
) -> AsyncIterator[NpsClient]:
    """The adapter's client logged in to ``double`` and ready; closed afterwards."""
    client = NpsClient(services, members_intent=members_intent, guild_ready_timeout=0.05)
    await client.login(double.token)
    connection = asyncio.create_task(client.connect(reconnect=False))
    try:
        await ready_with_guilds(client)
        yield client
    finally:
        await client.close()
        await connection


async def stored_responses(services: Services) -> list[Response]:
    async with services.database.transaction() as session:
        return list((await session.execute(select(Response))).scalars())


def with_token(token: str, **changes: Any) -> DiscordSettings:
    """Discord settings holding ``token`` as ``DISCORD_TOKEN`` (and ``changes``), read from
    no environment."""
    return DiscordSettings(_env_file=None, token=token, **changes)
