"""Discord as an adapter plugin: connects with ``DISCORD_TOKEN`` until cancelled."""

from __future__ import annotations

from collections.abc import Mapping

import discord

from adapters.discord.cli import discord_app
from adapters.discord.client import NpsClient
from bot.pepper import ConfigurationError
from bot.services import Services
from bot.settings import Settings


class DiscordPlugin:
    """Serves the Discord gateway on the shared event loop.

    ``cli`` is the ``nps-bot discord …`` sub-app (``invite-url``, ``sync``). ``serve``
    requests the privileged members intent only when ``DISCORD_MEMBERS_INTENT`` is set
    (needed only to survey members by role; an option ``members_intent`` overrides it
    in tests). It returns when Discord
    closes the connection for good and, when cancelled, closes the client (gateway and
    HTTP session) before re-raising.
    """

    name = "discord"
    cli = discord_app

    def configured(self, settings: Settings) -> bool:
        return settings.discord_configured

    async def serve(self, services: Services, options: Mapping[str, object]) -> None:
        token = services.settings.discord_token
        if token is None:
            raise ConfigurationError("DISCORD_TOKEN is not set")
        members = options.get("members_intent", services.settings.discord_members_intent)
        client = NpsClient(services, members_intent=bool(members))
        async with client:
            try:
                await client.start(token.get_secret_value())
            except discord.PrivilegedIntentsRequired as error:
                raise ConfigurationError(
                    "Discord refused the Server Members Intent: enable it for this application "
                    "(Developer Portal → Bot → Privileged Gateway Intents) or start without it"
                ) from error
            except discord.LoginFailure as error:
                raise ConfigurationError("Discord refused DISCORD_TOKEN") from error
