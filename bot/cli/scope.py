"""Which platform and tenant an operator command is about.

``--platform`` names an installed adapter (any other name is a usage error, listing
those there are). ``nps-bot report`` and ``nps-bot export`` read every tenant unless
``--platform`` names one; ``nps-bot import`` writes into the console's tenant unless it
names another. Every command that takes ``--tenant`` reads ``--platform`` alone the same
way (:func:`resolve_tenant`): the console's tenant is always the one local installation,
and a platform with one stored tenant means that one; with several, ``--tenant`` picks
one (``--tenant`` without ``--platform`` is a usage error). A tenant is only looked up,
never created (``survey create`` and a console import are the exceptions): a mistyped
workspace id must not add an empty tenant, and is said to be unknown.


Light to import (the storage it reads is imported by the functions that read it), as
every module the command line's help reads must be.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from bot.cli.options import PlatformOption, TenantOption, check_platform, installed_platforms

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = [
    "PlatformOption",
    "TenantOption",
    "TenantScope",
    "UnknownSurvey",
    "UnknownTenant",
    "check_platform",
    "check_survey",
    "installed_platforms",
    "known_tenant",
    "pick_a_tenant",
    "resolve_tenant",
    "tenant_id",
]


class UnknownTenant(LookupError):
    """No tenant with that platform and workspace/guild id is stored."""


class UnknownSurvey(LookupError):
    """No survey of that name, in the tenant read or in any."""


async def check_survey(
    session: AsyncSession, name: str | None, tenant_id: uuid.UUID | None
) -> None:
    """Raise :class:`UnknownSurvey` unless ``name`` (when given) names a survey of the
    tenant ``tenant_id`` (of any tenant without one)."""
    from storage import surveys

    if name is None or await surveys.surveys_named(session, tenant_id=tenant_id, name=name):
        return
    where = "" if tenant_id is None else " in that tenant"
    raise UnknownSurvey(f"no survey called {name!r}{where} (nps-bot survey list shows them)")


@dataclass(frozen=True)
class TenantScope:
    """One tenant, named the way the platform names it; ``tenant`` None is the one
    :func:`resolve_tenant` picks on ``platform``."""

    platform: str
    tenant: str | None = None

    @classmethod
    def from_options(cls, *, platform: str | None, tenant: str | None) -> TenantScope | None:
        """The scope of the options, ``None`` for neither; raise ``typer.BadParameter``
        (a usage error) for ``--tenant`` without ``--platform``."""
        if platform is None and tenant is None:
            return None
        if platform is None:
            raise typer.BadParameter("--platform and --tenant go together", param_hint="--platform")
        return cls(platform=platform, tenant=tenant)

    async def resolved(self, session: AsyncSession) -> str:
        """The tenant's id on its platform (:func:`resolve_tenant`)."""
        return await resolve_tenant(session, platform=self.platform, tenant=self.tenant)

    async def tenant_id(self, session: AsyncSession) -> uuid.UUID:
        """The stored tenant's id; raise :class:`UnknownTenant` when there is none."""
        from storage import tenants

        external_id = await self.resolved(session)
        found = await tenants.find_tenant(session, platform=self.platform, external_id=external_id)
        if found is None:
            raise UnknownTenant(_unknown(self.platform, external_id))
        return found.id


async def resolve_tenant(session: AsyncSession, *, platform: str, tenant: str | None) -> str:
    """``tenant`` when given; else the console's one, or the only stored tenant of
    ``platform``. Raises :class:`UnknownTenant` when that leaves a choice to make."""
    from bot.usecases.transfer.importer import CONSOLE_PLATFORM, CONSOLE_TENANT
    from storage import tenants

    if tenant is not None:
        return tenant
    if platform == CONSOLE_PLATFORM:
        return CONSOLE_TENANT
    known = [found.external_id for found in await tenants.tenants_of(session, platform=platform)]
    if len(known) == 1:
        return known[0]
    stored = f"it knows {', '.join(known)}" if known else "none is known yet"
    raise UnknownTenant(f"name the {platform} workspace or guild with --tenant ({stored})")


async def known_tenant(session: AsyncSession, *, platform: str, tenant: str | None) -> str:
    """:func:`resolve_tenant`'s tenant, which must be stored, but for the console's own
    (the first survey or answer stores it); raise :class:`UnknownTenant` otherwise, so a
    mistyped id is called unknown rather than every survey in it."""
    from bot.usecases.transfer.importer import CONSOLE_PLATFORM, CONSOLE_TENANT
    from storage import tenants

    external_id = await resolve_tenant(session, platform=platform, tenant=tenant)
    if (platform, external_id) == (CONSOLE_PLATFORM, CONSOLE_TENANT):
        return external_id
    if await tenants.find_tenant(session, platform=platform, external_id=external_id) is None:
        raise UnknownTenant(_unknown(platform, external_id))
    return external_id


def pick_a_tenant(places: Mapping[str, Sequence[tuple[str, str]]]) -> str:
    """Why names in several tenants (each with its (platform, tenant id) pairs) cannot be
    read together, and what to type instead, in one line."""
    clashes = "; ".join(
        f"surveys called {name!r} are in more than one tenant ("
        + ", ".join(f"{platform} {tenant!r}" for platform, tenant in where)
        + ")"
        for name, where in places.items()
    )
    return f"{clashes}: pick one with --platform and --tenant"


def _unknown(platform: str, tenant: str) -> str:
    from bot.usecases.transfer.importer import CONSOLE_PLATFORM, CONSOLE_TENANT

    # The console's tenant is never named by the operator: it is stored by the first
    # survey or answer made there, so before that there is only nothing to read.
    if (platform, tenant) == (CONSOLE_PLATFORM, CONSOLE_TENANT):
        return "the console has no surveys or answers yet"
    return f"no tenant {tenant!r} on platform {platform!r}"


async def tenant_id(session: AsyncSession, scope: TenantScope | None) -> uuid.UUID | None:
    """The id of the scoped tenant, or ``None`` (every tenant) without a scope."""
    return None if scope is None else await scope.tenant_id(session)
