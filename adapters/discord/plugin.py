"""Discord as an adapter plugin: connects with ``DISCORD_TOKEN`` until cancelled."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, nullcontext

import discord

from adapters.discord.cli import discord_app
from adapters.discord.client import NpsClient
from adapters.discord.reach import command_line_reach, guild_reach, refusals_as_configuration_errors
from bot.ports.reach import Reach
from bot.runtime.lifecycle import Lifecycle
from bot.runtime.pepper import ConfigurationError
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from bot.runtime.settings import Settings


class DiscordPlugin:
    """Serves the Discord gateway on the shared event loop.

    ``cli`` is the ``nps-bot discord …`` sub-app (``invite-url``, ``sync``). ``serve``
    requests the privileged members intent only when ``DISCORD_MEMBERS_INTENT`` is set
    (needed only to survey members by role; an option ``members_intent`` overrides it
    in tests). The option ``reaches`` (a :class:`~bot.runtime.reaches.Reaches`) learns every
    server the bot is in once the client is ready, and every server it joins later, so
    scheduled waves can DM their members (paced by ``DISCORD_DMS_PER_SECOND``). ``serve``
    returns when Discord closes the connection for good and, when cancelled, closes the
    client (gateway and HTTP session) before re-raising. With the option ``lifecycle`` (a
    :class:`~bot.runtime.lifecycle.Lifecycle`), the tasks the client runs handlers in count as
    work in flight, so a graceful stop lets them finish first.

    ``guild_ready_timeout`` is how long discord.py waits for more servers after the last
    one arrived before it reports ready.
    """

    name = "discord"
    cli = discord_app

    def __init__(self, *, guild_ready_timeout: float = 2.0) -> None:
        self._guild_ready_timeout = guild_ready_timeout

    def configured(self, settings: Settings) -> bool:
        return settings.discord_configured

    async def serve(self, services: Services, options: Mapping[str, object]) -> None:
        settings = services.settings
        token = settings.discord_token
        if token is None:
            raise ConfigurationError("DISCORD_TOKEN is not set")
        members = options.get("members_intent", settings.discord_members_intent)
        reaches = options.get("reaches")
        client: NpsClient

        async def announce(guild: discord.Guild) -> None:
            assert isinstance(reaches, Reaches)
            await reaches.connected(
                guild_reach(client, guild.id, admin_role_ids=settings.discord_admin_role_ids)
            )

        client = NpsClient(
            services,
            members_intent=bool(members),
            guild_ready_timeout=self._guild_ready_timeout,
            on_guild=announce if isinstance(reaches, Reaches) else None,
        )
        lifecycle = options.get("lifecycle")
        # The handlers of interactions run as tasks the client creates: a graceful stop
        # lets them finish.
        adopting = (
            lifecycle.inflight.adopting() if isinstance(lifecycle, Lifecycle) else nullcontext()
        )
        with adopting:
            async with client:
                with refusals_as_configuration_errors():
                    await client.start(token.get_secret_value())

    @asynccontextmanager
    async def open_reach(self, services: Services) -> AsyncIterator[Reach]:
        """A connection for command-line waves to the server ``DISCORD_GUILD_ID`` names,
        or to the bot's only server (``ConfigurationError`` otherwise)."""
        async with command_line_reach(
            services.settings, guild_ready_timeout=self._guild_ready_timeout
        ) as reach:
            yield reach


plugin = DiscordPlugin()
"""The instance the ``nps_bot.adapters`` entry point names."""
