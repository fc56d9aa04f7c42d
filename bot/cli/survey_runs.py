"""What every ``nps-bot survey …`` command shares: its options, one error line, and a
run of the services (see :mod:`bot.cli.surveys`).

Light to import: the runtime is imported by the functions that use it, when a command
runs, not when the help is read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import cache
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from bot.cli.options import Name, Platform, Tenant
from bot.cli.scope import UnknownTenant, known_tenant, resolve_tenant

if TYPE_CHECKING:
    from rich.console import Console

    from bot.i18n import Translator
    from bot.runtime.plugins import ReachProvider
    from bot.runtime.services import Services
    from bot.runtime.settings import Settings

__all__ = ["Name", "Platform", "Tenant"]

T = TypeVar("T")


@cache
def out() -> Console:
    """The commands' standard output, made on the first print: rich loads then, so
    ``nps-bot run``, which prints through none, never holds it.

    Neither console reads markup: what they print holds names, titles and replies people
    typed, where square brackets are text (styles are given as :class:`rich.text.Text`).
    """
    from rich.console import Console

    return Console(markup=False)


@cache
def err() -> Console:
    """The commands' standard error (errors, progress), made on the first print."""
    from rich.console import Console

    return Console(stderr=True, markup=False)


def warn(message: str) -> None:
    """One warning line on standard error."""
    _flagged("warning:", "bold yellow", message)


def fail(message: str, code: int = 1) -> NoReturn:
    """One error line on standard error, then exit with ``code``."""
    _flagged("error:", "bold red", message)
    raise typer.Exit(code)


def _flagged(flag: str, style: str, message: str) -> None:
    from rich.text import Text

    err().print(Text.assemble((flag, style), " ", message), highlight=False, soft_wrap=True)


def settings() -> Settings:
    from bot.runtime.settings import ConfigurationError, Settings, load_settings

    try:
        return load_settings(Settings)
    except ConfigurationError as error:
        fail(str(error))


def words() -> Translator:
    """The command line's words, in the installation's default language."""
    from bot.i18n import Catalogs

    return Catalogs().translator(settings().default_locale)


class Unreached(Exception):
    """The platform could not be reached, said in one line: which platform, why, and
    what became of the command's work (``outcome``: nothing was opened, the invitations
    stay pending, ...)."""

    def __init__(self, platform: str, detail: str, outcome: str) -> None:
        super().__init__(f"{platform} could not be reached ({detail}): {outcome}")


def run(use: Callable[[Services], Awaitable[T]], *, migrate: bool = True) -> T:
    """Run ``use`` with the services; ``migrate=False`` for the commands that only read
    (they create no database where there is none)."""
    from bot.domain.errors import SurveyError
    from bot.runtime.services import build_services
    from bot.runtime.settings import ConfigurationError
    from storage.errors import DatabaseError

    async def work() -> T:
        services = await build_services(settings(), migrate=migrate)
        try:
            return await use(services)
        finally:
            await services.database.dispose()

    try:
        return asyncio.run(work())
    except (ConfigurationError, DatabaseError, SurveyError, UnknownTenant, Unreached) as error:
        fail(str(error))


async def tenant_named(
    services: Services, platform: str, tenant: str | None, *, creating: bool = False
) -> str:
    """The tenant a survey verb is about (:mod:`bot.cli.scope`): one that is stored, or
    with ``creating`` (a survey created in a workspace seen for the first time) any."""
    async with services.database.transaction() as session:
        if creating:
            return await resolve_tenant(session, platform=platform, tenant=tenant)
        return await known_tenant(session, platform=platform, tenant=tenant)


def delivering(platform: str, *, verb: str | None = "start") -> ReachProvider:
    """The plugin of ``platform`` if it can reach people from the command line; else one
    line saying where the console does it: ``/nps survey VERB NAME`` in the console, or,
    with ``verb`` None (a send to one person), answering there as that person."""
    from bot.runtime.plugins import ReachProvider, load_plugin

    plugin = load_plugin(platform)
    if not isinstance(plugin, ReachProvider):
        where = (
            f"run `nps-bot console --admin` and type /nps survey {verb} NAME there"
            if verb is not None
            else "the console asks the one person typing: run `nps-bot console --user NAME`"
        )
        fail(
            f"the {platform} adapter cannot deliver surveys from the command line"
            + (f": {where}" if platform == "console" else "")
        )
    return plugin
