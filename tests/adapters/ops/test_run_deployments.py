"""``nps-bot run`` answers ``/healthz`` and ``/metrics`` in every deployment, once.

Real processes against the local doubles: Discord only (started through the launcher
that points discord.py at its double, as the memory bench does), Slack in Socket Mode,
and Slack in HTTP mode, where the endpoints live on the Slack port and ``HEALTH_PORT``
stays closed.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.memory import LAUNCHER
from bot.usecases.surveys import SurveySpec, create_survey
from storage.database import Database
from tests.adapters.discord.world import ALICE, GUILD
from tests.conftest import TEST_PEPPER
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.slack_api import SlackApiDouble
from tests.support.loopback import listens
from tests.support.waiting import HANG_GUARD_SECONDS

API_TOKEN = "o" * 40
SLACK_TOKEN = "xoxb-ops-test"
APP_TOKEN = "xapp-1-ops-test"
HEALTHY = {"status": "ok", "database": "ok", "scheduler": "running"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(database_url: str, **settings: str) -> dict[str, str]:
    """The process environment: no platform settings but ``settings``."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "HEALTH_", "HTTP_", "API_"))
    }
    return {
        **inherited,
        "DATABASE_URL": database_url,
        "NPS_PEPPER": TEST_PEPPER,
        "HTTP_HOST": "127.0.0.1",
        **settings,
    }


@asynccontextmanager
async def running(
    arguments: list[str], env: dict[str, str], *, port: int, workdir: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The process started with ``arguments``, once it listens on ``port``."""
    log_path = workdir / "bot.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, *arguments, cwd=workdir, env=env, stdout=log, stderr=log
        )
    try:
        await listening(port, process, log_path)
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


async def listening(port: int, process: asyncio.subprocess.Process, log: Path) -> None:
    if await listens(port, process):
        return
    if process.returncode is not None:
        raise AssertionError(f"nps-bot run exited:\n{text_of(log)}")
    raise AssertionError(f"nothing listens on {port}:\n{text_of(log)}")


def text_of(log: Path) -> str:
    return log.read_text(errors="replace")


async def health_and_metrics(origin: str) -> tuple[dict[str, Any], str]:
    """The body of ``/healthz`` (asserting 200) and the text of ``/metrics``."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{origin}/healthz") as answer:
            assert answer.status == 200
            assert answer.headers["Cache-Control"] == "no-store"
            health = await answer.json()
        async with session.get(f"{origin}/metrics") as answer:
            assert answer.status == 200
            assert answer.headers["Content-Type"].startswith("text/plain")
            metrics = await answer.text()
    return health, metrics


async def a_survey(database_url: str, *, platform: str, tenant: str) -> str:
    database = Database(database_url)
    try:
        survey = await create_survey(
            database,
            platform=platform,
            tenant=tenant,
            spec=SurveySpec(name="support"),
            now=datetime.now(UTC),
            default_locale="en",
        )
    finally:
        await database.dispose()
    return str(survey.id)


async def send(origin: str, survey: str, user: str) -> dict[str, Any]:
    """POST the send API, waiting out the 503s answered until the platform connects."""
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    deadline = asyncio.get_running_loop().time() + HANG_GUARD_SECONDS
    async with aiohttp.ClientSession() as session:
        while True:
            url = f"{origin}/api/surveys/{survey}/send"
            async with session.post(url, json={"user": user}, headers=headers) as answer:
                if answer.status != 503 or asyncio.get_running_loop().time() > deadline:
                    assert answer.status == 200, await answer.text()
                    body: dict[str, Any] = await answer.json()
                    return body
            await asyncio.sleep(0.1)


async def test_discord_only_serves_health_metrics_and_the_send_api(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    async with DiscordDouble(guilds=[GUILD], redirect_discord_py=False) as discord:
        env = environment(
            database_url,
            DISCORD_TOKEN=discord.token,
            HEALTH_PORT=str(port),
            API_TOKEN=API_TOKEN,
        )
        launcher = ["-c", LAUNCHER, discord.api_base_url, discord.gateway_url]
        async with running(launcher, env, port=port, workdir=tmp_path):
            origin = f"http://127.0.0.1:{port}"
            health, metrics = await health_and_metrics(origin)
            survey = await a_survey(database_url, platform="discord", tenant=str(GUILD.id))
            sent = await send(origin, survey, str(ALICE.id))
            dms = discord.messages_to(ALICE.id)

    assert health == HEALTHY
    assert "# TYPE nps_bot_answers_stored_total counter" in metrics
    assert "# TYPE nps_bot_job_runs_total counter" in metrics
    assert sent == {"result": "sent"}
    assert len(dms) == 1


async def test_slack_socket_mode_serves_health_and_metrics_on_the_health_port(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    async with SlackApiDouble(token=SLACK_TOKEN) as slack:
        env = environment(
            database_url,
            SLACK_BOT_TOKEN=SLACK_TOKEN,
            SLACK_APP_TOKEN=APP_TOKEN,
            SLACK_API_BASE_URL=slack.base_url,
            HEALTH_PORT=str(port),
        )
        async with running(["-m", "bot", "run"], env, port=port, workdir=tmp_path):
            await asyncio.wait_for(slack.socket_mode.connected.wait(), timeout=HANG_GUARD_SECONDS)
            health, metrics = await health_and_metrics(f"http://127.0.0.1:{port}")

    assert health == HEALTHY
    assert "# TYPE nps_bot_invitations_total counter" in metrics


async def test_slack_http_mode_serves_them_on_its_own_port_only(
    database_url: str, tmp_path: Path
) -> None:
    http_port, health_port = free_port(), free_port()
    async with SlackApiDouble(token=SLACK_TOKEN) as slack:
        env = environment(
            database_url,
            SLACK_BOT_TOKEN=SLACK_TOKEN,
            SLACK_SIGNING_SECRET="ops-test-signing-secret",
            SLACK_API_BASE_URL=slack.base_url,
            HTTP_PORT=str(http_port),
            HEALTH_PORT=str(health_port),
        )
        async with running(["-m", "bot", "run"], env, port=http_port, workdir=tmp_path):
            health, _ = await health_and_metrics(f"http://127.0.0.1:{http_port}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", health_port)
            except OSError:
                health_port_open = False
            else:
                writer.close()
                await writer.wait_closed()
                health_port_open = True

    assert health == HEALTHY
    assert not health_port_open
