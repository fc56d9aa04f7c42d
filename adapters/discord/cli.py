"""``nps-bot discord …``: the install link and the slash-command sync.

Both are operator tasks run once per install or upgrade, so the bot itself never
re-syncs its commands on start-up (Discord rate-limits command updates).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Annotated, Any, NoReturn, TypeVar

import aiohttp
import discord
import typer
from discord import app_commands

from adapters.discord.client import install_commands
from adapters.discord.intents import gateway_intents
from adapters.discord.reach import unreachable
from adapters.discord.settings import DiscordSettings
from adapters.discord.voice import without_voice_notice
from bot.i18n import Catalogs, Translator
from bot.runtime.context import ConfigurationError, Settings, load_settings

SCOPES = ("bot", "applications.commands")
T = TypeVar("T")

# Plain help and no completion flags, as every other group of the command line.
discord_app = typer.Typer(
    help="Discord: the install link and the slash-command sync.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def bot_permissions() -> discord.Permissions:
    """Exactly what the bot uses: see channels, post cards and digests, embeds, charts.

    Replies to commands and buttons are interaction responses, which need no permission.
    """
    return discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, attach_files=True
    )


def invite_link(application_id: int) -> str:
    """The OAuth2 link that installs the bot with ``bot_permissions`` and slash commands."""
    return discord.utils.oauth_url(application_id, permissions=bot_permissions(), scopes=SCOPES)


async def fetch_application_id(token: str) -> int:
    """The application id behind a bot token (one REST login, no gateway connection)."""
    without_voice_notice()
    async with discord.Client(intents=gateway_intents()) as client:
        await client.login(token)
        if client.application_id is None:
            raise RuntimeError("Discord did not say which application this token belongs to")
        return client.application_id


async def sync_commands(
    token: str, catalogs: Catalogs, *, guild_id: int | None = None
) -> list[app_commands.AppCommand]:
    """Register ``/nps`` globally, or in one server only (instant; for trying changes).

    Syncing to a server copies the global commands there: sync a server only while the
    global commands are not registered too, or the server shows each command twice.
    """
    without_voice_notice()
    async with discord.Client(intents=gateway_intents()) as client:
        tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
        await client.login(token)
        await install_commands(tree, catalogs)
        guild = None if guild_id is None else discord.Object(id=guild_id)
        if guild is not None:
            tree.copy_global_to(guild=guild)
        return await tree.sync(guild=guild)


@discord_app.command("invite-url")
def invite_url(
    application_id: Annotated[
        int | None,
        typer.Option(
            envvar="DISCORD_APPLICATION_ID",
            help="The application id; fetched with DISCORD_TOKEN when not given.",
        ),
    ] = None,
) -> None:
    """Print the link that adds the bot to a server with the permissions it needs."""
    if application_id is None:
        token = _token()
        application_id = _run(fetch_application_id(token))
    typer.echo(invite_link(application_id))


@discord_app.command("sync")
def sync(
    guild: Annotated[
        int | None, typer.Option(help="Register in this server only (appears at once).")
    ] = None,
) -> None:
    """Register the /nps slash commands with Discord, then exit."""
    token = _token()
    t = _words()
    synced = _run(sync_commands(token, Catalogs(), guild_id=guild))
    where = t("cli.discord.globally") if guild is None else t("cli.discord.in_server", guild=guild)
    names = ", ".join(command.name for command in synced)
    typer.echo(t.plural("cli.discord.synced", len(synced), where=where, names=names))


def _words() -> Translator:
    """The command line's words, in the installation's default language, as every
    ``nps-bot`` command speaks."""
    try:
        settings = load_settings(Settings)
    except ConfigurationError as error:
        _fail(str(error))
    return Catalogs().translator(settings.default_locale)


def _token() -> str:
    try:
        settings = load_settings(DiscordSettings)
    except ConfigurationError as error:
        _fail(str(error))
    if settings.token is None:
        _fail("DISCORD_TOKEN is not set")
    return settings.token.get_secret_value()


def _run(work: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(work)
    except discord.LoginFailure:
        _fail("Discord refused DISCORD_TOKEN")
    except discord.HTTPException as error:
        _fail(f"Discord refused the request: {error}")
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        _fail(unreachable(error))


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)
