"""Deleting every row of one tenant, in one transaction.

Which rows belong to a tenant is read from the schema rather than listed by hand: a
table belongs to the tenant through its own ``tenant_id`` column, or else through a
foreign key to a table that does (an invitation through its wave, a wave through its
survey), or else by naming the tenant as the platforms do, with ``platform`` and
``tenant`` columns holding its platform and external id (the shared pace of sends,
which replicas reach before they know the tenant's row). So a table added later is
removed with its tenant without touching this file.
Children are deleted before their parents (reverse dependency order), so no foreign
key is ever left dangling, even midway.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from storage import models, plan_models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.sql import rowcount

TENANT = SQLModel.metadata.tables["tenant"]


def tenant_filters(tenant_id: object) -> dict[str, ColumnElement[bool]]:
    """For every table that belongs to a tenant, the condition selecting that tenant's rows."""
    tables: list[Table] = list(SQLModel.metadata.sorted_tables)
    filters: dict[str, ColumnElement[bool]] = {TENANT.name: TENANT.c.id == tenant_id}
    # Parents come before children in sorted_tables, so each parent's filter is known
    # by the time a child looks for it.
    for table in tables:
        if table.name in filters:
            continue
        if "tenant_id" in table.c:
            filters[table.name] = table.c.tenant_id == tenant_id
            continue
        if "platform" in table.c and "tenant" in table.c:
            named = select(TENANT.c.platform, TENANT.c.external_id).where(TENANT.c.id == tenant_id)
            filters[table.name] = tuple_(table.c.platform, table.c.tenant).in_(named)
            continue
        for key in table.foreign_keys:
            parent = key.column.table
            if parent.name in filters and not key.parent.nullable:
                chosen = select(key.column).where(filters[parent.name])
                filters[table.name] = key.parent.in_(chosen)
                break
    return filters


async def remove_tenant(session: AsyncSession, *, platform: str, external_id: str) -> int:
    """Delete the tenant ``platform``/``external_id`` and every row that belongs to it.

    Runs inside the caller's transaction (all or nothing); returns the number of rows
    deleted, 0 when the tenant is unknown.
    """
    found = await session.execute(
        select(TENANT.c.id).where(
            TENANT.c.platform == platform, TENANT.c.external_id == external_id
        )
    )
    tenant_id = found.scalar_one_or_none()
    if tenant_id is None:
        return 0
    filters = tenant_filters(tenant_id)
    removed = 0
    # The tenant's own row goes last: tables that name the tenant by its platform and
    # external id find their rows through it.
    tables = [t for t in reversed(SQLModel.metadata.sorted_tables) if t is not TENANT]
    for table in [*tables, TENANT]:
        condition = filters.get(table.name)
        if condition is not None:
            removed += await rowcount(session, delete(table).where(condition))
    return removed
