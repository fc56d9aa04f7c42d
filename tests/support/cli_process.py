"""``nps-bot`` run as a real child process, the way an operator runs it."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.support.waiting import HANG_GUARD_SECONDS


@dataclass(frozen=True)
class Finished:
    """A finished command: its exit code and what it printed."""

    code: int
    out: str
    err: str


def without_platforms(**settings: str) -> dict[str, str]:
    """This process's environment with no Slack or Discord setting of its own, plus
    ``settings``: a child sees only the platform the test points it at."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_"))
    }
    return {**inherited, **settings}


async def run_nps_bot(*args: str, env: Mapping[str, str], cwd: Path) -> Finished:
    """Run ``python -m bot ARGS`` in ``cwd`` with ``env`` until it exits."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=dict(env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), HANG_GUARD_SECONDS)
    return Finished(process.returncode or 0, out.decode(), err.decode())
