"""The release-step queries every report runs read an index range, not every answer.

Plans, not timings: SQLite has no table statistics here, so which index it picks follows
from the indexes alone, and a plan that reads every answer of the survey (or sorts them)
is what made a report of a million answers take two seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from storage import disclosure
from storage.database import Database
from storage.migrate import upgrade


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'plans.db'}"
    await upgrade(url)
    migrated = Database(url)
    try:
        yield migrated
    finally:
        await migrated.dispose()


async def plans_of(database: Database, run: Callable[[Any], Any]) -> list[str]:
    """The query plan of every statement ``run(session)`` sends, one line per step."""
    sent: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    engine = database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        async with database.transaction() as session:
            await run(session)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    plans = []
    async with database.engine.connect() as connection:
        for statement, parameters in sent:
            raw = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.append(" / ".join(str(row[-1]) for row in raw))
    return plans


async def test_waiting_answers_are_counted_from_their_own_index(database: Database) -> None:
    async def run(session: Any) -> None:
        await disclosure.waiting_answers(session, survey_id=uuid.uuid4())

    (plan,) = await plans_of(database, run)
    assert "ix_response_waiting" in plan, plan


async def test_both_sides_reasons_are_counted_in_one_read_of_the_reasons_index(
    database: Database,
) -> None:
    async def run(session: Any) -> None:
        await disclosure.reasons_by_side(
            session, survey_id=uuid.uuid4(), after_step=0, through_step=3
        )

    (plan,) = await plans_of(database, run)
    assert "ix_response_reason_step" in plan, plan


async def test_released_answers_are_grouped_in_the_cube_index_order_before_any_sort(
    database: Database,
) -> None:
    async def run(session: Any) -> None:
        await disclosure.atoms(session, survey_id=uuid.uuid4(), through_step=3)

    (plan,) = await plans_of(database, run)
    inner, _, outer = plan.partition("SCAN fine")
    assert "COVERING INDEX ix_response_cube" in inner and "TEMP B-TREE" not in inner, plan
    assert outer, plan  # the sort, if any, is of the fine counts only
