"""What every ``nps-bot survey …`` command shares beyond :mod:`bot.cli.running`: its
options, the platform it could not reach, and its tenant (see :mod:`bot.cli.surveys`).

Light to import: the runtime is imported by the functions that use it, when a command
runs, not when the help is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from bot.cli import running
from bot.cli.options import Name, Platform, Tenant
from bot.cli.running import fail
from bot.cli.scope import known_tenant, resolve_tenant

if TYPE_CHECKING:
    from bot.runtime.plugins import ReachProvider
    from bot.runtime.services import Services

__all__ = ["Name", "Platform", "Tenant"]

T = TypeVar("T")


class Unreached(Exception):
    """The platform could not be reached, said in one line: which platform, why, and
    what became of the command's work (``outcome``: nothing was opened, the invitations
    stay pending, ...)."""

    def __init__(self, platform: str, detail: str, outcome: str) -> None:
        super().__init__(f"{platform} could not be reached ({detail}): {outcome}")


def run(use: Callable[[Services], Awaitable[T]], *, migrate: bool = True) -> T:
    """Run ``use`` with the services (:func:`bot.cli.running.run`), a survey refused or a
    platform not reached said in one line; ``migrate=False`` for the commands that only
    read (they create no database where there is none)."""
    from bot.domain.errors import SurveyError

    return running.run(use, migrate=migrate, refused=(SurveyError, Unreached))


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
