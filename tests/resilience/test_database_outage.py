"""PostgreSQL goes away while people answer: clear messages, nothing lost, self-recovery."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from bot.domain.people import Person
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.views.common import Notice, ReasonPrompt, ScorePrompt, Tone
from storage.models import Response
from tests.conftest import TEST_PEPPER, create_database
from tests.support.clock import Clock
from tests.support.postgres import Cluster, temporary_cluster


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    with temporary_cluster() as cluster:
        if cluster is None:
            pytest.skip("PostgreSQL server binaries are not installed")
        yield cluster


async def test_outage_gives_try_again_and_recovers_without_losing_answers(
    own_cluster: Cluster,
) -> None:
    url = await create_database(own_cluster.admin_url)
    settings = Settings(_env_file=None, database_url=url, nps_pepper=TEST_PEPPER)
    services = await build_services(settings, migrate=True, clock=Clock())
    engine = services.engine
    people = [Person(platform="slack", tenant="T", user_id=f"U{i}") for i in range(4)]
    try:
        prompts = [await engine.start(p) for p in people]
        assert all(isinstance(p, ScorePrompt) for p in prompts), prompts
        first = prompts[0]
        assert isinstance(first, ScorePrompt)
        survey_id = first.survey_id
        acknowledged = await engine.record_score(people[0], survey_id=survey_id, score=9)
        assert isinstance(acknowledged, ReasonPrompt)

        await asyncio.to_thread(own_cluster.stop)
        during = [await engine.record_score(p, survey_id=survey_id, score=3) for p in people[1:]]
        for view in during:
            assert isinstance(view, Notice) and view.tone is Tone.ERROR
            assert "try again in a moment" in view.text
        await asyncio.to_thread(own_cluster.start)

        after = [await engine.record_score(p, survey_id=survey_id, score=3) for p in people[1:]]
        assert all(isinstance(view, ReasonPrompt) for view in after)
        again = await engine.record_score(people[0], survey_id=survey_id, score=9)
        assert isinstance(again, Notice) and "already recorded" in again.text
        async with services.database.transaction() as session:
            scores = sorted((await session.execute(select(col(Response.score)))).scalars())
            total = (await session.execute(select(func.count()).select_from(Response))).scalar()
        assert scores == [3, 3, 3, 9] and total == 4
    finally:
        await services.database.dispose()
