"""Killing ``nps-bot survey start`` mid-fan-out and starting it again invites everyone once.

The real command runs as a subprocess against the Slack Web API double on loopback.
From the tenth invitation on, the double posts each message but holds its answer, so
when the process is killed several invitations are ``sending`` although their
message has arrived: the worst moment for a crash. The restarted command must find
those messages by their nonce instead of sending them again, and send the rest.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.domain.timing import is_working_day
from storage.database import Database
from storage.models import Invitation
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_records import SlackUser
from tests.support.waiting import HANG_GUARD_SECONDS, eventually

TOKEN = "xoxb-restart-test"
PEOPLE = [f"U0RST{number:04d}" for number in range(24)]
HANG_FROM = 10


def zone_in_working_hours(now: datetime) -> str:
    """A time zone where ``now`` falls well inside working hours on a working day."""
    for hours in range(-12, 15):
        name = f"Etc/GMT{-hours:+d}" if hours else "UTC"
        local = now.astimezone(ZoneInfo(name))
        if is_working_day(local.date()) and time(10, 30) <= local.time() <= time(15, 30):
            return name
    raise AssertionError("no zone is in working hours now")  # a day always has one


async def spawn(args: list[str], *, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(process: asyncio.subprocess.Process) -> tuple[int, str]:
    out, err = await asyncio.wait_for(process.communicate(), HANG_GUARD_SECONDS)
    return process.returncode or 0, out.decode() + err.decode()


async def test_killed_fan_out_resumes_with_one_invitation_each(tmp_path: Path) -> None:
    zone = zone_in_working_hours(datetime.now(UTC))
    async with SlackApiDouble(token=TOKEN) as slack:
        slack.workspace.add_user(
            *(SlackUser(id=user, name=user.lower(), tz=zone) for user in PEOPLE)
        )
        team = slack.workspace.team_id
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))},
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_API_BASE_URL": slack.base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
            "NPS_PEPPER": TEST_PEPPER,
            # One process at a time here, so any claim it finds was left by the killed one.
            "DELIVERY_LEASE_SECONDS": "0",
        }
        create = ["survey", "create", "--survey", "pulse", "--platform", "slack"]
        code, output = await finish(
            await spawn([*create, "--tenant", team, "--kind", "enps"], env=env, cwd=tmp_path)
        )
        assert code == 0, output

        slack.hang("chat.postMessage", from_call=HANG_FROM)
        start = ["survey", "start", "--survey", "pulse", "--platform", "slack"]
        first = await spawn(start, env=env, cwd=tmp_path)
        await eventually(
            lambda: len(slack.calls("chat.postMessage")) >= HANG_FROM + 2,
            what="the fan-out reached the held posts",
        )
        first.send_signal(signal.SIGKILL)
        await finish(first)
        slack.release()
        posted_before = len(slack.calls("chat.postMessage"))
        assert posted_before < len(PEOPLE), "the fan-out finished before it was killed"

        code, output = await finish(await spawn(start, env=env, cwd=tmp_path))
        assert code == 0, output

        per_person = Counter(
            user
            for user in PEOPLE
            for _ in slack.workspace.messages_in(slack.workspace.dm_channel(user))
        )
        assert per_person == Counter(PEOPLE), per_person
        # Every message the killed process posted was found, not posted again.
        assert len(slack.calls("chat.postMessage")) == len(PEOPLE)
        assert len(slack.calls("conversations.history")) >= posted_before - HANG_FROM + 1

        database = Database(env["DATABASE_URL"])
        try:
            async with database.transaction() as session:
                statuses = Counter(
                    (await session.execute(select(col(Invitation.status)))).scalars()
                )
        finally:
            await database.dispose()
        assert statuses == Counter({"sent": len(PEOPLE)}), statuses
