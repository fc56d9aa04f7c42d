"""Real ``nps-bot run`` processes for the multi-replica benchmarks, on one PostgreSQL.

:func:`postgres_database` gives a new database on the server ``TEST_DATABASE_URL`` names,
or on a throw-away cluster when the server binaries are installed. :class:`Replica` is
one ``nps-bot run`` in Slack HTTP mode against the Web API double, on a port of its own;
it can be killed (``SIGKILL``, nothing flushed) and started again.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from adapters.slack.client import build_client
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.domain.timing import is_working_day
from bot.ports.reach import Reach
from bot.runtime.services import build_services
from bot.runtime.settings import Settings
from bot.usecases.survey_settings import SurveySpec
from bot.usecases.surveys import create_survey
from bot.usecases.waves.delivery import deliver_due
from bot.usecases.waves.opening import open_wave
from tests.conftest import create_database
from tests.doubles.slack_api import SlackApiDouble
from tests.support.loopback import listens
from tests.support.postgres import temporary_cluster

TOKEN = "xoxb-bench-replicas"
SECRET = "bench-signing-secret"
PEPPER = "bench-pepper-" + "r" * 40
NEVER_IN_THE_WINDOW = "0 10 29 2 *"
"""The survey's own cadence: 29 February, so the replicas' schedulers open no wave of
their own beside the one the bench opens (their catch-up looks back 14 days)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str | None]:
    """A new empty database URL, or None when no PostgreSQL server can be had."""
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield await create_database(given)
        return
    with temporary_cluster() as cluster:
        yield None if cluster is None else await create_database(cluster.admin_url)


def last_working_morning(now: datetime) -> datetime:
    """The latest 10:30 UTC of a working day not after ``now``: a wave opened then (its
    invitations due at once for people in UTC) is still open now."""
    day = now.date() if now.time() >= time(10, 30) else now.date() - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(10, 30), tzinfo=UTC)


def bot_environment(
    *, database_url: str, slack_url: str, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """What every replica shares: the database, the pepper, the Slack app and its double."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "DATABASE_URL", "HTTP_"))
    }
    return {
        **inherited,
        "DATABASE_URL": database_url,
        "NPS_PEPPER": PEPPER,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_BASE_URL": slack_url,
        "HTTP_HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        **(extra or {}),
    }


class Replica:
    """One ``nps-bot run`` process serving Slack's HTTP endpoint on ``port``."""

    def __init__(self, environment: Mapping[str, str], *, workdir: Path, name: str) -> None:
        self.port = free_port()
        self._environment = {**environment, "HTTP_PORT": str(self.port)}
        self._workdir = workdir
        self._log = workdir / f"{name}.log"
        self._process: asyncio.subprocess.Process | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.origin}/slack/events"

    @property
    def pid(self) -> int | None:
        """The process's id once started."""
        return None if self._process is None else self._process.pid

    async def start(self) -> None:
        """Start the process and wait until it listens; raises with its log if it does not."""
        with self._log.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self._workdir,
                env=self._environment,
                stdout=log,
                stderr=log,
            )
        if not await listens(self.port, self._process):
            raise RuntimeError(f"nps-bot run did not start:\n{self._log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: the process stops at once, in the middle of whatever it was sending."""
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        process = self._process
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=30)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()

    async def wait(self) -> None:
        if self._process is not None:
            await self._process.wait()


async def open_one_wave(
    url: str, slack: SlackApiDouble, *, people: int, deliver: bool = False
) -> None:
    """Create a survey of the double's workspace on the database at ``url`` and open one
    wave inviting its ``people``, due at once (opened the last working morning, in UTC).
    The survey's own cadence never falls in the replicas' catch-up window, so they open
    no wave of their own beside it. With ``deliver`` the invitations are sent from here,
    unpaced (the double sets no limit then), so people have a survey message to click."""
    opened_at = last_working_morning(datetime.now(UTC))
    settings = Settings(_env_file=None, database_url=url, nps_pepper=PEPPER)
    services = await build_services(settings, migrate=True, clock=lambda: opened_at)
    try:
        client = build_client(token=TOKEN, base_url=slack.base_url)
        platform = SlackPlatform(client, people=SlackPeople(client, admin_ids=[]))
        reach = Reach(platform=platform, tenant=slack.workspace.team_id)
        survey = await create_survey(
            services.database,
            platform="slack",
            tenant=reach.tenant,
            spec=SurveySpec(name="replicas", cadence=NEVER_IN_THE_WINDOW),
            now=opened_at,
            default_locale="en",
        )
        opened = await open_wave(
            services.waves, reach, survey_id=survey.id, scheduled_for=opened_at
        )
        if opened is None or opened.invited != people:
            raise RuntimeError(f"the wave invited {opened and opened.invited} of {people}")
        if deliver:
            fast = Reach(platform=platform, tenant=reach.tenant, per_second=10_000, concurrency=32)
            delivered = await deliver_due(services.waves, fast)
            if delivered.sent != people:
                raise RuntimeError(f"{delivered.sent} of {people} invitations were delivered")
    finally:
        await services.database.dispose()
