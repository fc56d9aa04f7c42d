"""A pooled PostgreSQL connection that died while idle is replaced before anyone uses it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot.domain.people import Person
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.views.common import ReasonPrompt, ScorePrompt
from storage.database import PING_AFTER_IDLE_SECONDS
from tests.conftest import TEST_PEPPER, create_database
from tests.support.clock import Clock
from tests.support.postgres import Cluster, temporary_cluster


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    with temporary_cluster() as cluster:
        if cluster is None:
            pytest.skip("PostgreSQL server binaries are not installed")
        yield cluster


async def test_a_server_restart_between_requests_costs_nobody_a_retry(
    own_cluster: Cluster,
) -> None:
    url = await create_database(own_cluster.admin_url)
    settings = Settings(_env_file=None, database_url=url, nps_pepper=TEST_PEPPER)
    services = await build_services(settings, migrate=True, clock=Clock())
    who = Person(platform="slack", tenant="T", user_id="U1")
    try:
        prompt = await services.engine.start(who)  # the pool now holds a live connection
        assert isinstance(prompt, ScorePrompt)
        await asyncio.to_thread(own_cluster.stop)
        await asyncio.to_thread(own_cluster.start)
        await asyncio.sleep(PING_AFTER_IDLE_SECONDS + 0.2)

        view = await services.engine.record_score(who, survey_id=prompt.survey_id, score=8)

        assert isinstance(view, ReasonPrompt), view
    finally:
        await services.database.dispose()
