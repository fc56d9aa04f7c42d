"""`nps-bot run` and `nps-bot survey send` meeting a refused token or no Slack: one line.

The real command as a process, against the Web API double (which answers
``invalid_auth`` to any other bot token, and Socket Mode's ``apps.connections.open``).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from tests.adapters.slack.conftest import SECRET, TOKEN
from tests.conftest import TEST_PEPPER
from tests.doubles.slack_api import SlackApiDouble
from tests.support.waiting import HANG_GUARD_SECONDS

BOLT_TOKEN_WARNING = "will be unused"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def nps_bot(tmp_path: Path, *args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run the command to its end (at most a minute); its exit code and its stderr."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env={
            **base,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
            "NPS_PEPPER": TEST_PEPPER,
            "LOG_LEVEL": "WARNING",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(closed_port()),
            "HEALTH_PORT": str(closed_port()),
            "SLACK_SIGNING_SECRET": SECRET,
            **env,
        },
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=HANG_GUARD_SECONDS)
    assert process.returncode is not None
    return process.returncode, stderr.decode()


def the_one_line(code: int, stderr: str) -> str:
    assert code == 1, stderr
    assert "Traceback" not in stderr and BOLT_TOKEN_WARNING not in stderr, stderr
    (line,) = stderr.strip().splitlines()
    return line


@pytest.mark.parametrize(
    "command",
    [
        ("run",),
        ("survey", "send", "--survey", "default", "--platform", "slack", "--to", "U0ANN0001"),
    ],
)
async def test_a_refused_bot_token_is_one_line(
    slack: SlackApiDouble, tmp_path: Path, command: tuple[str, ...]
) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_API_BASE_URL": slack.base_url}
    line = the_one_line(*await nps_bot(tmp_path, *command, env=env))
    assert line.startswith("error: Slack refused SLACK_BOT_TOKEN (invalid_auth): ")
    assert "xoxb-" in line  # says which token to use


@pytest.mark.parametrize("mode", ["http", "socket"])
async def test_slack_out_of_reach_is_one_line(tmp_path: Path, mode: str) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}/api/"
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_BASE_URL": base_url}
    if mode == "socket":
        env["SLACK_APP_TOKEN"] = "xapp-1-A0NPS-1-test"
    line = the_one_line(*await nps_bot(tmp_path, "run", env=env))
    assert line.startswith(f"error: cannot reach Slack at {base_url}: ")


async def test_a_bot_token_given_as_the_app_token_is_one_line(
    slack: SlackApiDouble, tmp_path: Path
) -> None:
    env = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_APP_TOKEN": TOKEN,
        "SLACK_API_BASE_URL": slack.base_url,
    }
    line = the_one_line(*await nps_bot(tmp_path, "run", env=env))
    assert line.startswith("error: Slack refused SLACK_APP_TOKEN (not_allowed_token_type): ")
    assert "xapp-" in line


async def test_a_command_that_reaches_slack_warns_about_no_token(
    slack: SlackApiDouble, tmp_path: Path
) -> None:
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_BASE_URL": slack.base_url}
    created = await nps_bot(
        tmp_path,
        "survey", "create", "--survey", "pulse", "--platform", "slack",
        "--tenant", slack.workspace.team_id,
        env=env,
    )  # fmt: skip
    assert created[0] == 0, created[1]
    code, stderr = await nps_bot(
        tmp_path,
        "survey", "send", "--survey", "pulse", "--platform", "slack", "--to", "U0ANN0001",
        env=env,
    )  # fmt: skip
    assert code == 0, stderr
    assert BOLT_TOKEN_WARNING not in stderr and stderr.strip() == "", stderr
