"""/healthz and /metrics served beside /slack/events, exercised over real HTTP."""

from __future__ import annotations

import asyncio
import copy
import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from adapters.ops.endpoints import HEALTH_PATH, METRICS_PATH, ops_routes
from adapters.slack.app import create_app
from adapters.slack.client import build_client
from adapters.slack.server import EVENTS_PATH, http_server
from bot.runtime.health import HealthProbe
from bot.runtime.lifecycle import InFlight
from bot.runtime.metrics import Metrics
from bot.runtime.services import Services
from storage.database import Database
from tests.adapters.slack.conftest import (
    LISTED_ADMIN,
    SECRET,
    TOKEN,
    buttons,
    count_responses,
    eventually,
)
from tests.doubles.slack_api import SlackApiDouble
from tests.support.ops import context_for
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import Delivery
from tests.support.waiting import HANG_GUARD_SECONDS

ANN = "U0ANN0001"


@pytest.fixture
def metrics(slack_services: Services) -> Metrics:
    built = Metrics()
    built.watch_database(slack_services.database)
    return built


@pytest.fixture
def scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone="UTC")


async def serve(
    slack: SlackApiDouble, services: Services, *, health: HealthProbe, metrics: Metrics
) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    client = build_client(token=TOKEN, base_url=slack.base_url)
    bolt, _ = create_app(services, client=client, signing_secret=SECRET, admin_ids=[LISTED_ADMIN])
    ops = ops_routes(context_for(services, health=health, metrics=metrics))
    inflight = InFlight()
    inflight.install(asyncio.get_running_loop())
    async with (
        http_server(
            bolt, host="127.0.0.1", port=0, ops=ops, metrics=metrics, inflight=inflight
        ) as origin,
        aiohttp.ClientSession() as session,
    ):
        yield origin, session
        # Listeners keep working after Slack's ack: the test is over once they are done,
        # not while one still uses the database its event loop is about to close.
        deadline = asyncio.get_running_loop().time() + HANG_GUARD_SECONDS
        assert await inflight.drain(deadline=deadline) == 0


@pytest.fixture
async def server(
    slack: SlackApiDouble,
    slack_services: Services,
    metrics: Metrics,
    scheduler: AsyncIOScheduler,
) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    health = HealthProbe(slack_services.database, scheduler=scheduler)
    async for running in serve(slack, slack_services, health=health, metrics=metrics):
        yield running


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, str, str]:
    async with session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def answers_stored(services: Services, expected: int) -> None:
    """Wait until the listener working after the ack has stored ``expected`` answers."""

    async def stored() -> bool:
        return await count_responses(services) == expected

    await eventually(stored, what=f"{expected} answers stored")


def sample(text: str, name: str, labels: str = "") -> float:
    """The value of one sample in the exposition text (0 when absent)."""
    pattern = rf"^{re.escape(name)}{re.escape(labels)} (\S+)$"
    found = re.search(pattern, text, flags=re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def test_healthz_reports_the_database_and_the_scheduler(
    server: tuple[str, aiohttp.ClientSession], scheduler: AsyncIOScheduler
) -> None:
    origin, session = server
    async with session.get(f"{origin}{HEALTH_PATH}") as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        assert await response.json() == {
            "status": "ok",
            "database": "ok",
            "scheduler": "stopped",
        }

    scheduler.start()
    try:
        async with session.get(f"{origin}{HEALTH_PATH}") as response:
            assert (await response.json())["scheduler"] == "running"
    finally:
        scheduler.shutdown(wait=False)


async def test_healthz_answers_503_with_a_reason_when_the_database_is_unreachable(
    slack: SlackApiDouble, slack_services: Services, metrics: Metrics, tmp_path: Path
) -> None:
    unreachable = Database(f"sqlite+aiosqlite:///{tmp_path / 'gone' / 'nps.db'}")
    await unreachable.dispose()
    try:
        async for origin, session in serve(
            slack, slack_services, health=HealthProbe(unreachable), metrics=metrics
        ):
            async with session.get(f"{origin}{HEALTH_PATH}") as response:
                assert response.status == 503
                body = await response.json()
    finally:
        await unreachable.dispose()

    assert body["status"] == "unavailable"
    assert body["database"] == "unreachable"
    assert body["reason"].startswith("cannot reach the database: ")


async def test_metrics_count_a_signed_score_click_and_a_forged_request(
    server: tuple[str, aiohttp.ClientSession],
    slack: SlackApiDouble,
    requests: SlackRequestBuilder,
    slack_services: Services,
) -> None:
    origin, session = server
    events = f"{origin}{EVENTS_PATH}"
    _, _, before = await get(session, f"{origin}{METRICS_PATH}")
    assert sample(before, "nps_bot_answers_stored_total") == 0

    command = requests.slash_command(user_id=ANN)
    async with session.post(events, data=command.body, headers=command.headers) as response:
        assert response.status == 200
    dm = slack.workspace.dm_channel(ANN)
    await eventually(lambda: bool(slack.workspace.messages_in(dm)))
    survey = copy.deepcopy(slack.workspace.messages_in(dm)[-1])
    button = next(b for b in buttons(survey.blocks) if b["text"]["text"] == "9")
    click = requests.block_actions(
        user_id=ANN,
        action_id=button["action_id"],
        value=button["value"],
        channel_id=survey.channel,
        message_ts=survey.ts,
    )
    async with session.post(events, data=click.body, headers=click.headers) as response:
        assert response.status == 200
    forged = requests.slash_command(user_id=ANN, delivery=Delivery(bad_signature=True))
    async with session.post(events, data=forged.body, headers=forged.headers) as response:
        assert response.status == 401
    await answers_stored(slack_services, 1)

    status, content_type, text = await get(session, f"{origin}{METRICS_PATH}")
    assert status == 200
    assert content_type.startswith("text/plain")
    assert await count_responses(slack_services) == 1
    assert sample(text, "nps_bot_answers_stored_total") == 1
    assert sample(text, "nps_bot_request_latency_seconds_count", '{platform="slack"}') == 3
    assert sample(text, "nps_bot_platform_errors_total", '{kind="http_401",platform="slack"}') == 1
    assert "# TYPE nps_bot_invitations_total counter" in text
    assert "# TYPE nps_bot_job_runs_total counter" in text
