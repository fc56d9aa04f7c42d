"""The burst bench's sampling of what the database's connections wait on."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from bench import waits
from storage.database import Database
from tests.conftest import create_database, require_postgres


async def test_a_connection_waiting_for_a_row_lock_is_seen_waiting(
    postgres_admin_url: str | None,
) -> None:
    database = Database(await create_database(require_postgres(postgres_admin_url)))
    try:
        async with database.engine.begin() as setup:
            await setup.execute(text("CREATE TABLE survey (id int PRIMARY KEY)"))
            await setup.execute(text("INSERT INTO survey VALUES (1)"))
        lock = text("SELECT id FROM survey WHERE id = 1 FOR NO KEY UPDATE")
        async with database.engine.connect() as holder, database.engine.connect() as waiter:
            await holder.execute(lock)  # holds it, in a transaction, until rolled back
            async with waits.sampled(database) as seen:
                blocked = asyncio.create_task(waiter.execute(lock))
                for _ in range(500):  # 10 s at most
                    if seen.average("Lock") > 0.0:
                        break
                    await asyncio.sleep(waits.INTERVAL)
                await holder.rollback()
                await blocked
                await waiter.rollback()
        assert seen.samples >= 1
        assert 0.0 < seen.average("Lock") <= 1.0
        # The holder sat idle in its transaction, waiting for its client, meanwhile.
        assert seen.average("Client") > 0.0
        assert "waiting for a lock" in waits.line("1 process", seen)
    finally:
        await database.dispose()


async def test_nothing_is_sampled_on_sqlite(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/waits.db")
    try:
        async with waits.sampled(database) as seen:
            await asyncio.sleep(3 * waits.INTERVAL)
        assert seen.samples == 0
        assert seen.average("Lock") == 0.0
    finally:
        await database.dispose()
