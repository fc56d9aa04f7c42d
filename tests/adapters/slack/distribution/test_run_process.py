"""`nps-bot run` in distribution mode, as a real process."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import aiohttp
from cryptography.fernet import Fernet

from tests.adapters.slack.distribution.support import CLIENT_ID, CLIENT_SECRET, SECRET
from tests.adapters.slack.test_run_command import _wait_until_listening, free_port
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.support.waiting import HANG_GUARD_SECONDS


def environment(slack: SlackApiDouble, database_url: str, port: int) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))},
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_BASE_URL": slack.base_url,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "DATABASE_URL": database_url,
        "NPS_PEPPER": TEST_PEPPER,
    }


async def test_without_an_encryption_key_run_stops_with_one_error_line(
    slack: SlackApiDouble, database_url: str, tmp_path: Path
) -> None:
    env = environment(slack, database_url, free_port())
    env.pop("TOKEN_ENCRYPTION_KEY", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=HANG_GUARD_SECONDS)

    assert process.returncode != 0
    errors = [line for line in (out + err).decode().splitlines() if "error:" in line]
    assert len(errors) == 1 and "TOKEN_ENCRYPTION_KEY is required" in errors[0]


async def test_with_a_key_run_serves_the_install_page(
    slack: SlackApiDouble, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = environment(slack, database_url, port)
    env["TOKEN_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    log = (tmp_path / "bot.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stdout=log, stderr=log
    )
    try:
        await _wait_until_listening(port, process)
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/slack/install", allow_redirects=False) as answer,
        ):
            assert answer.status == 302
            assert answer.headers["Location"].startswith("https://slack.com/oauth/v2/authorize?")
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
        log.close()
