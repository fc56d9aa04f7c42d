"""Start-up stays light: the command line's entry point, and its help, load no charts,
statistics, tokenizer or migration machinery (they load on first use); neither they nor
``db upgrade`` of an up-to-date SQLite file load SQLAlchemy. Serving and answering load
no report building, rendering or statistics (they load with the first report) and no
terminal consoles (rich loads with the first line a command prints). A top-level
command such as ``run`` builds no sub-command (``survey``, ``people``…) either, and
``run`` with a platform to serve imports no console adapter. Metrics load
``prometheus_client`` with the first scrape or request timed, not for the counts an idle
process makes (its scheduler's ticks).

Each check runs in a fresh child process, since this test process has loaded them all.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from storage.migrate import upgrade
from tests.conftest import TEST_PEPPER

HEAVY = ("matplotlib", "scipy", "numpy", "janome", "pandas", "alembic")
COMMAND_LINE = (*HEAVY, "sqlalchemy")
"""What the command line's own start holds back too: the database layer."""
UNPRINTED = (*COMMAND_LINE, "rich")
"""What a command line that has printed nothing yet holds back as well: the consoles."""
REPORTING = (
    "bot.report.actions",
    "bot.report.build",
    "bot.report.render",
    "bot.stats.change",
    "bot.stats.interval",
    "bot.stats.movement",
    "bot.stats.terms",
    "bot.stats.themes",
    "bot.usecases.action_tracking",
    "bot.usecases.group_reports",
    "bot.usecases.report_release",
    "storage.aggregates",
)
"""A report's counting, building, wording and statistics: loaded by the first report only."""
IMPORTING = ("bot.domain.csv_rows", "bot.domain.csv_cells")
"""The CSV files' parsing (answers, rosters): loaded by the commands that import them."""
DELETING = ("storage.deletion",)
"""Deleting a survey or forgetting a person: loaded by the first deletion."""
SERVING = (*HEAVY, *REPORTING, *IMPORTING, *DELETING, "rich")
"""What a process that serves the platforms holds back until someone asks for a report
(or runs an import, or deletes)."""


def loaded_after(
    code: str, heavy: tuple[str, ...] = HEAVY, env: dict[str, str] | None = None
) -> list[str]:
    """The ``heavy`` packages a child process holds after running ``code``."""
    report = f"import sys\nprint('loaded:', *(m for m in {heavy!r} if m in sys.modules))\n"
    child = f"{code}\n{report}"
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    last = done.stdout.splitlines()[-1].split()
    assert last[0] == "loaded:", done.stdout
    return last[1:]


def test_importing_the_entry_point_loads_nothing_heavy() -> None:
    assert loaded_after("import bot.cli.main", UNPRINTED) == []


@pytest.mark.parametrize("args", [["--help"], ["survey", "--help"], ["people", "--help"]])
def test_help_loads_nothing_heavy(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from bot.cli.main import app\n"
        "try:\n"
        f"    app({args!r}, prog_name='nps-bot')\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
    )
    assert loaded_after(code, UNPRINTED) == []


SUB_APPS = (
    "bot.cli.actions",
    "bot.cli.people",
    "bot.cli.replies",
    "bot.cli.sharing",
    "bot.cli.surveys",
)
"""The sub-commands' modules: loaded when their command runs, or help lists them."""


def test_a_top_level_command_builds_no_sub_commands() -> None:
    code = (
        "from bot.cli.main import app\n"
        "try:\n"
        "    app(['run', '--help'], prog_name='nps-bot')\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
    )
    assert loaded_after(code, SUB_APPS) == []


def test_upgrading_an_up_to_date_sqlite_file_loads_no_database_layer(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
        "NPS_PEPPER": TEST_PEPPER,
    }
    code = (
        "from bot.cli.main import app\n"
        "try:\n"
        "    app(['db', 'upgrade'], prog_name='nps-bot')\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
    )
    assert "alembic" in loaded_after(code, env=env)  # the first run creates the schema
    assert loaded_after(code, COMMAND_LINE, env=env) == []


def test_connecting_the_platforms_loads_nothing_heavy_and_no_reports() -> None:
    code = (
        "import bot.cli.main\n"
        "from bot.runtime.plugins import discover\n"
        "discover()\n"
        "import adapters.slack.app, adapters.discord.client, adapters.ops.plugin\n"
        "import bot.runtime.serving, bot.runtime.scheduling, bot.runtime.services\n"
    )
    # Slack's Socket Mode client loads only when Socket Mode is served, not in HTTP mode.
    assert loaded_after(code, (*SERVING, "slack_sdk.socket_mode")) == []


SQLITE_IDLE = (*SERVING, "sqlalchemy.dialects.postgresql", "asyncpg")
"""What a SQLite deployment's ``run`` holds back as well: PostgreSQL's SQL and driver."""


def test_answering_on_sqlite_loads_no_postgresql_no_reports_and_no_consoles(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}"
    asyncio.run(upgrade(url))  # as every start after the first finds it (Alembic loads more)
    code = (
        "import asyncio\n"
        "import bot.cli.main\n"
        "from bot.domain.people import Person\n"
        "from bot.runtime.services import build_services\n"
        "from bot.runtime.settings import Settings\n"
        "async def answer():\n"
        f"    settings = Settings(_env_file=None, database_url={url!r},"
        f" nps_pepper={TEST_PEPPER!r})\n"
        "    services = await build_services(settings, migrate=True)\n"
        "    who = Person(platform='test', tenant='T1', user_id='U1')\n"
        "    asked = await services.engine.start(who)\n"
        "    await services.engine.record_score(who, survey_id=asked.survey_id, score=9)\n"
        "    await services.database.dispose()\n"
        "asyncio.run(answer())\n"
    )
    assert loaded_after(code, SQLITE_IDLE) == []


def test_running_with_a_platform_configured_loads_no_console(tmp_path: Path) -> None:
    with socket.socket() as closed, socket.socket() as free:
        # Bound but not listening: Slack's API refuses at once, and ``run`` stops there,
        # after discovering the adapters and building everything it serves with.
        closed.bind(("127.0.0.1", 0))
        free.bind(("127.0.0.1", 0))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))},
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
            "NPS_PEPPER": TEST_PEPPER,
            "SLACK_BOT_TOKEN": "xoxb-startup-imports",
            "SLACK_SIGNING_SECRET": "startup-imports-secret",
            "SLACK_API_BASE_URL": f"http://127.0.0.1:{closed.getsockname()[1]}/api/",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(free.getsockname()[1]),
        }
        code = (
            "import sys\n"
            "from bot.cli.main import app\n"
            "try:\n"
            "    app(['run'], prog_name='nps-bot')\n"
            "except SystemExit as done:\n"
            "    assert done.code == 1, done.code\n"
            "assert 'adapters.slack.plugin' in sys.modules\n"
        )
        assert loaded_after(code, ("adapters.console", "prometheus_client"), env=env) == []


def test_counting_job_runs_before_any_scrape_loads_no_prometheus_client() -> None:
    code = (
        "import asyncio\n"
        "from apscheduler.events import EVENT_JOB_EXECUTED\n"
        "from apscheduler.schedulers.asyncio import AsyncIOScheduler\n"
        "from bot.runtime.metrics import Metrics\n"
        "metrics = Metrics()\n"
        "async def tick_once():\n"
        "    scheduler = AsyncIOScheduler(timezone='UTC')\n"
        "    metrics.watch_scheduler(scheduler)\n"
        "    ran = asyncio.Event()\n"
        "    scheduler.add_listener(lambda _: ran.set(), EVENT_JOB_EXECUTED)\n"
        "    async def tick():\n"
        "        return None\n"
        "    scheduler.add_job(tick, id='tick')\n"
        "    scheduler.start()\n"
        "    await asyncio.wait_for(ran.wait(), 60)\n"
        "    scheduler.shutdown(wait=False)\n"
        "asyncio.run(tick_once())\n"
    )
    assert loaded_after(code, ("prometheus_client",)) == []
    scraped = code + 'assert b\'job="tick",outcome="ok"} 1.0\' in metrics.render()\n'
    assert loaded_after(scraped, ("prometheus_client",)) == ["prometheus_client"]
