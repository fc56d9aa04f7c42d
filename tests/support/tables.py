"""Every stored row, for tests that prove a request stored (or changed) nothing."""

from __future__ import annotations

from sqlalchemy import inspect, select, text
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table on SQLModel's metadata)
from storage.database import Database

Snapshot = dict[str, list[tuple[str, ...]]]


async def snapshot(database: Database) -> Snapshot:
    """Every row of every table of the storage models, as sorted text tuples.

    Comparing two snapshots catches inserted, deleted *and* updated rows (a reason
    written, an ask closed), not only changed counts.
    """
    tables: Snapshot = {}
    async with database.transaction() as session:
        for table in SQLModel.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            tables[table.name] = sorted(tuple(str(value) for value in row) for row in rows)
    return tables


def changed_tables(before: Snapshot, after: Snapshot) -> dict[str, int]:
    """Tables whose rows differ, with the change in their row count."""
    return {
        name: len(after[name]) - len(before.get(name, []))
        for name in after
        if after[name] != before.get(name, [])
    }


async def dump(database: Database) -> str:
    """Every value of every table the database holds (the migrations' bookkeeping too,
    and tables no model names), as one text: what someone reading the database sees."""
    async with database.engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        chunks = []
        for name in sorted(names):
            rows = await connection.execute(text(f'SELECT * FROM "{name}"'))
            chunks.extend(f"{name}: {tuple(row)!r}" for row in rows)
    return "\n".join(chunks)
