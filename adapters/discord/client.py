"""The Discord client: gateway intents, the ``/nps`` command tree and persistent buttons.

Intents are the minimum: ``guilds`` only (channels and roles for the command tree's
channel option and the admin-role check); interactions need no intent. The privileged
members intent is requested only when ``members_intent`` is true, which a server needs
only to survey members by role (``DiscordPlatform.list_audience``); it must then also be
enabled for the application (Developer Portal → Bot → Server Members Intent), or Discord
refuses the connection. Members are then paged over REST when needed, never cached at
start-up.

Start-up does not sync the command tree (Discord rate-limits that and it rarely changes):
run ``nps-bot discord sync`` after installing or upgrading.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any

import discord
from discord import app_commands

from adapters.discord.admin_components import ADMIN_ITEMS
from adapters.discord.commands import CatalogTranslator, nps_group
from adapters.discord.components import DYNAMIC_ITEMS, NO_MENTIONS, is_reason_submit, submit_reason
from bot.i18n import Catalogs
from bot.runtime.context import Services

log = logging.getLogger(__name__)

GuildListener = Callable[[discord.Guild], Awaitable[None]]


def gateway_intents(*, members: bool = False) -> discord.Intents:
    """The only gateway intents the bot asks for."""
    return discord.Intents(guilds=True, members=members)


async def install_commands(tree: app_commands.CommandTree[Any], catalogs: Catalogs) -> None:
    """Put ``/nps`` on ``tree`` with its Japanese localizations (used to serve and to sync)."""
    await tree.set_translator(CatalogTranslator(catalogs))
    tree.add_command(nps_group(catalogs))


class NpsClient(discord.Client):
    """A ``discord.Client`` wired to the engine through ``services``.

    ``members_intent`` asks for the privileged members intent (see the module
    docstring). Members of ``admin_role_ids`` are admins besides Manage Server holders.
    ``guild_ready_timeout`` is how long discord.py waits for more servers after the
    last one arrives before it reports ready. ``on_guild`` is awaited for every server the
    bot is in once the client is ready, and for every server it joins later; a reconnect
    that starts a new session reports them all again, so it must tolerate repeats.
    """

    def __init__(
        self,
        services: Services,
        *,
        members_intent: bool = False,
        admin_role_ids: Collection[str] = (),
        guild_ready_timeout: float = 2.0,
        on_guild: GuildListener | None = None,
    ) -> None:
        super().__init__(
            intents=gateway_intents(members=members_intent),
            allowed_mentions=NO_MENTIONS,
            guild_ready_timeout=guild_ready_timeout,
            chunk_guilds_at_startup=False,
        )
        self.services = services
        self.admin_role_ids = admin_role_ids
        self._on_guild = on_guild
        self.tree: app_commands.CommandTree[NpsClient] = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        await install_commands(self.tree, self.services.catalogs)
        self.add_dynamic_items(*DYNAMIC_ITEMS, *ADMIN_ITEMS)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        # discord.py only routes modal submits to modals it still holds in memory; reason
        # modals are handled here for every submit, so they survive a restart too.
        if is_reason_submit(interaction):
            await submit_reason(interaction)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d servers", self.user, len(self.guilds))
        if self._on_guild is not None:
            for guild in self.guilds:
                await self._on_guild(guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        log.info("joined Discord server %s", guild.id)
        if self._on_guild is not None:
            await self._on_guild(guild)
