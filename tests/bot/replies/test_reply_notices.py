"""The notice that replies exist: on a fixed cadence with jitter, to the survey's
channel only, once however many replicas run it, naming no one."""

from __future__ import annotations

import asyncio
import dataclasses

from sqlalchemy import select
from sqlmodel import col

from bot.domain.surveys import DEFAULT_SURVEY
from bot.ports.reach import Reach
from bot.runtime.scheduling import REPLIES_EVERY, REPLIES_JITTER, WaveScheduler
from bot.runtime.services import Services
from bot.views.common import Notice
from storage import replies
from storage.database import Database
from storage.models import Survey
from tests.support.recording_platform import RecordingPlatform
from tests.support.replies_world import CHANNEL, quoted, released_report, writers


def _reach() -> tuple[RecordingPlatform, Reach]:
    platform = RecordingPlatform(tenant="local", name="console")
    return platform, Reach(platform=platform, tenant="local")


async def test_the_notice_runs_every_six_hours_with_jitter(services: Services) -> None:
    _, reach = _reach()
    scheduler = WaveScheduler(services.waves, [reach])
    await scheduler.start()
    try:
        job = scheduler.scheduler.get_job("replies")
        assert job is not None and job.func.__wrapped__ == scheduler.announce_replies
        assert job.trigger.interval == REPLIES_EVERY
        assert job.trigger.jitter == int(REPLIES_JITTER.total_seconds()) > 0
    finally:
        scheduler.shutdown()


async def test_two_replicas_post_one_notice_and_only_news_is_announced(
    services: Services,
) -> None:
    everyone = await writers(services)
    handles = quoted(await released_report(services), everyone)
    platform, reach = _reach()
    databases = [Database(services.database.url) for _ in range(2)]
    replicas = [
        WaveScheduler(dataclasses.replace(services.waves, database=database), [reach])
        for database in databases
    ]
    try:
        await asyncio.gather(*(replica.announce_replies() for replica in replicas))
        assert platform.posts == []  # nothing to announce yet
        for handle in list(handles)[:2]:
            await services.replies.send(
                platform="console", tenant="local", name=DEFAULT_SURVEY, handle=handle, text="hi"
            )
        await asyncio.gather(*(replica.announce_replies() for replica in replicas))
        await asyncio.gather(*(replica.announce_replies() for replica in replicas))
    finally:
        for database in databases:
            await database.dispose()
    [post] = platform.posts
    assert post.channel == CHANNEL and isinstance(post.view, Notice)
    t = services.catalogs.translator("en")
    assert post.view.text == t("replies.notice", survey=DEFAULT_SURVEY)
    assert platform.directs == []


async def test_a_survey_without_a_channel_is_marked_but_posts_nothing(
    services: Services,
) -> None:
    everyone = await writers(services)
    handles = quoted(await released_report(services, channel=None), everyone)
    await services.replies.send(
        platform="console",
        tenant="local",
        name=DEFAULT_SURVEY,
        handle=next(iter(handles)),
        text="x",
    )
    platform, reach = _reach()
    scheduler = WaveScheduler(services.waves, [reach])
    await scheduler.announce_replies()
    assert platform.posts == [] and platform.directs == []
    async with services.database.transaction() as session:
        tenant = (await session.execute(select(col(Survey.tenant_id)))).scalar_one()
        assert await replies.surveys_with_news(session, tenant_id=tenant) == ()
