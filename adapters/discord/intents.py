"""The gateway intents the bot asks for, for serving and for short command-line connections.

Intents are the minimum: ``guilds`` only (channels and roles for the command tree's
channel option and the admin-role check); interactions need no intent. The privileged
members intent is requested only when ``members`` is true, which a server needs only to
survey members by role (``DiscordPlatform.list_audience``); it must then also be enabled
for the application (Developer Portal → Bot → Server Members Intent), or Discord refuses
the connection. Members are then paged over REST when needed, never cached at start-up.
"""

from __future__ import annotations

import discord


def gateway_intents(*, members: bool = False) -> discord.Intents:
    """The only gateway intents the bot asks for."""
    return discord.Intents(guilds=True, members=members)
