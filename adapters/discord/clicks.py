"""Who clicked a component, checked before any use case runs.

A click in a server acts for that server. A click in a DM (a wave's prompt) names its
server in the custom id, which a forged click can set to anything, so it counts only
for a server this bot is in and a clicker who is a member of it.
"""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.messages import NO_MENTIONS
from adapters.discord.people import (
    admin_roles_of,
    labelled,
    member_of,
    person_from_interaction,
    services_of,
)
from bot.domain.people import Person


async def clicker(
    interaction: discord.Interaction[Any], tenant: str | None = None
) -> Person | None:
    """The clicker, labelled by their mapped roles, or None when a click in a DM names a
    server it may not act for.

    In a DM the server comes from the custom id, which a forged click can set to anything:
    it must be a server this bot is in and the clicker a member of it, or the click would
    act (and create a tenant) for a server the bot does not serve, or answer the survey of
    a server the clicker is not in. One member look-up, in DMs only, and one of the
    server too while the client knows it by id only.
    """
    member = member_of(interaction)
    if interaction.guild_id is None:
        guild = None if tenant is None else interaction.client.get_guild(int(tenant))
        if guild is None:
            return None
        try:
            if guild.unavailable:
                # Known by id only (its GUILD_CREATE, which brings the roles, has not
                # come): a member read against it would carry no roles, so no labels.
                guild = await interaction.client.fetch_guild(guild.id)
            member = await guild.fetch_member(interaction.user.id)
        except discord.HTTPException:
            return None
    person = person_from_interaction(
        interaction, admin_role_ids=admin_roles_of(interaction), tenant=tenant
    )
    return await labelled(person, member, services_of(interaction))


async def refuse_unknown_server(interaction: discord.Interaction[Any]) -> None:
    """Say privately that the click was refused; nothing else happens."""
    services = services_of(interaction)
    t = services.engine.translator_for(str(interaction.locale))
    await interaction.response.send_message(
        t("safety.unknown_server"), ephemeral=True, allowed_mentions=NO_MENTIONS
    )
