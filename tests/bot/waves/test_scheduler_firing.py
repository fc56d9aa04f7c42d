"""Waves run by real ``AsyncIOScheduler`` firing: one scheduler, and two replicas at once.

The schedulers are started on the test's running loop with a one-second tick and are
never called directly: the test changes the survey and moves the wave clock, then
waits for what the schedulers' own firing does (open, deliver, remind, close, digest).
With two replicas, each on its own database connection pool, every effect happens once.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from sqlalchemy import ColumnElement, func, select
from sqlmodel import col

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

WAIT_SECONDS = 20


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait until ``check`` holds, polling while the schedulers fire on their own."""
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"the scheduler did not {what} in {WAIT_SECONDS} s")
        await asyncio.sleep(0.1)


class Ticks:
    """Counts each scheduler's finished ``tick`` jobs, so a test waits for firings that
    happened rather than for a span of wall-clock time that may hold none."""

    def __init__(self, schedulers: list[WaveScheduler]) -> None:
        self._done = [0] * len(schedulers)
        self._changed = asyncio.Event()
        for index, scheduler in enumerate(schedulers):
            scheduler.scheduler.add_listener(
                lambda event, at=index: self._finished(at, event),
                EVENT_JOB_EXECUTED | EVENT_JOB_ERROR,
            )

    def _finished(self, index: int, event: JobExecutionEvent) -> None:
        if event.job_id == "tick":
            self._done[index] += 1
            self._changed.set()

    async def more(self, count: int) -> None:
        """Wait until every scheduler has finished ``count`` more ticks than now."""
        wanted = [done + count for done in self._done]
        deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
        while any(done < want for done, want in zip(self._done, wanted, strict=True)):
            self._changed.clear()
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError(f"the schedulers did not tick {count} times")
            await asyncio.wait_for(self._changed.wait(), timeout=left)


async def count(services: Services, table: type, *where: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(table).where(*where)
    async with services.database.transaction() as session:
        return int((await session.execute(query)).scalar_one())


def dms(platform: RecordingPlatform, user_id: str) -> int:
    return len(platform.direct_to(user_id))


@pytest.mark.parametrize("replicas", [1, 2])
async def test_scheduled_firing_opens_delivers_reminds_and_closes_once(
    services: Services, platform: RecordingPlatform, survey: Survey, clock: Clock, replicas: int
) -> None:
    databases = [Database(services.database.url) for _ in range(replicas)]
    schedulers = []
    for database in databases:
        # One platform for all: each replica has its own connection pool and Reach.
        deps = dataclasses.replace(services.waves, database=database)
        reach = Reach(platform=platform, tenant=TENANT, per_second=200)
        schedulers.append(WaveScheduler(deps, [reach], tick_seconds=1))
    settled = (col(Invitation.status) == "sending",)
    ticks = Ticks(schedulers)
    try:
        for scheduler in schedulers:
            await scheduler.start()
        # Started while the survey's next opening is in April: nothing opens yet.
        await ticks.more(1)
        assert await count(services, Wave) == 0

        await edit_survey(
            services.database,
            platform=PLATFORM,
            tenant=TENANT,
            name=survey.name,
            changes={"cadence": "30 10 10 3 *"},  # 10 March 10:30 UTC: the clock's opening
        )

        async def opened_and_delivered() -> bool:
            return all(dms(platform, user) == 1 for user in UTC_PEOPLE)

        await eventually(opened_and_delivered, "open the wave and deliver")
        await eventually(lambda: _none(services, Invitation, *settled), "record every delivery")
        for scheduler in schedulers:
            assert scheduler.scheduler.get_job(f"open:{survey.id}") is not None
        assert dms(platform, KENJI) == 0  # evening in Tokyo: his invitation waits

        clock.now = datetime(2026, 3, 11, 1, 0, tzinfo=UTC)  # Wednesday 10:00 in Tokyo
        await eventually(lambda: _true(dms(platform, KENJI) == 1), "deliver in Tokyo's morning")
        await eventually(lambda: _none(services, Invitation, *settled), "record every delivery")
        for user_id in UTC_PEOPLE:
            who = Person(platform=PLATFORM, tenant=TENANT, user_id=user_id)
            await services.engine.record_score(who, survey_id=str(survey.id), score=9)

        clock.now = datetime(2026, 3, 23, tzinfo=UTC)  # both of Kenji's reminders are due
        await eventually(lambda: _true(dms(platform, KENJI) == 2), "remind Kenji")

        clock.now = datetime(2026, 3, 25, tzinfo=UTC)  # past the 14-day window
        await eventually(
            lambda: _none(services, Wave, col(Wave.status) == "open"), "close the wave"
        )
        await eventually(lambda: _true(len(platform.posts_in(DIGEST)) >= 1), "post the digest")
        await ticks.more(2)  # further firings of every replica change nothing

        assert await count(services, Wave) == 1
        assert await count(services, Invitation) == 4
        assert await count(services, Digest) == 1
        assert len(platform.posts_in(DIGEST)) == 1
        assert [dms(platform, user) for user in UTC_PEOPLE] == [1, 1, 1]
        assert dms(platform, KENJI) == 2  # one invitation, one reminder: missed ones collapse
        assert len(platform.calls_of("update_message")) == 4  # each invitation now says "closed"
    finally:
        for scheduler in schedulers:
            scheduler.shutdown()
        for database in databases:
            await database.dispose()


async def _true(value: bool) -> bool:
    return value


async def _none(services: Services, table: type, *where: ColumnElement[bool]) -> bool:
    return await count(services, table, *where) == 0
