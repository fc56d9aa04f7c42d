"""Keyword-only data access for opt-outs: people who asked never to be surveyed in a
tenant, by respondent key.

Each function runs inside the caller's session and transaction; none commits. One
opt-out per person and tenant: the unique key turns a second one into "already".
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import OptOut
from storage.sql import insert_unless_present, rowcount


async def is_opted_out(session: AsyncSession, *, tenant_id: uuid.UUID, respondent_key: str) -> bool:
    query = select(col(OptOut.id)).where(
        col(OptOut.tenant_id) == tenant_id, col(OptOut.respondent_key) == respondent_key
    )
    return (await session.execute(query)).first() is not None


async def add_opt_out(
    session: AsyncSession, *, tenant_id: uuid.UUID, respondent_key: str, since: date
) -> bool:
    """Record an opt-out; False when the person had already opted out."""
    return await insert_unless_present(
        session, OptOut(tenant_id=tenant_id, respondent_key=respondent_key, since=since)
    )


async def remove_opt_out(
    session: AsyncSession, *, tenant_id: uuid.UUID, respondent_key: str
) -> bool:
    """Forget an opt-out; False when there was none."""
    statement = delete(OptOut).where(
        col(OptOut.tenant_id) == tenant_id,
        col(OptOut.respondent_key) == respondent_key,
    )
    return await rowcount(session, statement) > 0
