"""Which tenant an operator command reads: ``--platform`` and ``--tenant`` together.

Without them, ``nps-bot report`` and ``nps-bot export`` read every tenant. A tenant is
only looked up, never created: a mistyped workspace id must not add an empty tenant.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from storage import tenants

PlatformOption = Annotated[
    str | None, typer.Option(help="Only this tenant's platform: slack, discord or console.")
]
TenantOption = Annotated[
    str | None, typer.Option(help="Only this workspace or guild id (with --platform).")
]


class UnknownTenant(LookupError):
    """No tenant with that platform and workspace/guild id is stored."""


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


async def tenant_id(session: AsyncSession, scope: TenantScope | None) -> uuid.UUID | None:
    """The id of the scoped tenant, or ``None`` (every tenant) without a scope."""
    return None if scope is None else await scope.tenant_id(session)
