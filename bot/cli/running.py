"""What every command shares when it runs: its lines on the terminal, the settings, and
one event loop with the services, whose known failures end the command in one line.

Light to import: the runtime is imported by the functions that use it, when a command
runs, not when the help is read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from functools import cache
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from bot.cli.scope import UnknownSurvey, UnknownTenant

if TYPE_CHECKING:
    from rich.console import Console

    from bot.i18n import Translator
    from bot.runtime.services import Services
    from bot.runtime.settings import Settings

T = TypeVar("T")

INTERRUPTED = 130
"""The exit code of a command stopped with Ctrl-C, as a shell gives it."""


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
    """The installation's settings; one that cannot be read ends the command in one line."""
    from bot.runtime.settings import ConfigurationError, Settings, load_settings

    try:
        return load_settings(Settings)
    except ConfigurationError as error:
        fail(str(error))


def words() -> Translator:
    """The command line's words, in the installation's default language."""
    from bot.i18n import Catalogs

    return Catalogs().translator(settings().default_locale)


def configure_logging(chosen: Settings) -> None:
    """Logging as the settings ask, for the commands that log while they work."""
    from bot.runtime.logs import configure_logging as configure

    configure(chosen.log_level, style=chosen.log_format)


def in_loop(
    work: Callable[[], Coroutine[Any, Any, T]], *, refused: tuple[type[Exception], ...] = ()
) -> T:
    """Run ``work`` on a fresh event loop. A configuration or database failure, an
    unknown tenant or survey, or one of the command's own ``refused`` errors is one error
    line; Ctrl-C ends the command with :data:`INTERRUPTED`."""
    from bot.runtime.settings import ConfigurationError
    from storage.errors import DatabaseError

    known: tuple[type[Exception], ...] = (
        ConfigurationError,
        DatabaseError,
        UnknownTenant,
        UnknownSurvey,
        *refused,
    )
    try:
        return asyncio.run(work())
    except known as error:
        fail(str(error))
    except KeyboardInterrupt:
        raise typer.Exit(INTERRUPTED) from None


async def with_services(
    chosen: Settings, *, migrate: bool, use: Callable[[Services], Awaitable[T]]
) -> T:
    """``use`` the services built from ``chosen``, disposed of afterwards; ``migrate``
    for the commands that store, which create the schema on first use (the others
    refuse where there is no database and leave no file behind)."""
    from bot.runtime.services import build_services

    services = await build_services(chosen, migrate=migrate)
    try:
        return await use(services)
    finally:
        await services.database.dispose()


def run(
    use: Callable[[Services], Awaitable[T]],
    *,
    migrate: bool = True,
    refused: tuple[type[Exception], ...] = (),
) -> T:
    """:func:`in_loop` of :func:`with_services`, on the installation's settings."""
    chosen = settings()
    return in_loop(lambda: with_services(chosen, migrate=migrate, use=use), refused=refused)
