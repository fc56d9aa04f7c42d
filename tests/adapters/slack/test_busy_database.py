"""A click while every pooled database connection is busy: it waits its turn, and past
``DATABASE_POOL_WAIT_SECONDS`` the person is asked to try again, with nothing stored."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.runtime.services import Services
from bot.runtime.settings import Settings
from tests.adapters.slack.conftest import RunningApp, count_responses, eventually, settle
from tests.adapters.slack.test_respondent_path import ANN, ask, click
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.support.slack_requests import SlackRequestBuilder

POOL_WAIT_SECONDS = 2.0


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        nps_pepper=TEST_PEPPER,
        database_pool_wait_seconds=POOL_WAIT_SECONDS,
    )


@asynccontextmanager
async def every_connection_busy(services: Services) -> AsyncIterator[None]:
    """Hold every connection the pool can give (its size and its overflow) until exit."""
    engine = services.database.engine
    pool = engine.sync_engine.pool
    capacity = pool.size() + pool._max_overflow  # type: ignore[attr-defined]
    held: list[AsyncConnection] = []
    try:
        for _ in range(capacity):
            connection = await engine.connect()
            held.append(connection)
            await connection.exec_driver_sql("SELECT 1")
        yield
    finally:
        for connection in held:
            await connection.close()


async def test_a_click_waits_for_a_busy_pool_and_its_answer_is_stored(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    survey = await ask(app, slack, requests, ANN)

    async with every_connection_busy(slack_services):
        status, _ = await app.post(click(requests, ANN, survey, 9))
        assert status == 200
        # The answer is waiting for a connection, well inside the pool's wait.
        await asyncio.sleep(POOL_WAIT_SECONDS / 8)
    await settle(app)

    assert await count_responses(slack_services) == 1
    assert slack.responses == []  # no "try again": the reason form opened instead
    assert len(slack.calls("views.open")) == 1


async def test_past_the_pools_wait_the_person_is_asked_to_try_again_and_nothing_is_stored(
    app: RunningApp, slack: SlackApiDouble, requests: SlackRequestBuilder, slack_services: Services
) -> None:
    survey = await ask(app, slack, requests, ANN)
    try_again = slack_services.catalogs.translator("en")("error.try_again")

    async with every_connection_busy(slack_services):
        status, _ = await app.post(click(requests, ANN, survey, 9))
        assert status == 200
        await eventually(lambda: bool(slack.responses))
        await settle(app)
    assert [post.payload["text"] for post in slack.responses] == [try_again]
    assert slack.responses[0].payload["response_type"] == "ephemeral"
    assert await count_responses(slack_services) == 0
    assert slack.calls("views.open") == []

    # Once connections are free again, the same button stores the answer.
    slack.responses.clear()
    await app.post(click(requests, ANN, survey, 9))
    await settle(app)
    assert await count_responses(slack_services) == 1
    assert len(slack.calls("views.open")) == 1
