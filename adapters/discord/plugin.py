"""Discord as an adapter plugin: connects with ``DISCORD_TOKEN`` until cancelled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord

from adapters.discord.client import NpsClient
from adapters.discord.expiry import waits_for_a_view_to_expire
from adapters.discord.reach import (
    command_line_reach,
    guild_reach,
    out_of_reach_as_configuration_error,
    refusals_as_configuration_errors,
    rest_platform,
)
from adapters.discord.settings import DiscordSettings
from bot.ports.platform import Platform
from bot.ports.reach import Reach
from bot.runtime.context import ConfigurationError, RuntimeContext, Services, load_settings


class DiscordPlugin:
    """Serves the Discord gateway on the shared event loop.

    Reads :class:`DiscordSettings` from the environment whenever it needs them, unless
    constructed with ``settings``. ``serve`` requests the privileged members intent only
    when ``DISCORD_MEMBERS_INTENT`` is set (needed only to survey members by role). The
    context's ``reaches`` learns every server the bot is in once the client is ready,
    and every server it joins later, so scheduled waves can DM their members (paced by
    ``DISCORD_DMS_PER_SECOND``). ``serve`` returns when Discord closes the connection
    for good and, when cancelled, closes the client (gateway and HTTP session) before
    re-raising. The tasks the client runs handlers in count as the lifecycle's work in
    flight, so a graceful stop lets them finish first.

    ``guild_ready_timeout`` is how long discord.py waits for more servers after the last
    one arrived before it reports ready.
    """

    name = "discord"

    def __init__(
        self, settings: DiscordSettings | None = None, *, guild_ready_timeout: float = 2.0
    ) -> None:
        self._given = settings
        self._guild_ready_timeout = guild_ready_timeout

    def _settings(self) -> DiscordSettings:
        return self._given if self._given is not None else load_settings(DiscordSettings)

    def configured(self) -> bool:
        return self._settings().configured

    async def serve(self, context: RuntimeContext) -> None:
        settings = self._settings()
        if settings.token is None:
            raise ConfigurationError("DISCORD_TOKEN is not set")
        client: NpsClient

        async def announce(guild: discord.Guild) -> None:
            await context.reaches.connected(
                guild_reach(
                    client,
                    guild.id,
                    admin_role_ids=settings.admin_role_ids,
                    role_labels=context.services.role_labels,
                )
            )

        client = NpsClient(
            context.services,
            members_intent=settings.members_intent,
            admin_role_ids=settings.admin_role_ids,
            guild_ready_timeout=self._guild_ready_timeout,
            on_guild=announce,
        )
        # The handlers of interactions run as tasks the client creates: a graceful stop
        # lets them finish. A prompt or form left open is no work: its expiry is not waited for.
        with context.lifecycle.inflight.adopting(idle=waits_for_a_view_to_expire):
            async with client:
                with refusals_as_configuration_errors(), out_of_reach_as_configuration_error():
                    await client.start(settings.token.get_secret_value())

    @asynccontextmanager
    async def open_reach(self, services: Services) -> AsyncIterator[Reach]:
        """A connection for command-line waves to the server ``DISCORD_GUILD_ID`` names,
        or to the bot's only server (``ConfigurationError`` otherwise)."""
        async with command_line_reach(
            self._settings(),
            role_labels=services.role_labels,
            guild_ready_timeout=self._guild_ready_timeout,
        ) as reach:
            yield reach

    @asynccontextmanager
    async def open_channel_names(self, services: Services, tenant: str) -> AsyncIterator[Platform]:
        """Channel names of server ``tenant`` through Discord's REST API alone: no
        gateway connection, which would take seconds and count against Discord's daily
        limit of logins."""
        async with rest_platform(self._settings(), tenant=tenant) as platform:
            yield platform


plugin = DiscordPlugin()
"""The instance the ``nps_bot.adapters`` entry point names."""
