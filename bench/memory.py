"""Idle memory: the resident size of ``nps-bot run`` connected to Slack and Discord.

The real command runs as a child process with both platforms configured: Slack in HTTP
mode with its Web API pointed at the local Slack double (``SLACK_API_BASE_URL``), and
Discord logged in to the local gateway + REST double. discord.py has no setting for its
endpoints, so the child is started through a two-line launcher that points discord.py's
REST base and first gateway URL at the double (what the double does in-process for the
adapter tests) and then runs ``nps-bot run`` unchanged. Once Slack serves its endpoint
and Discord reports ready, the process is left idle and its resident set (``VmRSS``, with
any children) is read from ``/proc``. The database is migrated first by ``nps-bot db
upgrade``, as a deployment's every start after the first finds it: a start with nothing
to migrate loads no Alembic, and charts, statistics (numpy) and the Japanese tokenizer
load on first use, not at start. Goal: under 100 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_payloads import GuildSpec
from tests.doubles.slack_api import SlackApiDouble

GOAL_IDLE_MB = 100.0
BASELINE_IDLE_MB = 100.3
"""Idle resident size before the metrics' instruments waited for the first scrape and
``run`` left out the console adapter, the CSV parsing and the deletions (108 MB before a SQLite
deployment stopped loading PostgreSQL's SQL and ``run`` the progress bars; 155 MB before
charts, statistics, the tokenizer and Alembic loaded lazily)."""
BENCH_PEPPER = "bench-pepper-" + "m" * 40
SLACK_TOKEN = "xoxb-bench-memory"
READY_LINES = ("Slack: serving", "connected to Discord")
READY_SECONDS = 60.0
LAUNCHER = (
    "import sys, yarl\n"
    "from discord.gateway import DiscordWebSocket\n"
    "from discord.http import Route\n"
    "Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = sys.argv[1], yarl.URL(sys.argv[2])\n"
    "sys.argv = ['nps-bot', 'run']\n"
    "from bot.cli.main import main\n"
    "main()\n"
)


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB (Linux ``/proc``)."""
    total_kib = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        status = Path(f"/proc/{current}/status").read_text()
        total_kib += next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
        )
        for task in Path(f"/proc/{current}/task").iterdir():
            children = (task / "children").read_text().split()
            pending.extend(int(child) for child in children)
    return total_kib * 1024 / 1e6


async def idle_rss_mb(*, settle_seconds: float) -> float:
    """Start ``nps-bot run`` against both doubles, wait until it is connected and idle,
    and return its resident size in MB."""
    with tempfile.TemporaryDirectory(prefix="nps-memory-") as directory:
        async with running_bot(Path(directory)) as (process, log_path):
            await asyncio.sleep(settle_seconds)
            if process.returncode is not None:
                raise RuntimeError(f"nps-bot run exited:\n{_text(log_path)}")
            return rss_mb(process.pid)


@asynccontextmanager
async def running_bot(
    workdir: Path,
) -> AsyncIterator[tuple[asyncio.subprocess.Process, Path]]:
    """``nps-bot run`` in ``workdir`` with Slack and Discord configured against local
    doubles, once both are connected: the process and its log file. Terminated (if still
    running) on exit."""
    guild = GuildSpec(id=1_234_567_890_123_456_789, name="Bench", owner_id=1)
    async with (
        SlackApiDouble(token=SLACK_TOKEN) as slack,
        DiscordDouble(guilds=[guild], redirect_discord_py=False) as discord,
    ):
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))},
            "SLACK_BOT_TOKEN": SLACK_TOKEN,
            "SLACK_SIGNING_SECRET": "bench-signing-secret",
            "SLACK_API_BASE_URL": slack.base_url,
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(_free_port()),
            "DISCORD_TOKEN": discord.token,
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'nps.db'}",
            "NPS_PEPPER": BENCH_PEPPER,
        }
        log_path = workdir / "bot.log"
        with log_path.open("wb") as log:
            migrate = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "db",
                "upgrade",
                env=env,
                cwd=workdir,
                stdout=log,
                stderr=log,
            )
            if await migrate.wait() != 0:
                raise RuntimeError(f"nps-bot db upgrade failed:\n{_text(log_path)}")
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                LAUNCHER,
                discord.api_base_url,
                discord.gateway_url,
                env=env,
                cwd=workdir,
                stdout=log,
                stderr=log,
            )
        try:
            await _wait_until_ready(process, log_path)
            yield process, log_path
        finally:
            if process.returncode is None:
                process.terminate()
                await process.wait()


async def _wait_until_ready(process: asyncio.subprocess.Process, log: Path) -> None:
    try:
        async with asyncio.timeout(READY_SECONDS):
            while not all(line in _text(log) for line in READY_LINES):
                if process.returncode is not None:
                    break
                await asyncio.sleep(0.1)
            else:
                return
    except TimeoutError:
        pass
    raise RuntimeError(f"nps-bot run did not connect to both platforms:\n{_text(log)}")


def _text(path: Path) -> str:
    return path.read_text(errors="replace")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def report(idle_mb: float) -> bool:
    met = idle_mb < GOAL_IDLE_MB
    print(
        f"memory idle     nps-bot run (Slack HTTP + Discord) {idle_mb:6.0f} MB resident"
        f" (baseline {BASELINE_IDLE_MB:.0f} MB)"
    )
    print(f"{'met ' if met else 'MISSED'}  idle under {GOAL_IDLE_MB:.0f} MB")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.memory", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--settle", type=float, default=3.0, help="idle seconds before reading")
    parser.add_argument("--quick", action="store_true", help="a shorter idle wait (1 s)")
    args = parser.parse_args(argv)
    report(asyncio.run(idle_rss_mb(settle_seconds=1.0 if args.quick else args.settle)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
