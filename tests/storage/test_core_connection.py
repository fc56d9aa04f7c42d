"""The answer path's Core transactions: all or nothing, with the ORM joining in when asked.

:meth:`storage.database.Database.connection` commits what its block wrote and rolls
everything back when the block fails; :func:`storage.database.joined_session` writes
inside that transaction, never on its own.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select

from bot.runtime.services import Services
from storage.database import joined_session
from storage.models import Tenant
from storage.sql import table
from storage.tenants import get_or_create_tenant
from tests.support.waiting import HANG_GUARD_SECONDS

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_TENANT = table(Tenant)


class Refused(Exception):
    """What the blocks below raise after writing."""


def _tenant_row(external_id: str) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "platform": "test",
        "external_id": external_id,
        "locale": "en",
        "settings": {},
        "created_at": NOW,
    }


async def _tenants(services: Services) -> set[str]:
    async with services.database.transaction() as session:
        found = await session.execute(select(_TENANT.c.external_id))
        return {external_id for (external_id,) in found}


async def test_a_connection_commits_what_its_block_wrote(services: Services) -> None:
    async with services.database.connection() as connection:
        await connection.execute(insert(_TENANT), _tenant_row("T1"))
    assert await _tenants(services) == {"T1"}


async def test_a_failing_block_leaves_nothing_and_its_connection_serves_again(
    services: Services,
) -> None:
    with pytest.raises(Refused):
        async with services.database.connection() as connection:
            await connection.execute(insert(_TENANT), _tenant_row("T1"))
            raise Refused
    assert await _tenants(services) == set()
    async with services.database.connection() as connection:
        await connection.execute(insert(_TENANT), _tenant_row("T2"))
    assert await _tenants(services) == {"T2"}
    assert services.database.engine.sync_engine.pool.checkedout() == 0


async def test_a_joined_session_commits_with_the_connection(services: Services) -> None:
    async with services.database.connection() as connection:
        async with joined_session(connection) as session:
            made = await get_or_create_tenant(
                session, platform="test", external_id="T1", locale="en", now=NOW
            )
        # Written in this transaction: the Core side sees it before the commit.
        count = select(func.count()).select_from(_TENANT).where(_TENANT.c.id == made.id)
        assert (await connection.execute(count)).scalar_one() == 1
        await connection.execute(insert(_TENANT), _tenant_row("T2"))
    assert made.external_id == "T1", "the row stays readable after its session closed"
    assert await _tenants(services) == {"T1", "T2"}


async def test_a_joined_session_rolls_back_with_the_connection(services: Services) -> None:
    with pytest.raises(Refused):
        async with services.database.connection() as connection:
            async with joined_session(connection) as session:
                await get_or_create_tenant(
                    session, platform="test", external_id="T1", locale="en", now=NOW
                )
            await connection.execute(insert(_TENANT), _tenant_row("T2"))
            raise Refused
    assert await _tenants(services) == set()


async def test_a_failing_joined_session_leaves_nothing(services: Services) -> None:
    with pytest.raises(Refused):
        async with services.database.connection() as connection:
            await connection.execute(insert(_TENANT), _tenant_row("T2"))
            async with joined_session(connection) as session:
                await get_or_create_tenant(
                    session, platform="test", external_id="T1", locale="en", now=NOW
                )
                raise Refused
    assert await _tenants(services) == set()


async def test_a_block_cancelled_midway_leaves_nothing_and_returns_its_connection(
    services: Services,
) -> None:
    wrote = asyncio.Event()

    async def interrupted() -> None:
        async with services.database.connection() as connection:
            await connection.execute(insert(_TENANT), _tenant_row("T1"))
            wrote.set()
            await asyncio.Event().wait()  # until cancelled

    task = asyncio.create_task(interrupted())
    await asyncio.wait_for(wrote.wait(), timeout=HANG_GUARD_SECONDS)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert services.database.engine.sync_engine.pool.checkedout() == 0
    assert await _tenants(services) == set()
