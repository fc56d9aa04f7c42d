"""The shared SQL helpers on SQLite and PostgreSQL: find-or-insert under a real race,
matched-row counts, and UTC normalisation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.database import Database
from storage.migrate import upgrade
from storage.models import Tenant
from storage.sql import find_or_insert, insert_unless_present, rowcount, utc
from tests.support.waiting import HANG_GUARD_SECONDS

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    await upgrade(database_url)
    built = Database(database_url)
    try:
        yield built
    finally:
        await built.dispose()


def workspace(external_id: str) -> Tenant:
    return Tenant(platform="slack", external_id=external_id, created_at=NOW)


def of_workspace(external_id: str) -> SelectOfScalar[Tenant]:
    return select(Tenant).where(
        col(Tenant.platform) == "slack", col(Tenant.external_id) == external_id
    )


# pysqlite begins no transaction before a SAVEPOINT, and SQLite commits a savepoint
# released outside a transaction: on SQLite the first row a transaction writes through
# ``insert_unless_present`` is committed at once, whatever the transaction does next.
SQLITE_SAVEPOINT_COMMITS = (
    "SQLite commits a savepoint released outside a transaction, so a row written "
    "through insert_unless_present outlives its transaction"
)


def expect_savepoint_commit_on_sqlite(request: pytest.FixtureRequest, database: Database) -> None:
    if database.dialect == "sqlite":
        request.applymarker(pytest.mark.xfail(strict=True, reason=SQLITE_SAVEPOINT_COMMITS))


async def test_a_rolled_back_transaction_keeps_no_row_inserted_unless_present(
    request: pytest.FixtureRequest, database: Database
) -> None:
    expect_savepoint_commit_on_sqlite(request, database)
    with pytest.raises(RuntimeError):
        async with database.transaction() as session:
            assert await insert_unless_present(session, workspace("T1"))
            raise RuntimeError("a later step fails")
    async with database.transaction() as session:
        found = (await session.execute(of_workspace("T1"))).scalar_one_or_none()
    assert found is None


async def test_racing_callers_of_find_or_insert_get_the_one_row(
    request: pytest.FixtureRequest, database: Database
) -> None:
    """The second caller misses on its first read (the first one has not committed), loses
    the insert to the unique key, and reads the winner's row instead."""
    expect_savepoint_commit_on_sqlite(request, database)
    first_inserted = asyncio.Event()
    second_missed = asyncio.Event()

    async def first(second_done: asyncio.Future[Tenant]) -> Tenant:
        async with database.transaction() as session:
            row = await find_or_insert(
                session, query=of_workspace("T1"), make=lambda: workspace("T1")
            )
            first_inserted.set()
            # Commit only once the second caller has read and missed (or has finished,
            # having found the row: then the race was not run and the test fails below).
            missed = asyncio.ensure_future(second_missed.wait())
            either: set[asyncio.Future[Any]] = {missed, second_done}
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            missed.cancel()
        return row

    def second_make() -> Tenant:
        second_missed.set()
        return workspace("T1")

    async def second() -> Tenant:
        await first_inserted.wait()
        async with database.transaction() as session:
            return await find_or_insert(session, query=of_workspace("T1"), make=second_make)

    second_done = asyncio.ensure_future(second())
    winner = await asyncio.wait_for(first(second_done), timeout=HANG_GUARD_SECONDS)
    loser = await asyncio.wait_for(second_done, timeout=HANG_GUARD_SECONDS)
    assert loser.id == winner.id
    async with database.transaction() as session:
        stored = await session.execute(select(func.count()).select_from(Tenant))
        assert stored.scalar_one() == 1
    assert second_missed.is_set()


async def test_rowcount_counts_matched_rows_so_a_compare_and_set_wins_once(
    database: Database,
) -> None:
    async with database.transaction() as session:
        session.add_all([workspace("T1"), workspace("T2")])
    relabel = update(Tenant).where(col(Tenant.platform) == "slack").values(locale="ja")
    nobody = update(Tenant).where(col(Tenant.platform) == "discord").values(locale="ja")
    claim = (
        update(Tenant)
        .where(col(Tenant.external_id) == "T1", col(Tenant.locale) == "ja")
        .values(locale="fr")
    )
    async with database.transaction() as session:
        counts = [await rowcount(session, statement) for statement in (relabel, nobody)]
        claims = [await rowcount(session, claim) for _ in range(2)]
    assert counts == [2, 0]
    assert claims == [1, 0]


def test_utc_makes_naive_moments_aware_and_converts_other_zones() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert utc(datetime(2026, 3, 10, 9, 30)) == NOW
    assert utc(datetime(2026, 3, 10, 9, 30)).tzinfo is UTC
    converted = utc(datetime(2026, 3, 10, 18, 30, tzinfo=tokyo))
    assert converted == NOW and converted.tzinfo is UTC
