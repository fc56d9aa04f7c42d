"""The alert table: migration 0005 both ways, and one row per survey, kind, period, channel."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import inspect

from bot.runtime.services import Services
from storage import aggregates, alerts, tenants
from storage.answer_scope import DayRange
from storage.database import Database
from storage.migrate import alembic_config, upgrade
from storage.models import Survey

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


async def survey_of(services: Services) -> Survey:
    async with services.database.transaction() as session:
        tenant = await tenants.get_or_create_tenant(
            session, platform="slack", external_id="T1", locale="en", now=NOW
        )
        survey = Survey(tenant_id=tenant.id, name="pulse", created_at=NOW)
        session.add(survey)
    return survey


async def columns(database: Database, table: str) -> set[str]:
    async with database.engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: {column["name"] for column in inspect(sync).get_columns(table)}
        )


async def test_migration_0005_goes_down_and_up_again(database_url: str) -> None:
    await upgrade(database_url)
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "0004")
    database = Database(database_url)
    try:
        survey_columns = await columns(database, "survey")
        assert not {"alert_channel", "digest_cadence"} & survey_columns
        await upgrade(database_url)
        assert {"alert_channel", "digest_cadence"} <= await columns(database, "survey")
        assert {"survey_id", "kind", "period", "channel"} <= await columns(database, "alert")
    finally:
        await database.dispose()


async def test_an_alert_is_recorded_once(services: Services) -> None:
    survey = await survey_of(services)
    key = {"survey_id": survey.id, "kind": "drop", "period": "w1", "channel": "C1", "now": NOW}
    async with services.database.transaction() as session:
        assert await alerts.record_alert(session, **key) is True
        assert await alerts.record_alert(session, **key) is False
        assert await alerts.record_alert(session, **{**key, "channel": "C2"}) is True
        assert await alerts.record_alert(session, **{**key, "kind": "reasons"}) is True
        last = await alerts.last_alert_period(
            session, survey_id=survey.id, kind="drop", channel="C1"
        )
        assert last == "w1"
        days = DayRange(since=date(2026, 3, 1), until=date(2026, 3, 10))
        assert await aggregates.answers_between(session, survey_id=survey.id, days=days) == 0
