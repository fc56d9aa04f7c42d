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

# Every effect under test happens inside a scheduler tick (a tick syncs the survey jobs,
# which opens a due wave, then delivers, reminds and closes), so a wait is measured in
# ticks that finished, never in seconds: a loaded machine only makes ticks slower.
TICKS_PER_EFFECT = 4
# Only a guard against a hung test; no healthy run comes near it.
HANG_SECONDS = 300


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

    def _after(self, count: int) -> list[int]:
        return [done + count for done in self._done]

    def _reached(self, wanted: list[int]) -> bool:
        return all(done >= want for done, want in zip(self._done, wanted, strict=True))

    async def _next(self, deadline: float) -> None:
        self._changed.clear()
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise AssertionError(f"the schedulers hung: no tick finished in {HANG_SECONDS} s")
        await asyncio.wait_for(self._changed.wait(), timeout=left)

    async def more(self, count: int) -> None:
        """Wait until every scheduler has finished ``count`` more ticks than now."""
        wanted = self._after(count)
        deadline = asyncio.get_running_loop().time() + HANG_SECONDS
        while not self._reached(wanted):
            await self._next(deadline)

    async def until(self, check: Callable[[], Awaitable[bool]], what: str) -> None:
        """Wait until ``check`` holds; fail once every scheduler has finished
        :data:`TICKS_PER_EFFECT` ticks without it holding (a tick that started before
        the change may miss it, the ones after it may not)."""
        wanted = self._after(TICKS_PER_EFFECT)
        deadline = asyncio.get_running_loop().time() + HANG_SECONDS
        while not await check():
            if self._reached(wanted):
                raise AssertionError(
                    f"the schedulers did not {what} in {TICKS_PER_EFFECT} ticks each"
                )
            await self._next(deadline)


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

        await ticks.until(opened_and_delivered, "open the wave and deliver")
        await ticks.until(lambda: _none(services, Invitation, *settled), "record every delivery")
        for scheduler in schedulers:
            assert scheduler.scheduler.get_job(f"open:{survey.id}") is not None
        assert dms(platform, KENJI) == 0  # evening in Tokyo: his invitation waits

        clock.now = datetime(2026, 3, 11, 1, 0, tzinfo=UTC)  # Wednesday 10:00 in Tokyo
        await ticks.until(lambda: _true(dms(platform, KENJI) == 1), "deliver in Tokyo's morning")
        await ticks.until(lambda: _none(services, Invitation, *settled), "record every delivery")
        for user_id in UTC_PEOPLE:
            who = Person(platform=PLATFORM, tenant=TENANT, user_id=user_id)
            await services.engine.record_score(who, survey_id=str(survey.id), score=9)

        clock.now = datetime(2026, 3, 23, tzinfo=UTC)  # both of Kenji's reminders are due
        await ticks.until(lambda: _true(dms(platform, KENJI) == 2), "remind Kenji")

        clock.now = datetime(2026, 3, 25, tzinfo=UTC)  # past the 14-day window
        await ticks.until(
            lambda: _none(services, Wave, col(Wave.status) == "open"), "close the wave"
        )
        await ticks.until(lambda: _true(len(platform.posts_in(DIGEST)) >= 1), "post the digest")
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
