"""Persistence for nps-bot: tables, queries, migrations. Imports nothing from the bot."""
