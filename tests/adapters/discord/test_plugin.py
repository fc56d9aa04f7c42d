"""The plugin and the ``nps-bot discord`` commands against the double."""

from __future__ import annotations

import asyncio
from importlib.metadata import entry_points
from urllib.parse import parse_qs, urlparse

import discord
from typer.testing import CliRunner

from adapters.discord.cli import bot_permissions, discord_app, fetch_application_id, sync_commands
from adapters.discord.intents import gateway_intents
from adapters.discord.plugin import DiscordPlugin, plugin
from adapters.discord.settings import DiscordSettings
from bot.cli.adapters import ENTRY_POINT_GROUP as COMMANDS
from bot.ports.reach import Reach
from bot.runtime.plugins import discover
from bot.runtime.reaches import Reaches
from bot.runtime.services import Services
from tests.adapters.discord.world import ALICE, CAROL, GUILD, MEMBERS, with_token
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import ATTACH_FILES, EMBED_LINKS, SEND_MESSAGES, VIEW_CHANNEL
from tests.support.runtime import runtime_context
from tests.support.waiting import HANG_GUARD_SECONDS


def test_the_plugin_is_found_by_name_and_needs_a_token() -> None:
    assert discover()["discord"] is plugin
    [commands] = entry_points(group=COMMANDS, name="discord")
    assert commands.load() is discord_app
    assert not DiscordPlugin(DiscordSettings(_env_file=None)).configured()
    assert DiscordPlugin(with_token("x")).configured()


async def test_serve_connects_with_only_the_guilds_intent_and_closes_when_cancelled(
    double: DiscordDouble, services: Services
) -> None:
    configured = DiscordPlugin(with_token(double.token))
    serving = asyncio.create_task(configured.serve(runtime_context(services)))
    identify = await double.identifies.wait_for(0)
    serving.cancel()
    done, _ = await asyncio.wait({serving}, timeout=HANG_GUARD_SECONDS)
    assert done and serving.cancelled()
    assert identify["intents"] == gateway_intents().value == discord.Intents(guilds=True).value
    assert double.command_syncs.__len__() == 0  # start-up never syncs the tree


async def test_members_of_the_configured_admin_roles_are_admins(
    double: DiscordDouble, services: Services
) -> None:
    ready = asyncio.Event()

    async def announced(reach: Reach) -> None:
        ready.set()

    reaches = Reaches()
    reaches.subscribe(announced)
    plugin = DiscordPlugin(
        with_token(double.token, admin_role_ids=str(MEMBERS.id)), guild_ready_timeout=0.05
    )
    serving = asyncio.create_task(plugin.serve(runtime_context(services, reaches=reaches)))
    try:
        async with asyncio.timeout(HANG_GUARD_SECONDS):
            await ready.wait()
        answers = []
        for user in (ALICE, CAROL):  # Alice has the role, Carol none
            record = await double.dispatch_interaction(
                double.payloads.slash_command("nps report", user=user, guild=GUILD)
            )
            answers.append(str((await record.followups.wait_for(0)).body.json))
    finally:
        serving.cancel()
        await asyncio.wait({serving}, timeout=HANG_GUARD_SECONDS)
    refused = services.catalogs.translator("en")("report.not_allowed")
    assert [refused in answer for answer in answers] == [False, True]


async def test_sync_registers_nps_with_japanese_descriptions(
    double: DiscordDouble, services: Services
) -> None:
    synced = await sync_commands(double.token, services.catalogs)
    in_guild = await sync_commands(double.token, services.catalogs, guild_id=GUILD.id)
    [command] = double.synced_commands()
    assert [c.name for c in synced] == [c.name for c in in_guild] == ["nps"]
    assert [s.guild_id for s in double.command_syncs] == [None, GUILD.id]
    ja = services.catalogs.translator("ja")
    assert command["description_localizations"]["ja"] == ja("discord.command.nps")
    names = {o["name"] for o in command["options"]}
    assert names == {
        "answer",
        "optout",
        "optin",
        "privacy",
        "forget-me",
        "help",
        "report",
        "survey",
        "segments",
        "actions",
        "reply",
        "replies",
    }
    assert command["contexts"] == [0]  # servers only


async def test_the_application_id_is_fetched_with_the_token(double: DiscordDouble) -> None:
    assert await fetch_application_id(double.token) == double.application_id


def test_invite_url_asks_for_exactly_the_needed_permissions() -> None:
    result = CliRunner().invoke(discord_app, ["invite-url", "--application-id", "42"])
    assert result.exit_code == 0, result.output
    query = parse_qs(urlparse(result.output.strip()).query)
    assert query["client_id"] == ["42"]
    assert query["scope"] == ["bot applications.commands"]
    assert (
        int(query["permissions"][0])
        == bot_permissions().value
        == (VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES)
    )
