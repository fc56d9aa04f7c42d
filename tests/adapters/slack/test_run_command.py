"""`nps-bot run` as a real process, wired to the Web API double, driven by signed requests."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from adapters.slack import actions
from bot.usecases.surveys import SurveySpec, create_survey
from storage.database import Database
from storage.models import Response
from tests.adapters.slack.conftest import SECRET, TOKEN, buttons, eventually
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.support.loopback import listens
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import SignedRequest

ANN = "U0ANN0001"
KENJI = "U0KENJI01"
ADMIN = "U0ADMIN01"
API_TOKEN = "a" * 48


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def bot_url(slack: SlackApiDouble, database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))},
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_BASE_URL": slack.base_url,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "DATABASE_URL": database_url,
        "NPS_PEPPER": TEST_PEPPER,
        "API_TOKEN": API_TOKEN,
    }
    log = (tmp_path / "bot.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        await _wait_until_listening(port, process)
        yield url
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
        log.close()


async def _wait_until_listening(port: int, process: asyncio.subprocess.Process) -> None:
    if await listens(port, process):
        return
    if process.returncode is not None:
        raise AssertionError(f"nps-bot run exited with {process.returncode}")
    raise AssertionError("nps-bot run did not start listening")


def _has_messages(slack: SlackApiDouble, channel: str) -> bool:
    return bool(slack.workspace.messages_in(channel))


def _has_more_views(slack: SlackApiDouble, seen: int) -> bool:
    return len(slack.workspace.views) > seen


async def test_people_answer_and_an_admin_reads_the_report(
    bot_url: str, slack: SlackApiDouble, requests: SlackRequestBuilder, database_url: str
) -> None:
    async with aiohttp.ClientSession() as session:

        async def post(request: SignedRequest) -> int:
            async with session.post(bot_url, data=request.body, headers=request.headers) as answer:
                return answer.status

        for user, score, reason in ((ANN, 9, "Great onboarding"), (KENJI, 3, None)):
            assert await post(requests.slash_command(user_id=user)) == 200
            dm = slack.workspace.dm_channel(user)
            await eventually(partial(_has_messages, slack, dm))
            survey = slack.workspace.messages_in(dm)[-1]
            button = next(b for b in buttons(survey.blocks) if b["text"]["text"] == str(score))
            opened = len(slack.workspace.views)
            click = requests.block_actions(
                user_id=user,
                action_id=button["action_id"],
                value=button["value"],
                channel_id=survey.channel,
                message_ts=survey.ts,
            )
            assert await post(click) == 200
            await eventually(partial(_has_more_views, slack, opened))
            if reason is not None:
                modal = list(slack.workspace.views.values())[-1]
                submitted = requests.view_submission(
                    user_id=user,
                    callback_id=modal["callback_id"],
                    private_metadata=modal["private_metadata"],
                    values={actions.REASON_BLOCK: {actions.REASON_INPUT: reason}},
                )
                assert await post(submitted) == 200

        await eventually(lambda: len(slack.calls("chat.update")) == 3)
        await eventually(lambda: len(slack.responses) == 2)  # "the question is in your DM"
        assert await post(requests.slash_command(user_id=ADMIN, text="report")) == 200
        await eventually(lambda: len(slack.responses) == 3)

    report = slack.responses[-1].payload
    assert report["response_type"] == "ephemeral"
    assert report["blocks"][0]["type"] == "header"
    # The Web API calls share kept connections (one session), not one connection each.
    assert len(slack.calls()) >= 10
    assert slack.api_connections <= len(slack.calls()) // 3

    database = Database(database_url)
    try:
        async with database.transaction() as db:
            rows = list((await db.execute(select(Response))).scalars())
            everything = [
                str(row)
                for table in SQLModel.metadata.sorted_tables
                for row in (await db.execute(table.select())).all()
            ]
    finally:
        await database.dispose()
    assert sorted((r.score, r.reason) for r in rows) == [(3, None), (9, "Great onboarding")]
    for user in (ANN, KENJI, ADMIN):
        assert not any(user in row for row in everything)


async def test_the_running_bot_reports_health_and_metrics(
    bot_url: str, slack: SlackApiDouble, requests: SlackRequestBuilder
) -> None:
    origin = bot_url.removesuffix("/slack/events")
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{origin}/healthz") as answer:
            assert answer.status == 200
            assert await answer.json() == {"status": "ok", "database": "ok", "scheduler": "running"}
        request = requests.slash_command(user_id=ANN, text="help")
        async with session.post(bot_url, data=request.body, headers=request.headers) as answer:
            assert answer.status == 200
        async with session.get(f"{origin}/metrics") as answer:
            text = await answer.text()
    assert answer.status == 200
    assert "nps_bot_" in text and 'platform="slack"' in text


async def test_the_running_bot_serves_the_send_api(
    bot_url: str, slack: SlackApiDouble, database_url: str
) -> None:
    database = Database(database_url)
    try:
        survey = await create_survey(
            database,
            platform="slack",
            tenant=slack.workspace.team_id,
            spec=SurveySpec(name="support"),
            now=datetime.now(UTC),
            default_locale="en",
        )
    finally:
        await database.dispose()
    send = bot_url.replace("/slack/events", f"/api/surveys/{survey.id}/send")
    async with aiohttp.ClientSession() as session:
        async with session.post(send, json={"user": ANN}) as answer:
            assert answer.status == 401
        headers = {"Authorization": f"Bearer {API_TOKEN}"}
        async with session.post(send, json={"user": ANN}, headers=headers) as answer:
            assert (answer.status, await answer.json()) == (200, {"result": "sent"})
    assert len(slack.workspace.messages_in(slack.workspace.dm_channel(ANN))) == 1
