"""Digests on their own cadence, posted through the recording Platform."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from bot.domain.cadence import TICK, survey_trigger
from bot.domain.errors import SurveyError
from bot.ports.reach import Reach
from bot.runtime.scheduling import WaveScheduler
from bot.runtime.services import Services
from bot.usecases.context import WaveDeps
from bot.usecases.surveys import edit_survey
from bot.usecases.waves.periodic import digest_window, post_periodic_digest
from storage.answer_scope import DayRange
from storage.database import Database
from storage.models import Digest, Survey
from tests.bot.waves.conftest import DIGEST, PLATFORM, TENANT
from tests.bot.waves.seeding import count_rows, seed_answers
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform, view_texts

MONDAYS = "0 9 * * 1"
# Monday 16 March 2026, 09:30 UTC: half an hour after the digest time.
AFTER = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)

cadences = st.sampled_from(["0 9 * * 1", "*/7 * * * *", "30 18 1 * *", "0 0 1 1 *", "15 3 * * *"])
zones = st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York", "Europe/Paris"])
moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@given(cadence=cadences, zone=zones, now=moments)
def test_the_window_ends_at_the_latest_fire_and_starts_at_the_one_before(
    cadence: str, zone: str, now: datetime
) -> None:
    trigger = survey_trigger(cadence, zone)
    window = digest_window(trigger, now=now)
    assert window is not None and window.start is not None
    assert window.start < window.end <= now
    next_fire = trigger.get_next_fire_time(None, window.end + TICK)
    assert next_fire is not None and next_fire > now
    assert trigger.get_next_fire_time(None, window.start + TICK) == window.end


def test_the_window_is_read_in_the_survey_zone() -> None:
    window = digest_window(survey_trigger(MONDAYS, "Asia/Tokyo"), now=AFTER)
    assert window is not None
    assert window.end == datetime(2026, 3, 16, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert window.key == "c20260316T0000Z"
    assert window.days == DayRange(since=date(2026, 3, 9), until=date(2026, 3, 16))


async def weekly(services: Services, survey: Survey) -> Survey:
    return await edit_survey(
        services.database,
        platform=PLATFORM,
        tenant=TENANT,
        name=survey.name,
        changes={"digest_cadence": MONDAYS},
    )


async def seed_week(services: Services, survey: Survey) -> None:
    """Four answers in the week before the digest, two in February, one today."""
    for day, score in ((9, 10), (10, 9), (12, 3), (15, 10)):
        await seed_answers(
            services, survey, day=date(2026, 3, day), score=score, reason=None, count=1
        )
    await seed_answers(services, survey, day=date(2026, 2, 3), score=0, reason=None, count=3)
    await seed_answers(services, survey, day=date(2026, 3, 16), score=0, reason=None, count=1)


def said(platform: RecordingPlatform) -> str:
    return " ".join(text for post in platform.posts_in(DIGEST) for text in view_texts(post.view))


async def test_a_weekly_digest_covers_its_week_once_with_the_trend_chart(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    survey = await weekly(services, survey)
    await seed_week(services, survey)
    clock.now = AFTER

    assert await post_periodic_digest(deps, reach, survey_id=survey.id) is True
    assert await post_periodic_digest(deps, reach, survey_id=survey.id) is False

    assert len(platform.posts_in(DIGEST)) == 1
    text = said(platform)
    assert "pulse: March 9, 2026 – March 15, 2026" in text
    assert "from 4 answers" in text  # the week's answers only: not February's, not today's
    [chart] = [post for post in platform.posts if post.image is not None]
    assert chart.channel == DIGEST
    assert chart.image is not None and chart.image.startswith(b"\x89PNG")
    assert await count_rows(services, Digest) == 1


async def test_no_digest_below_k_and_none_without_a_cadence(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    clock.now = AFTER
    await seed_week(services, survey)
    assert await post_periodic_digest(deps, reach, survey_id=survey.id) is False  # no cadence

    survey = await weekly(services, survey)
    clock.now = AFTER + timedelta(days=7)  # the week of 16 March holds one answer
    assert await post_periodic_digest(deps, reach, survey_id=survey.id) is False
    assert platform.posts_in(DIGEST) == []
    assert await count_rows(services, Digest) == 0


async def test_two_callers_post_one_digest(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    survey = await weekly(services, survey)
    await seed_week(services, survey)
    clock.now = AFTER
    databases = [Database(services.database.url) for _ in range(2)]
    try:
        results = await asyncio.gather(
            *(
                post_periodic_digest(
                    dataclasses.replace(deps, database=database), reach, survey_id=survey.id
                )
                for database in databases
            )
        )
    finally:
        for database in databases:
            await database.dispose()
    assert sorted(results) == [False, True]
    assert len(platform.posts_in(DIGEST)) == 1
    assert await count_rows(services, Digest) == 1


async def test_the_scheduler_derives_the_job_and_catches_up_once(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    scheduler = WaveScheduler(deps, [reach])
    await scheduler.sync()
    assert scheduler.scheduler.get_job(f"digest:{survey.id}") is None

    survey = await weekly(services, survey)
    await seed_week(services, survey)
    clock.now = AFTER + timedelta(days=2)  # the process was down on Monday
    await scheduler.sync()
    await scheduler.sync()
    job = scheduler.scheduler.get_job(f"digest:{survey.id}")
    assert job is not None
    assert job.trigger.timezone == ZoneInfo("UTC")
    assert len(platform.posts_in(DIGEST)) == 1  # caught up once, not repeated

    await edit_survey(
        services.database,
        platform=PLATFORM,
        tenant=TENANT,
        name=survey.name,
        changes={"digest_cadence": None},
    )
    await scheduler.sync()
    assert scheduler.scheduler.get_job(f"digest:{survey.id}") is None


async def test_an_invalid_digest_cadence_is_refused(services: Services, survey: Survey) -> None:
    with pytest.raises(SurveyError, match="invalid digest cadence"):
        await edit_survey(
            services.database,
            platform=PLATFORM,
            tenant=TENANT,
            name=survey.name,
            changes={"digest_cadence": "every monday"},
        )
    async with services.database.transaction() as session:
        stored = await session.get(Survey, survey.id)
        assert stored is not None and stored.digest_cadence is None


async def test_a_digest_the_platform_refuses_does_not_stop_the_sync(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    survey = await weekly(services, survey)
    await seed_week(services, survey)
    clock.now = AFTER
    platform.refuse(DIGEST)
    scheduler = WaveScheduler(deps, [reach])

    await scheduler.sync()

    assert scheduler.scheduler.get_job(f"digest:{survey.id}") is not None
    assert scheduler.scheduler.get_job(f"open:{survey.id}") is not None
    assert platform.calls_of("post_to_channel") == [DIGEST]  # tried, and refused
    assert await count_rows(services, Digest) == 1  # claimed first: never posted twice


async def test_a_stored_digest_cadence_now_refused_posts_nothing(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    # Stored past the settings' checks, as before cadences had to fire at most daily:
    # a job scheduled earlier may still fire before the next sync drops it.
    async with services.database.transaction() as session:
        await session.execute(
            update(Survey).where(Survey.id == survey.id).values(digest_cadence="0 0,12 * * *")
        )
    # Enough answers on the day before ``AFTER`` for its last half-day to make a digest.
    await seed_answers(services, survey, day=date(2026, 3, 15), score=9, reason=None, count=5)
    clock.now = AFTER

    assert await post_periodic_digest(deps, reach, survey_id=survey.id) is False
    assert platform.posts_in(DIGEST) == []
    assert await count_rows(services, Digest) == 0
