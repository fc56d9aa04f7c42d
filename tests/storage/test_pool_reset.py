"""A SQLite connection returned to the pool never carries an open transaction along.

SQLite connections are rolled back on return only when sqlite3 reports a transaction
open (a plain rollback after every commit would cost aiosqlite a thread round trip);
this proves the check catches a write nobody finished.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from storage.database import Database
from storage.migrate import upgrade

INSERT = (
    "INSERT INTO tenant (id, platform, external_id, locale, settings, created_at)"
    " VALUES ('{id}', 'test', 'T-left-open', 'en', '{{}}', CURRENT_TIMESTAMP)"
)


async def test_a_write_left_open_on_the_driver_is_rolled_back_on_return(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
    await upgrade(url)
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            # Beneath SQLAlchemy's own bookkeeping: sqlite3 opens a transaction for it.
            await raw.driver_connection.execute(INSERT.format(id="0" * 32))
            assert raw.driver_connection.in_transaction
        async with database.engine.connect() as connection:
            found = await connection.scalar(
                text("SELECT count(*) FROM tenant WHERE external_id = 'T-left-open'")
            )
    finally:
        await database.dispose()
    assert found == 0
