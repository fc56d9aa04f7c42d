"""`nps-bot run` stopped with SIGTERM while score clicks are in flight: nothing is lost.

The real process serves Bolt's HTTP endpoint against the Web API double; many people
click a score at once and the process is told to stop while the clicks are being
handled. Every click that was acknowledged must be stored and its listener must have
finished (the reason form opened), and the process must exit cleanly.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from storage.database import Database
from storage.models import Response
from tests.adapters.slack.conftest import SECRET, TOKEN, buttons, eventually
from tests.adapters.slack.test_run_command import free_port
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.loopback import listens
from tests.support.slack_requests import SlackRequestBuilder
from tests.support.slack_signing import SignedRequest
from tests.support.waiting import HANG_GUARD_SECONDS

PEOPLE = 40


async def _start_bot(
    slack: SlackApiDouble, database_url: str, tmp_path: Path, port: int
) -> asyncio.subprocess.Process:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))},
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_BASE_URL": slack.base_url,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "DATABASE_URL": database_url,
        "NPS_PEPPER": TEST_PEPPER,
        # Longer than any healthy listener takes: the test proves what a graceful stop keeps,
        # so the grace must never run out on a loaded machine.
        "SHUTDOWN_GRACE_SECONDS": str(int(HANG_GUARD_SECONDS)),
    }
    log = (tmp_path / "bot.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stdout=log, stderr=log
    )
    log.close()
    if await listens(port, process):
        return process
    if process.returncode is not None:
        raise AssertionError(f"nps-bot run exited early: {(tmp_path / 'bot.log').read_text()}")
    raise AssertionError("nps-bot run did not start listening")


async def _stored(database_url: str) -> int:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            return int(
                (await session.execute(select(func.count()).select_from(Response))).scalar_one()
            )
    finally:
        await database.dispose()


async def test_sigterm_lets_every_acknowledged_click_finish(
    slack: SlackApiDouble, requests: SlackRequestBuilder, database_url: str, tmp_path: Path
) -> None:
    people = [f"U0PEOPLE{n:02d}" for n in range(PEOPLE)]
    slack.workspace.add_user(*(SlackUser(id=user, name=user.lower()) for user in people))
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    process = await _start_bot(slack, database_url, tmp_path, port)
    try:
        async with aiohttp.ClientSession() as session:

            async def post(request: SignedRequest) -> int | None:
                try:
                    async with session.post(
                        url, data=request.body, headers=request.headers
                    ) as answer:
                        await answer.read()
                        return answer.status
                except aiohttp.ClientError:
                    return None  # refused once the bot stopped listening: not acknowledged

            for user in people:
                assert await post(requests.slash_command(user_id=user)) == 200
            await eventually(
                lambda: all(
                    slack.workspace.messages_in(slack.workspace.dm_channel(u)) for u in people
                ),
                what="every survey DM sent",
            )
            clicks = []
            for n, user in enumerate(people):
                survey = slack.workspace.messages_in(slack.workspace.dm_channel(user))[-1]
                button = buttons(survey.blocks)[n % 11]
                clicks.append(
                    requests.block_actions(
                        user_id=user,
                        action_id=button["action_id"],
                        value=button["value"],
                        channel_id=survey.channel,
                        message_ts=survey.ts,
                    )
                )
            opened_before = len(slack.calls("views.open"))
            sent = [asyncio.create_task(post(click)) for click in clicks]
            await asyncio.wait(sent, return_when=asyncio.FIRST_COMPLETED)
            process.send_signal(signal.SIGTERM)
            opened_at_signal = len(slack.calls("views.open"))
            statuses = await asyncio.gather(*sent)
            code = await asyncio.wait_for(process.wait(), timeout=2 * HANG_GUARD_SECONDS)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    log = (tmp_path / "bot.log").read_text()
    acknowledged = sum(status == 200 for status in statuses)
    assert code == 0, log
    assert acknowledged > 0
    assert "Traceback" not in log and "PendingRollbackError" not in log, log
    assert await _stored(database_url) == acknowledged
    # Every acknowledged click's listener ran to its end: the reason form was opened.
    assert len(slack.calls("views.open")) - opened_before == acknowledged
    assert opened_at_signal - opened_before < acknowledged, "the signal came after all the work"
    assert "stopped" in log
