"""The Discord adapter (discord.py): slash commands, survey cards, private flows, DMs."""

from adapters.discord.plugin import DiscordPlugin

plugin = DiscordPlugin()

__all__ = ["plugin"]
