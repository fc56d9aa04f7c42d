"""Migration 0008 on SQLite and PostgreSQL: forget-me holds, invitations of closed waves
purged (those closed before it too), no locale on answers, and both ways again."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Table, insert, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import Database
from storage.migrate import alembic_config, upgrade
from storage.models import Invitation, Survey, Tenant, Wave
from storage.sql import table

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


async def to(url: str, revision: str) -> None:
    if revision == "head":
        await upgrade(url)
    else:
        await asyncio.to_thread(command.downgrade, alembic_config(url), revision)


@pytest.fixture
async def at_0007(database_url: str) -> AsyncIterator[Database]:
    await upgrade(database_url)
    await to(database_url, "0007")
    database = Database(database_url)
    try:
        yield database
    finally:
        await database.dispose()


async def columns(connection: AsyncConnection, name: str) -> dict[str, bool]:
    """Column name -> nullable, of table ``name`` (empty when there is no such table)."""

    def read(sync: object) -> dict[str, bool]:
        inspector = inspect(sync)
        if not inspector.has_table(name):
            return {}
        return {column["name"]: column["nullable"] for column in inspector.get_columns(name)}

    return await connection.run_sync(read)


async def has_rowid(connection: AsyncConnection) -> bool | None:
    """Whether ``response`` has SQLite's hidden rowid (None on PostgreSQL)."""
    if connection.dialect.name != "sqlite":
        return None
    found = await connection.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'response'")
    )
    return "WITHOUT ROWID" not in str(found.scalar_one()).upper()


async def one_wave_of_each(database: Database) -> dict[str, uuid.UUID]:
    """A closed and an open wave, each with one invitation full of delivery details."""
    tenant, survey = uuid.uuid4(), uuid.uuid4()
    waves = {"closed": uuid.uuid4(), "open": uuid.uuid4()}
    rows: list[tuple[Table, dict[str, object]]] = [
        (
            table(Tenant),
            {"id": tenant, "platform": "slack", "external_id": "T1", "settings": {}},
        ),
        (table(Survey), {"id": survey, "tenant_id": tenant, "name": "s", "audience": {}}),
    ]
    for opening, (status, wave) in enumerate(waves.items()):
        opens_at = NOW + timedelta(days=opening)
        rows.append(
            (
                table(Wave),
                {
                    "id": wave,
                    "survey_id": survey,
                    "scheduled_for": opens_at,
                    "opens_at": opens_at,
                    "closes_at": opens_at + timedelta(days=14),
                    "status": status,
                },
            )
        )
        rows.append(
            (
                table(Invitation),
                {
                    "id": uuid.uuid4(),
                    "wave_id": wave,
                    "respondent_key": "k" * 64,
                    "status": "failed",
                    "error": "dm_closed",
                    "locale": "ja",
                    "timezone": "Asia/Tokyo",
                    "deliver_at": opens_at + timedelta(hours=15),
                    "reminders_sent": 2,
                },
            )
        )
    defaults = {"created_at": NOW}
    async with database.engine.begin() as connection:
        for target, values in rows:
            extra = {k: v for k, v in defaults.items() if k in target.c and k not in values}
            await connection.execute(insert(target).values(**values, **extra))
    return waves


PURGED = ("locale", "timezone", "deliver_at", "reminders_sent", "error")


async def invitation_details(database: Database, wave: uuid.UUID) -> tuple[object, ...]:
    invitations = table(Invitation)
    query = select(*(invitations.c[name] for name in PURGED)).where(invitations.c.wave_id == wave)
    async with database.engine.connect() as connection:
        return tuple((await connection.execute(query)).one())


async def test_0008_purges_invitations_of_waves_closed_before_it(
    database_url: str, at_0007: Database
) -> None:
    waves = await one_wave_of_each(at_0007)

    await to(database_url, "head")

    assert await invitation_details(at_0007, waves["closed"]) == (None, None, None, 0, None)
    untouched = await invitation_details(at_0007, waves["open"])
    assert untouched[:2] == ("ja", "Asia/Tokyo") and untouched[3:] == (2, "dm_closed")


async def test_0008_goes_down_and_up_again(database_url: str, at_0007: Database) -> None:
    waves = await one_wave_of_each(at_0007)
    await to(database_url, "head")
    async with at_0007.engine.connect() as connection:
        invitation = await columns(connection, "invitation")
        assert {name: invitation[name] for name in PURGED[:3]} == dict.fromkeys(PURGED[:3], True)
        assert set(await columns(connection, "ask_hold")) == {
            "survey_id",
            "respondent_key",
            "tenant_id",
            "not_before",
        }
        assert "locale" not in await columns(connection, "response")
        assert not await has_rowid(connection)

    await to(database_url, "0007")
    async with at_0007.engine.connect() as connection:
        invitation = await columns(connection, "invitation")
        assert {name: invitation[name] for name in PURGED[:3]} == dict.fromkeys(PURGED[:3], False)
        assert await columns(connection, "ask_hold") == {}
        assert (await columns(connection, "response"))["locale"] is False
        assert not await has_rowid(connection)
    locale, zone, deliver_at, _, _ = await invitation_details(at_0007, waves["closed"])
    assert (locale, zone) == ("en", "UTC")
    assert isinstance(deliver_at, datetime) and deliver_at.replace(tzinfo=UTC) == NOW

    await to(database_url, "head")
