"""No stored answer can be tied to a person: checked on the schema and on filled data."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import OperationalError

from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import ReasonPrompt, ScorePrompt

ALLOWED_RESPONSE_COLUMNS = {
    "id",
    "tenant_id",
    "survey_id",
    "wave_id",
    "score",
    "reason",
    "segments",
    "answered_on",
    # The release step an answer became visible in: one of k or more, never an order.
    "release_step",
    # In the survey's mixing pool or not: true for k or more answers at once.
    "mixing",
}


async def test_response_schema_holds_nothing_that_identifies(services: Services) -> None:
    async with services.database.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {c["name"]: c for c in inspect(sync).get_columns("response")}
        )
        foreign = await connection.run_sync(lambda sync: inspect(sync).get_foreign_keys("response"))
    assert set(columns) == ALLOWED_RESPONSE_COLUMNS
    assert "DATE" in str(columns["answered_on"]["type"]).upper()
    assert "TIME" not in str(columns["answered_on"]["type"]).upper()
    assert columns["id"].get("autoincrement") is not True
    referred = {fk["referred_table"] for fk in foreign}
    assert referred <= {"tenant", "survey", "wave"}  # never invitation or contact


async def test_sqlite_response_table_has_no_rowid(services: Services) -> None:
    if services.database.dialect != "sqlite":
        pytest.skip("rowid is a SQLite notion")
    async with services.database.engine.connect() as connection:
        with pytest.raises(OperationalError):
            await connection.execute(text("SELECT rowid FROM response"))


async def test_filled_database_never_names_a_person(services: Services) -> None:
    people = [
        Person(platform="console", tenant="local", user_id=f"user-{name}", segments={"team": "eng"})
        for name in ("zelda", "yusuf", "xiomara")
    ]
    for person in people:
        prompt = await services.engine.start(person)
        assert isinstance(prompt, ScorePrompt)
        view = await services.engine.record_score(person, survey_id=prompt.survey_id, score=8)
        assert isinstance(view, ReasonPrompt)
        await services.engine.record_reason(person, token=view.token, reason="good")
    await services.engine.opt_out(people[0])

    dump = await dump_all_text(services)
    for person in people:
        assert person.user_id not in dump
        assert person.user_id.split("-")[1] not in dump

    async with services.database.engine.connect() as connection:
        ids = [row[0] for row in await connection.execute(text("SELECT id FROM response"))]
    assert len(ids) == 3
    assert all(uuid.UUID(str(value)).version == 4 for value in ids)


async def dump_all_text(services: Services) -> str:
    """Every value of every table, as text."""
    async with services.database.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        chunks = []
        for table in tables:
            rows = await connection.execute(text(f'SELECT * FROM "{table}"'))
            chunks.extend(repr(tuple(row)) for row in rows)
    return "\n".join(chunks)
