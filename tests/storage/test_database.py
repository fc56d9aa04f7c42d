"""Readiness checks give one clear error instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.database import Database
from storage.errors import DatabaseNotMigrated, DatabaseUnavailable
from storage.migrate import head_revision, upgrade


async def test_unmigrated_database_is_reported(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    try:
        with pytest.raises(DatabaseNotMigrated, match="nps-bot db upgrade"):
            await database.check_ready(expected_revision=head_revision())
    finally:
        await database.dispose()


async def test_migrated_database_is_ready(database_url: str) -> None:
    await upgrade(database_url)
    await upgrade(database_url)  # idempotent
    database = Database(database_url)
    try:
        await database.check_ready(expected_revision=head_revision())
    finally:
        await database.dispose()


async def test_unreachable_server_is_reported() -> None:
    database = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    try:
        with pytest.raises(DatabaseUnavailable, match="cannot reach the database"):
            await database.check_ready(expected_revision=head_revision())
    finally:
        await database.dispose()
