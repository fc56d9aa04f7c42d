"""Keyword-only data access for tenants: one row per workspace, guild or console.

Each function runs inside the caller's session and transaction; none commits. The
unique (platform, external id) key decides between two processes seeing a new
workspace at once, so a workspace always has exactly one tenant.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import Tenant
from storage.sql import find_or_insert


def _of(platform: str, external_id: str) -> SelectOfScalar[Tenant]:
    return select(Tenant).where(
        col(Tenant.platform) == platform, col(Tenant.external_id) == external_id
    )


async def get_or_create_tenant(
    session: AsyncSession, *, platform: str, external_id: str, locale: str, now: datetime
) -> Tenant:
    """The tenant for a workspace/guild, created on first use (race-safe)."""
    return await find_or_insert(
        session,
        query=_of(platform, external_id),
        make=lambda: Tenant(
            platform=platform, external_id=external_id, locale=locale, created_at=now
        ),
    )


async def find_tenant(session: AsyncSession, *, platform: str, external_id: str) -> Tenant | None:
    """The tenant of a workspace/guild if it is stored (never creates one)."""
    return (await session.execute(_of(platform, external_id))).scalar_one_or_none()


def set_tenant_setting(tenant: Tenant, *, key: str, value: object | None) -> None:
    """Store ``value`` under ``key`` in the tenant's settings (None removes it); the
    session the tenant was loaded in writes it. The JSON is replaced, not edited in
    place, so the change is always seen."""
    settings = {name: held for name, held in tenant.settings.items() if name != key}
    if value is not None:
        settings[key] = value
    tenant.settings = settings


async def tenants_of(session: AsyncSession, *, platform: str) -> list[Tenant]:
    """Every stored tenant of ``platform``, by workspace/guild id."""
    query = select(Tenant).where(col(Tenant.platform) == platform).order_by(col(Tenant.external_id))
    return list((await session.execute(query)).scalars())
