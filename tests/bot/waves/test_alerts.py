"""Closed-loop alerts, posted through the recording Platform."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.ports.reach import Reach
from bot.runtime.scheduling import WaveScheduler
from bot.runtime.services import Services
from bot.stats.change import ALPHA
from bot.usecases.context import WaveDeps
from bot.usecases.surveys import edit_survey
from bot.usecases.waves.alerts import alert_on_drop, post_reasons_alert, significant_drop
from bot.usecases.waves.closing import close_wave
from storage.database import Database
from storage.models import Alert, Survey
from tests.bot.waves.conftest import DIGEST, PLATFORM, TENANT
from tests.bot.waves.seeding import count_rows, seed_answers, seed_wave
from tests.support.clock import Clock
from tests.support.recording_platform import RecordingPlatform, view_texts

ALERTS = "C0ALERTS1"
FIRST = datetime(2026, 1, 13, 10, 0, tzinfo=UTC)
SECOND = datetime(2026, 2, 10, 10, 0, tzinfo=UTC)
TODAY = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
HIGH = [10] * 6 + [9] * 4
LOW = [2] * 6 + [10] * 4
GRUMBLE = "Slow builds again"
UNSAFE = "Slow builds <!channel> @here <https://evil.example|x>"
PRAISE = "Great team, kind people"

histograms = st.lists(st.integers(min_value=0, max_value=60), min_size=11, max_size=11).map(tuple)


async def with_alerts(services: Services, survey: Survey) -> Survey:
    return await edit_survey(
        services.database,
        platform=PLATFORM,
        tenant=TENANT,
        name=survey.name,
        changes={"alert_channel": ALERTS},
    )


def posted(platform: RecordingPlatform) -> list[str]:
    """Every text the alert channel received."""
    return [text for post in platform.posts_in(ALERTS) for text in view_texts(post.view)]


@given(current=histograms, previous=histograms, k=st.integers(min_value=3, max_value=40))
def test_a_drop_is_a_significant_fall_with_k_answers_on_both_sides(
    current: tuple[int, ...], previous: tuple[int, ...], k: int
) -> None:
    drop = significant_drop(current, previous, k=k)
    if sum(current) < k or sum(previous) < k:
        assert drop is None
    if drop is not None:
        assert drop.p_value is not None and drop.p_value < ALPHA
        assert drop.z is not None and drop.z < 0
        assert significant_drop(previous, current, k=k) is None


async def test_a_wave_whose_nps_fell_alerts_once_at_closing(
    services: Services, deps: WaveDeps, reach: Reach, platform: RecordingPlatform, survey: Survey
) -> None:
    survey = await with_alerts(services, survey)
    await seed_wave(services, survey, opens=FIRST, scores=HIGH)
    second = await seed_wave(services, survey, opens=SECOND, scores=LOW)

    assert await close_wave(deps, reach, wave_id=second) is True
    assert await alert_on_drop(deps, reach, wave_id=second) is False

    assert len(platform.posts_in(ALERTS)) == 1
    said = " ".join(posted(platform))
    assert "NPS fell: pulse" in said
    assert "-20 (n = 10)" in said and "+100 (n = 10)" in said
    assert "-120 points, p = 0.002" in said
    assert len(platform.posts_in(DIGEST)) == 1  # the closing digest still posts
    assert await count_rows(services, Alert) == 1


async def test_no_drop_alert_for_a_rise_below_k_or_without_a_channel(
    services: Services, deps: WaveDeps, reach: Reach, platform: RecordingPlatform, survey: Survey
) -> None:
    first = await seed_wave(services, survey, opens=FIRST, scores=LOW)
    rise = await seed_wave(services, survey, opens=SECOND, scores=HIGH)
    assert await alert_on_drop(deps, reach, wave_id=rise) is False  # no channel yet

    survey = await with_alerts(services, survey)
    assert await alert_on_drop(deps, reach, wave_id=first) is False  # nothing before it
    assert await alert_on_drop(deps, reach, wave_id=rise) is False
    few = await seed_wave(services, survey, opens=TODAY, scores=[0, 0])
    assert await alert_on_drop(deps, reach, wave_id=few) is False  # 2 < k
    assert platform.posts_in(ALERTS) == []


async def test_two_callers_post_one_drop_alert(
    services: Services, deps: WaveDeps, reach: Reach, platform: RecordingPlatform, survey: Survey
) -> None:
    survey = await with_alerts(services, survey)
    await seed_wave(services, survey, opens=FIRST, scores=HIGH)
    second = await seed_wave(services, survey, opens=SECOND, scores=LOW)
    databases = [Database(services.database.url) for _ in range(2)]
    try:
        results = await asyncio.gather(
            *(
                alert_on_drop(dataclasses.replace(deps, database=db), reach, wave_id=second)
                for db in databases
            )
        )
    finally:
        for database in databases:
            await database.dispose()
    assert sorted(results) == [False, True]
    assert len(platform.posts_in(ALERTS)) == 1
    assert await count_rows(services, Alert) == 1


async def seed_reasons(services: Services, survey: Survey, *, day: date, grumbles: int) -> None:
    """``grumbles`` detractor reasons, two of them trying to ping, link and format."""
    await seed_answers(services, survey, day=day, score=3, reason=UNSAFE, count=min(grumbles, 2))
    await seed_answers(
        services, survey, day=day, score=3, reason=GRUMBLE, count=max(grumbles - 2, 0)
    )


async def test_detractor_reasons_alert_in_one_delayed_escaped_batch(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    survey = await with_alerts(services, survey)
    assert survey.k_comments == 8
    yesterday = TODAY.date() - timedelta(days=1)
    await seed_reasons(services, survey, day=yesterday, grumbles=8)
    await seed_answers(services, survey, day=yesterday, score=10, reason=PRAISE, count=8)
    await seed_reasons(services, survey, day=TODAY.date(), grumbles=3)  # today: not yet
    clock.now = TODAY

    assert await post_reasons_alert(deps, reach, survey_id=survey.id) is True
    assert await post_reasons_alert(deps, reach, survey_id=survey.id) is False
    [alert] = platform.posts_in(ALERTS)
    texts = posted(platform)
    assert "Detractors' reasons: pulse" in texts
    assert any("8 detractors explained their score up to March 9, 2026" in t for t in texts)
    assert any(t.startswith("slow") for t in texts)  # a theme of theirs
    assert all(GRUMBLE not in t and "evil" not in t for t in texts)  # never the answers
    raw = json.dumps(view_texts(alert.view))
    for unsafe in ("<!channel>", "@here", "<https://"):
        assert unsafe not in raw

    # The next day only the reasons since the last alert count: 3 are too few.
    clock.now = TODAY + timedelta(days=1)
    assert await post_reasons_alert(deps, reach, survey_id=survey.id) is False
    # Five more are not enough either: texts are released only k_comments new at a time,
    # so the alert cannot be compared with a report to read five people's words.
    await seed_reasons(services, survey, day=TODAY.date(), grumbles=5)
    assert await post_reasons_alert(deps, reach, survey_id=survey.id) is False
    await seed_reasons(services, survey, day=TODAY.date(), grumbles=3)
    assert await post_reasons_alert(deps, reach, survey_id=survey.id) is True
    second = platform.posts_in(ALERTS)[-1]
    assert "11 detractors explained their score between March 10, 2026 and March 10, 2026" in (
        " ".join(view_texts(second.view))
    )
    assert await count_rows(services, Alert) == 2


async def test_the_daily_job_on_two_replicas_posts_one_reasons_alert(
    services: Services,
    deps: WaveDeps,
    reach: Reach,
    platform: RecordingPlatform,
    survey: Survey,
    clock: Clock,
) -> None:
    survey = await with_alerts(services, survey)
    await seed_reasons(services, survey, day=TODAY.date() - timedelta(days=2), grumbles=9)
    clock.now = TODAY
    databases = [Database(services.database.url) for _ in range(2)]
    replicas = [
        WaveScheduler(dataclasses.replace(deps, database=database), [reach])
        for database in databases
    ]
    try:
        await asyncio.gather(*(replica.alert_reasons() for replica in replicas))
    finally:
        for database in databases:
            await database.dispose()
    [alert] = platform.posts_in(ALERTS)
    assert "9 detractors" in " ".join(view_texts(alert.view))
    assert await count_rows(services, Alert) == 1


async def test_the_reasons_alerts_run_daily_beside_the_tick(deps: WaveDeps, reach: Reach) -> None:
    scheduler = WaveScheduler(deps, [reach])
    await scheduler.start()
    try:
        job = scheduler.scheduler.get_job("alerts")
        # Jobs run wrapped (counted for a graceful stop); the wrapper names what it runs.
        assert job is not None and job.func.__wrapped__ == scheduler.alert_reasons
        assert str(job.trigger) == "cron[hour='3']"
    finally:
        scheduler.shutdown()
