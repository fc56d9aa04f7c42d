"""Which platform and tenant an operator command is about.

``--platform`` names an installed adapter (any other name is a usage error, listing
those there are). ``nps-bot report`` and ``nps-bot export`` read every tenant unless
``--platform`` and ``--tenant`` name one together; a tenant is only looked up, never
created: a mistyped workspace id must not add an empty tenant. ``nps-bot survey`` verbs
take ``--tenant`` too, and need it only when it is not clear: the console's tenant is
always the one local installation, and a platform with one stored tenant means that one.


Light to import (the storage it reads is imported by the functions that read it), as
every module the command line's help reads must be.
"""

from __future__ import annotations

import uuid
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
    """One tenant, named the way the platform names it."""

    platform: str
    tenant: str

    @classmethod
    def from_options(cls, *, platform: str | None, tenant: str | None) -> TenantScope | None:
        """The scope of both options, ``None`` for neither; raise ``typer.BadParameter``
        (a usage error) when only one is given."""
        if platform is None and tenant is None:
            return None
        if platform is None or tenant is None:
            missing = "--platform" if platform is None else "--tenant"
            raise typer.BadParameter("--platform and --tenant go together", param_hint=missing)
        return cls(platform=platform, tenant=tenant)

    async def tenant_id(self, session: AsyncSession) -> uuid.UUID:
        """The stored tenant's id; raise :class:`UnknownTenant` when there is none."""
        from storage import tenants

        found = await tenants.find_tenant(session, platform=self.platform, external_id=self.tenant)
        if found is None:
            raise UnknownTenant(f"no tenant {self.tenant!r} on platform {self.platform!r}")
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


async def tenant_id(session: AsyncSession, scope: TenantScope | None) -> uuid.UUID | None:
    """The id of the scoped tenant, or ``None`` (every tenant) without a scope."""
    return None if scope is None else await scope.tenant_id(session)
