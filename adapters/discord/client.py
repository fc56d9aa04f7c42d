"""The Discord client: the ``/nps`` command tree and persistent buttons.

The client asks for the gateway intents of :mod:`adapters.discord.intents`, with the
privileged members intent only when ``members_intent`` is true.

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
from adapters.discord.components import DYNAMIC_ITEMS, submit_reason
from adapters.discord.intents import gateway_intents
from adapters.discord.messages import NO_MENTIONS
from adapters.discord.reason_modal import is_reason_submit
from adapters.discord.replies import REPLY_ITEMS, is_answer_submit, submit_answer
from adapters.discord.voice import without_voice_notice
from bot.i18n import Catalogs
from bot.runtime.context import Services

log = logging.getLogger(__name__)

GuildListener = Callable[[discord.Guild], Awaitable[None]]


async def install_commands(tree: app_commands.CommandTree[Any], catalogs: Catalogs) -> None:
    """Put ``/nps`` on ``tree`` with its Japanese localizations (used to serve and to sync)."""
    await tree.set_translator(CatalogTranslator(catalogs))
    tree.add_command(nps_group(catalogs))


class NpsClient(discord.Client):
    """A ``discord.Client`` wired to the engine through ``services``.

    ``members_intent`` asks for the privileged members intent (see
    :mod:`adapters.discord.intents`). Members of ``admin_role_ids`` are admins besides
    Manage Server holders.
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
        without_voice_notice()
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
        self.add_dynamic_items(*DYNAMIC_ITEMS, *ADMIN_ITEMS, *REPLY_ITEMS)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        # discord.py only routes modal submits to modals it still holds in memory; reason
        # modals are handled here for every submit, so they survive a restart too.
        if is_reason_submit(interaction):
            await submit_reason(interaction)
        elif is_answer_submit(interaction):
            await submit_answer(interaction)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d servers", self.user, len(self.guilds))
        if self._on_guild is not None:
            for guild in self.guilds:
                await self._on_guild(guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        log.info("joined Discord server %s", guild.id)
        if self._on_guild is not None:
            await self._on_guild(guild)
