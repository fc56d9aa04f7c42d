"""Which platform and tenant an operator command is about.

``--platform`` names an installed adapter (any other name is a usage error, listing
those there are). ``nps-bot report`` and ``nps-bot export`` read every tenant unless
``--platform`` and ``--tenant`` name one together; a tenant is only looked up, never
created: a mistyped workspace id must not add an empty tenant. ``nps-bot survey`` verbs
take ``--tenant`` too, and need it only when it is not clear: the console's tenant is
always the one local installation, and a platform with one stored tenant means that one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime.plugins import ENTRY_POINT_GROUP
from bot.usecases.transfer.importer import CONSOLE_PLATFORM, CONSOLE_TENANT
from storage import surveys, tenants


def installed_platforms() -> list[str]:
    """The names of the installed adapters (package metadata only: nothing is imported)."""
    return sorted({entry.name for entry in entry_points(group=ENTRY_POINT_GROUP)})


def check_platform(value: str | None) -> str | None:
    """A Typer callback: ``value`` if an adapter of that name is installed."""
    names = installed_platforms()
    if value is not None and value not in names:
        raise typer.BadParameter(
            f"no adapter called {value!r} is installed; use {', '.join(names)}"
        )
    return value


PlatformOption = Annotated[
    str | None,
    typer.Option(
        help="Only this tenant's platform: slack, discord or console.", callback=check_platform
    ),
]
TenantOption = Annotated[
    str | None, typer.Option(help="Only this workspace or guild id (with --platform).")
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
        found = await tenants.find_tenant(session, platform=self.platform, external_id=self.tenant)
        if found is None:
            raise UnknownTenant(f"no tenant {self.tenant!r} on platform {self.platform!r}")
        return found.id


async def resolve_tenant(session: AsyncSession, *, platform: str, tenant: str | None) -> str:
    """``tenant`` when given; else the console's one, or the only stored tenant of
    ``platform``. Raises :class:`UnknownTenant` when that leaves a choice to make."""
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
