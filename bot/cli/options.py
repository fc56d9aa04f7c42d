"""The options and choices the ``nps-bot`` commands declare, kept light: Typer reads
every command's signature to build the help, so what a signature names is defined
here, with nothing heavier than Typer behind it (the commands import the runtime when
they run)."""

from __future__ import annotations

from enum import StrEnum
from importlib.metadata import entry_points
from typing import Annotated

import typer

from bot.runtime.entry_points import ADAPTERS


def installed_platforms() -> list[str]:
    """The names of the installed adapters (package metadata only: nothing is imported)."""
    return sorted({entry.name for entry in entry_points(group=ADAPTERS)})


def check_platform(value: str | None) -> str | None:
    """A Typer callback: ``value`` if an adapter of that name is installed."""
    names = installed_platforms()
    if value is not None and value not in names:
        raise typer.BadParameter(
            f"no adapter called {value!r} is installed; use {', '.join(names)}"
        )
    return value


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


PlatformOption = Annotated[
    str | None,
    typer.Option(
        help="Only this tenant's platform: slack, discord or console.", callback=check_platform
    ),
]
TenantOption = Annotated[
    str | None,
    typer.Option(
        help="Only this workspace or guild id (with --platform; not needed for the console, "
        "nor when the platform has one)."
    ),
]
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
