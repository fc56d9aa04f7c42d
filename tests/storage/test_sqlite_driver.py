"""SQLite in one trip to the driver's thread per statement: what SQLAlchemy reads back
(rows, counts, ids, errors, streamed results) is what its own adapter gives, and an
answer makes no more trips than its statements and commits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.domain.people import Person
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.views.common import ReasonPrompt, ScorePrompt
from storage.database import Database
from tests.conftest import TEST_PEPPER


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    built = Database(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with built.transaction() as session:
        await session.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    try:
        yield built
    finally:
        await built.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every call made on a driver's thread from now on."""
    made: list[str] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(getattr(fn, "__name__", repr(fn)))
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return made


async def test_rows_counts_and_ids_read_back(database: Database) -> None:
    async with database.transaction() as session:
        added = await session.execute(text("INSERT INTO item (name) VALUES ('a')"))
        assert added.lastrowid == 1
        await session.execute(
            text("INSERT INTO item (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        renamed = await session.execute(text("UPDATE item SET name = name || '!' WHERE id > 1"))
        assert renamed.rowcount == 2
        rows = (await session.execute(text("SELECT id, name FROM item ORDER BY id"))).all()
        nothing = (await session.execute(text("SELECT id FROM item WHERE id < 0"))).all()
    assert [tuple(row) for row in rows] == [(1, "a"), (2, "b!"), (3, "c!")]
    assert nothing == []


async def test_a_streamed_result_reads_every_row(database: Database) -> None:
    async with database.transaction() as session:
        for name in "xyz":
            await session.execute(text("INSERT INTO item (name) VALUES (:n)"), {"n": name})
        streamed = await session.stream(text("SELECT name FROM item ORDER BY name"))
        names = [row[0] async for row in streamed]
    assert names == ["x", "y", "z"]


async def test_a_failed_statement_raises_and_rolls_back_alone(database: Database) -> None:
    async with database.transaction() as session:
        await session.execute(text("INSERT INTO item (name) VALUES ('once')"))
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO item (name) VALUES ('other')"))
            await session.execute(text("INSERT INTO item (name) VALUES ('once')"))
    with pytest.raises(OperationalError):
        async with database.transaction() as session:
            await session.execute(text("SELECT * FROM no_such_table"))
    async with database.transaction() as session:
        names = (await session.execute(text("SELECT name FROM item"))).scalars().all()
    assert names == ["once"], "the failed transaction left nothing behind"


async def test_an_answer_makes_one_trip_per_statement_and_commit(
    tmp_path: Path, trips: list[str]
) -> None:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
        nps_pepper=TEST_PEPPER,
    )
    services = await build_services(settings, migrate=True)
    try:
        warm = Person(platform="test", tenant="T1", user_id="warm-up")
        prompt = await services.engine.start(warm)
        assert isinstance(prompt, ScorePrompt)
        await services.engine.record_score(warm, survey_id=prompt.survey_id, score=7)
        trips.clear()
        who = Person(platform="test", tenant="T1", user_id="U2")
        prompt = await services.engine.start(who)
        assert isinstance(prompt, ScorePrompt)
        view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=9)
        assert isinstance(view, ReasonPrompt)
        made = list(trips)
    finally:
        await services.database.dispose()
    # Six statements (tests/bot/test_engine_hot_path.py) in three transactions: SQLAlchemy's
    # own adapter made 23 trips (cursor, execute, fetch and close each apart).
    assert made.count("commit") == 3
    assert len(made) == 9, " ".join(made)


async def test_a_transaction_that_only_read_ends_without_a_trip(
    database: Database, trips: list[str]
) -> None:
    async with database.connection() as connection:
        await connection.execute(text("SELECT count(*) FROM item"))
    async with database.transaction() as session:
        await session.execute(text("SELECT name FROM item"))
    with pytest.raises(OperationalError):
        async with database.connection() as connection:
            await connection.execute(text("SELECT * FROM no_such_table"))
    assert trips == ["_run_one"] * 3


async def test_a_write_still_commits_and_a_failed_one_still_rolls_back(
    database: Database, trips: list[str]
) -> None:
    async with database.connection() as connection:
        await connection.execute(text("INSERT INTO item (name) VALUES ('kept')"))
    with pytest.raises(IntegrityError):
        async with database.connection() as connection:
            await connection.execute(text("INSERT INTO item (name) VALUES ('undone')"))
            await connection.execute(text("INSERT INTO item (name) VALUES ('kept')"))
    assert trips == ["_run_one", "commit", "_run_one", "_run_one", "rollback"]
    async with database.connection() as connection:
        names = (await connection.execute(text("SELECT name FROM item"))).scalars().all()
    assert names == ["kept"]
    other = await aiosqlite.connect(database.engine.url.database or "")
    try:
        seen = await other.execute_fetchall("SELECT name FROM item")
    finally:
        await other.close()
    assert [tuple(row) for row in seen] == [("kept",)], "committed for other connections too"
