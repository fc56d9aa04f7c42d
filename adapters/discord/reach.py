"""Reaching a Discord server's members for survey waves.

A server (guild) is a tenant: its id, written in decimal, is both ``Reach.tenant`` and
the ``Person.tenant`` of everyone the adapter builds there, so answers given in the
server and to a DM prompt count for the same survey.

The command line reaches people through a short-lived gateway connection: the gateway's
READY event is the only place, besides a REST route that lists the bot's servers, where
Discord says which servers the bot is in. The connection uses a plain ``discord.Client``
that handles no events, so a bot serving at the same time keeps answering every click.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection, Iterator
from contextlib import asynccontextmanager, contextmanager

import aiohttp
import discord

from adapters.discord.intents import gateway_intents
from adapters.discord.messages import NO_MENTIONS
from adapters.discord.platform import DiscordPlatform, RoleMapping
from adapters.discord.reachability import connecting_to_discord
from adapters.discord.settings import DiscordSettings
from adapters.discord.voice import without_voice_notice
from bot.ports.platform import PlatformUnreachable
from bot.ports.reach import Reach
from bot.runtime.context import ConfigurationError

DISCORD_DMS_PER_SECOND = 0.5
"""How fast a wave DMs one server's members.

Discord publishes no quota for DMs, but its anti-spam measures flag bots that open many
DMs in a burst and may take away their right to send DMs at all. One DM every two
seconds (1,800 an hour) is far from a burst, and a wave has days to reach everyone.
"""


@contextmanager
def refusals_as_configuration_errors() -> Iterator[None]:
    """Turn Discord's refusals of the bot's own setup into ``ConfigurationError``."""
    try:
        yield
    except discord.PrivilegedIntentsRequired as error:
        raise ConfigurationError(
            "Discord refused the Server Members Intent: enable it for this application "
            "(Developer Portal → Bot → Privileged Gateway Intents) or start without it"
        ) from error
    except discord.LoginFailure as error:
        raise ConfigurationError("Discord refused DISCORD_TOKEN") from error


@contextmanager
def out_of_reach_as_configuration_error() -> Iterator[None]:
    """Turn Discord out of reach at the start of ``nps-bot run`` into one
    ``ConfigurationError`` line: the process cannot serve without a first connection.
    (Command-line waves raise ``PlatformUnreachable`` instead, and say what became of
    the wave.)"""
    try:
        yield
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        raise ConfigurationError(unreachable(error)) from None


def unreachable(error: BaseException) -> str:
    """The one line that says Discord could not be reached (DNS, refused, timed out)."""
    reason = str(error) or type(error).__name__
    return f"cannot reach Discord: {reason} (check the network)"


def guild_reach(
    client: discord.Client,
    guild_id: int,
    *,
    admin_role_ids: Collection[str],
    role_labels: RoleMapping,
) -> Reach:
    """The reach of server ``guild_id`` through ``client``, paced for DMs; the people it
    lists carry the labels of ``role_labels``' mapping of their roles."""
    tenant = str(guild_id)
    platform = DiscordPlatform(
        client, tenant=tenant, admin_role_ids=admin_role_ids, role_labels=role_labels
    )
    return Reach(platform=platform, tenant=tenant, per_second=DISCORD_DMS_PER_SECOND)


def choose_guild(guild_ids: Collection[int], *, configured: int | None) -> int:
    """The server command-line waves speak for: ``configured`` (``DISCORD_GUILD_ID``)
    when set, else the bot's only server.

    Raises ``ConfigurationError`` when ``configured`` is not one of ``guild_ids``, or
    when it is unset and the bot is in no server or in several.
    """
    if configured is not None:
        if configured not in guild_ids:
            raise ConfigurationError(
                f"DISCORD_GUILD_ID is {configured}, a server the bot is not in"
            )
        return configured
    if len(guild_ids) == 1:
        return next(iter(guild_ids))
    if not guild_ids:
        raise ConfigurationError(
            "the bot is in no Discord server: add it with the link from "
            "`nps-bot discord invite-url`"
        )
    raise ConfigurationError(
        f"the bot is in {len(guild_ids)} Discord servers: set DISCORD_GUILD_ID to the one to survey"
    )


@asynccontextmanager
async def command_line_reach(
    settings: DiscordSettings, *, role_labels: RoleMapping, guild_ready_timeout: float = 2.0
) -> AsyncIterator[Reach]:
    """Connect with ``DISCORD_TOKEN``, wait until ready and yield the chosen server's reach
    (see ``choose_guild``); the connection is closed on exit.

    The members intent is requested as ``DISCORD_MEMBERS_INTENT`` says, since a role
    audience needs it. Refusals of the token or the intent raise ``ConfigurationError``;
    Discord out of reach (its API or its gateway) raises ``PlatformUnreachable``.
    """
    if settings.token is None:
        raise ConfigurationError("DISCORD_TOKEN is not set")
    without_voice_notice()
    client = discord.Client(
        intents=gateway_intents(members=settings.members_intent),
        allowed_mentions=NO_MENTIONS,
        guild_ready_timeout=guild_ready_timeout,
        chunk_guilds_at_startup=False,
    )
    async with client:
        with refusals_as_configuration_errors(), connecting_to_discord():
            await client.login(settings.token.get_secret_value())
        connection = asyncio.create_task(client.connect(reconnect=False))
        try:
            with connecting_to_discord():
                await _until_ready(client, connection)
            guild_id = choose_guild(
                [guild.id for guild in client.guilds], configured=settings.guild_id
            )
            yield guild_reach(
                client, guild_id, admin_role_ids=settings.admin_role_ids, role_labels=role_labels
            )
        finally:
            await client.close()
            # Its failure, if any, was raised by ``_until_ready`` already.
            await asyncio.gather(connection, return_exceptions=True)


@asynccontextmanager
async def rest_platform(
    settings: DiscordSettings, *, tenant: str
) -> AsyncIterator[DiscordPlatform]:
    """Server ``tenant`` through Discord's REST API alone: the client logs in (one call)
    and never connects to the gateway, so it holds no servers and fetches what it is
    asked for; its HTTP session is closed on exit. Enough for what needs no events
    (channel names); the same refusals and outages are raised as by
    `command_line_reach`."""
    if settings.token is None:
        raise ConfigurationError("DISCORD_TOKEN is not set")
    without_voice_notice()
    client = discord.Client(intents=gateway_intents(), allowed_mentions=NO_MENTIONS)
    async with client:
        with refusals_as_configuration_errors(), connecting_to_discord():
            await client.login(settings.token.get_secret_value())
        yield DiscordPlatform(client, tenant=tenant, admin_role_ids=settings.admin_role_ids)


async def _until_ready(client: discord.Client, connection: asyncio.Task[None]) -> None:
    """Wait until ``client`` is ready; raise why when ``connection`` ends first."""
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        await asyncio.wait({ready, connection}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        ready.cancel()
    if client.is_ready():
        return
    with refusals_as_configuration_errors():
        await connection
    raise PlatformUnreachable("Discord closed the connection before it was ready")
