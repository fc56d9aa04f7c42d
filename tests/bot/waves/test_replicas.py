"""Two replicas firing the same scheduled jobs at once produce one effect of each kind."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.domain.people import Person
from bot.ports.reach import Reach
from bot.runtime.scheduling import WaveScheduler
from bot.runtime.services import Services
from bot.usecases.surveys import edit_survey
from storage.database import Database
from storage.models import Digest, Invitation, Survey, Wave
from tests.bot.waves.conftest import DIGEST, KENJI, PLATFORM, TENANT, UTC_PEOPLE
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform


async def count(services: Services, table: type) -> int:
    async with services.database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def test_two_replicas_open_deliver_and_close_once(
    services: Services, platform: RecordingPlatform, survey: Survey, clock: Clock
) -> None:
    await edit_survey(
        services.database,
        platform=PLATFORM,
        tenant=TENANT,
        name=survey.name,
        changes={"cadence": "30 10 * * 2"},  # Tuesdays 10:30 UTC: the clock's opening
    )
    replicas: list[WaveScheduler] = []
    databases: list[Database] = []
    for _ in range(2):
        database = Database(services.database.url)
        databases.append(database)
        # One platform for both: each replica has its own connection pool and Reach.
        deps = dataclasses.replace(services.waves, database=database)
        replicas.append(
            WaveScheduler(deps, [Reach(platform=platform, tenant=TENANT, per_second=500)])
        )
    try:
        await asyncio.gather(
            *(r.open_scheduled(tenant=TENANT, survey_id=survey.id) for r in replicas)
        )
        clock.now = datetime(2026, 3, 11, 1, 0, tzinfo=UTC)
        await asyncio.gather(*(r.tick() for r in replicas))

        assert await count(services, Wave) == 1
        assert await count(services, Invitation) == 4
        posted = sorted(platform.calls_of("send_direct", "post_to_channel"))
        assert posted == sorted([*UTC_PEOPLE, KENJI])

        for user_id in UTC_PEOPLE:
            who = Person(platform=PLATFORM, tenant=TENANT, user_id=user_id)
            await services.engine.record_score(who, survey_id=str(survey.id), score=9)
        clock.now = datetime(2026, 3, 25, tzinfo=UTC)
        await asyncio.gather(*(r.tick() for r in replicas))

        assert await count(services, Digest) == 1
        assert len(platform.posts_in(DIGEST)) == 1
        assert len(platform.calls_of("update_message")) == 4
        jobs = {job.id for job in replicas[0].scheduler.get_jobs()}
        assert jobs == {f"open:{survey.id}"}
    finally:
        for database in databases:
            await database.dispose()
