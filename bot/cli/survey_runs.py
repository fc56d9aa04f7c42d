"""What every ``nps-bot survey …`` command shares: its options, one error line, and a
run of the services (see :mod:`bot.cli.surveys`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console

from bot.cli.scope import UnknownTenant, check_platform, resolve_tenant
from bot.domain.errors import SurveyError
from bot.i18n import Catalogs, Translator
from bot.runtime.plugins import ReachProvider, load_plugin
from bot.runtime.services import Services, build_services
from bot.runtime.settings import ConfigurationError, Settings, load_settings
from storage.database import DatabaseError

out = Console()
err = Console(stderr=True)
T = TypeVar("T")

Platform = Annotated[
    str, typer.Option(help="The platform: slack, discord or console.", callback=check_platform)
]
Tenant = Annotated[
    str | None,
    typer.Option(
        help="The workspace or guild id (not needed for the console, nor when only one is known)."
    ),
]
Name = Annotated[str, typer.Option("--survey", help="The survey's name.")]


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def settings() -> Settings:
    try:
        return load_settings(Settings)
    except ConfigurationError as error:
        fail(str(error))


def words() -> Translator:
    """The command line's words, in the installation's default language."""
    return Catalogs().translator(settings().default_locale)


def run(use: Callable[[Services], Awaitable[T]], *, migrate: bool = True) -> T:
    """Run ``use`` with the services; ``migrate=False`` for the commands that only read
    (they create no database where there is none)."""

    async def work() -> T:
        services = await build_services(settings(), migrate=migrate)
        try:
            return await use(services)
        finally:
            await services.database.dispose()

    try:
        return asyncio.run(work())
    except (ConfigurationError, DatabaseError, SurveyError, UnknownTenant) as error:
        fail(str(error))


async def tenant_named(services: Services, platform: str, tenant: str | None) -> str:
    async with services.database.transaction() as session:
        return await resolve_tenant(session, platform=platform, tenant=tenant)


def delivering(platform: str) -> ReachProvider:
    """The plugin of ``platform`` if it can reach people from the command line."""
    plugin = load_plugin(platform)
    if not isinstance(plugin, ReachProvider):
        fail(
            f"the {platform} adapter cannot deliver surveys from the command line"
            + (
                ": run `nps-bot console --admin` and type /nps survey start NAME there"
                if platform == "console"
                else ""
            )
        )
    return plugin
