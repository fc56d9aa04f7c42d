"""``nps-bot survey start`` and ``survey send`` when the platform cannot be reached: one
line that says which platform and what became of the wave, a failing exit code, no
traceback, and nothing half-stored.

Slack goes away in the middle of the command (:class:`SeveringRelay`), after the
connection was opened; Discord cannot be reached at all.
"""

from __future__ import annotations

import asyncio
import os
import socket
from datetime import UTC, datetime, time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from click.testing import Result
from typer.testing import CliRunner

from bot.cli.surveys import survey_app
from bot.domain.timing import is_working_day
from tests.adapters.discord.world import ALICE, GUILD
from tests.conftest import TEST_PEPPER
from tests.doubles.discord_api import DiscordDouble, discord_py_redirected
from tests.doubles.slack_api import SlackApiDouble
from tests.doubles.slack_workspace import SlackUser
from tests.support.cli_process import Finished, run_nps_bot, without_platforms
from tests.support.severing import SeveringRelay

TOKEN = "xoxb-unreachable-test"
PERSON = "U0OUT0001"


def environment(tmp_path: Path, *, port: int) -> dict[str, str]:
    return without_platforms(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_BASE_URL=f"http://127.0.0.1:{port}/api/",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
        NPS_PEPPER=TEST_PEPPER,
    )


def port_of(slack: SlackApiDouble) -> int:
    port = urlsplit(slack.base_url).port
    assert port is not None
    return port


async def created(slack: SlackApiDouble, tmp_path: Path) -> list[str]:
    """A survey of the double's workspace, with one person in it; the arguments naming it."""
    slack.workspace.add_user(SlackUser(id=PERSON, name="person"))
    survey = ["--survey", "pulse", "--platform", "slack", "--tenant", slack.workspace.team_id]
    env = environment(tmp_path, port=port_of(slack))
    done = await run_nps_bot("survey", "create", *survey, env=env, cwd=tmp_path)
    assert done.code == 0, done.out + done.err
    return survey


async def start_severed(
    slack: SlackApiDouble, tmp_path: Path, survey: list[str], *, sever_at: bytes
) -> tuple[Finished, Finished]:
    """``survey start`` through a relay that lets Slack go after the call to ``sever_at``,
    then ``survey status`` straight to the double: what the start said, and what it left."""
    async with SeveringRelay(port_of(slack), sever_at=sever_at) as relay:
        env = environment(tmp_path, port=relay.port)
        done = await run_nps_bot("survey", "start", *survey[:4], env=env, cwd=tmp_path)
    status = await run_nps_bot(
        "survey", "status", *survey, env=environment(tmp_path, port=port_of(slack)), cwd=tmp_path
    )
    return done, status


def the_one_line(done: Finished) -> str:
    """The command failed with exactly one line on stderr and no traceback."""
    assert done.code == 1, done.out + done.err
    assert "Traceback" not in done.out + done.err, done.err
    lines = [line for line in done.err.splitlines() if line.strip()]
    assert len(lines) == 1, done.err
    return lines[0]


async def test_start_with_slack_gone_before_the_audience_opens_no_wave(tmp_path: Path) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        survey = await created(slack, tmp_path)
        # The connection's auth.test is the last call answered: the wave's users.list
        # finds Slack gone.
        done, status = await start_severed(slack, tmp_path, survey, sever_at=b"/auth.test")

    line = the_one_line(done)
    assert line.startswith("error: slack could not be reached (cannot connect to 127.0.0.1:")
    assert line.endswith("): no wave was opened and nothing was sent"), line
    assert status.code == 0 and "no wave yet" in status.out, status.out + status.err


def a_zone_in_working_hours() -> str:
    """A time zone where it is now well inside working hours on a working day, so the
    wave's invitation is due at once; none on a weekend everywhere (skipped then)."""
    now = datetime.now(UTC)
    for hours in range(-12, 15):
        zone = f"Etc/GMT{-hours:+d}" if hours else "Etc/GMT"
        local = now.astimezone(ZoneInfo(zone))
        if is_working_day(local.date()) and time(11) <= local.time() < time(16):
            return zone
    pytest.skip("a weekend everywhere: no invitation is due now")


async def test_start_with_slack_gone_during_the_delivery_leaves_the_invitations_pending(
    tmp_path: Path,
) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        survey = await created(slack, tmp_path)
        slack.workspace.add_user(
            SlackUser(id="U0OUT0002", name="other", tz=a_zone_in_working_hours())
        )
        # users.list is the last call answered: the first message finds Slack gone.
        done, status = await start_severed(slack, tmp_path, survey, sever_at=b"/users.list")

    line = the_one_line(done)
    assert line.startswith(
        "error: invited 2; sent 0, failed 0; slack could not be reached (cannot connect to "
    ), line
    assert line.endswith(
        "): the wave is open and its invitations not sent stay pending: the running bot "
        "(nps-bot run) delivers them once slack answers again"
    ), line
    assert slack.calls("chat.postMessage") == []
    assert "newest wave: open" in status.out and "pending: 2" in status.out, status.out


async def test_start_with_slack_out_of_reach_from_the_start_opens_no_wave(tmp_path: Path) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        survey = await created(slack, tmp_path)
    # The double has stopped: nothing answers at its address any more.
    env = environment(tmp_path, port=port_of(slack))
    done = await run_nps_bot("survey", "start", *survey[:4], env=env, cwd=tmp_path)

    line = the_one_line(done)
    assert line.startswith("error: slack could not be reached (cannot connect to 127.0.0.1:")
    assert line.endswith("): no wave was opened and nothing was sent"), line


async def test_send_with_slack_gone_before_the_person_is_looked_up(tmp_path: Path) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        survey = await created(slack, tmp_path)
        async with SeveringRelay(port_of(slack), sever_at=b"/auth.test") as relay:
            env = environment(tmp_path, port=relay.port)
            done = await run_nps_bot(
                "survey", "send", *survey[:4], "--to", PERSON, env=env, cwd=tmp_path
            )

    line = the_one_line(done)
    assert line.startswith("error: slack could not be reached (cannot connect to 127.0.0.1:")
    assert line.endswith("): nothing was sent or recorded"), line
    assert slack.calls("chat.postMessage") == []


async def test_send_with_slack_gone_before_the_message_records_no_ask(tmp_path: Path) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        survey = await created(slack, tmp_path)
        async with SeveringRelay(port_of(slack), sever_at=b"/users.info") as relay:
            env = environment(tmp_path, port=relay.port)
            done = await run_nps_bot(
                "survey", "send", *survey[:4], "--to", PERSON, env=env, cwd=tmp_path
            )
        # Slack is back: the person was not recorded as asked, so they are asked now.
        again = await run_nps_bot(
            "survey",
            "send",
            *survey[:4],
            "--to",
            PERSON,
            env=environment(tmp_path, port=port_of(slack)),
            cwd=tmp_path,
        )

    line = the_one_line(done)
    assert line.startswith("error: slack could not be reached (cannot connect to 127.0.0.1:")
    assert line.endswith("): nothing was sent or recorded"), line
    assert again.code == 0 and again.out.strip() == "sent", again.out + again.err
    assert len(slack.calls("chat.postMessage")) == 1


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def discord_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """``nps-bot survey`` through its Typer app, set for Discord (the double, when one
    runs, is in this process: discord.py is pointed at it here only)."""
    for key in os.environ:
        if key.startswith(("SLACK_", "DISCORD_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}")
    monkeypatch.setenv("NPS_PEPPER", TEST_PEPPER)
    monkeypatch.setenv("DISCORD_TOKEN", "nps-bot-test-token")
    runner = CliRunner()
    created = runner.invoke(
        survey_app, ["create", "--survey", "pulse", *ON_DISCORD, "--tenant", str(GUILD.id)]
    )
    assert created.exit_code == 0, created.output
    return runner


ON_DISCORD = ["--platform", "discord"]


def the_one_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(
    ("command", "outcome"),
    [
        (["start", "--survey", "pulse"], "no wave was opened and nothing was sent"),
        (["send", "--survey", "pulse", "--to", str(ALICE.id)], "nothing was sent or recorded"),
    ],
)
def test_discord_out_of_reach_is_one_line_and_stores_nothing(
    discord_cli: CliRunner, command: list[str], outcome: str
) -> None:
    port = closed_port()
    with discord_py_redirected(
        api_base=f"http://127.0.0.1:{port}/api/v10", gateway_url=f"ws://127.0.0.1:{port}/ws/"
    ):
        result = discord_cli.invoke(survey_app, [*command, *ON_DISCORD])
    status = discord_cli.invoke(survey_app, ["status", "--survey", "pulse", *ON_DISCORD])

    line = the_one_error(result)
    assert (
        line
        == f"error: discord could not be reached (cannot connect to 127.0.0.1:{port}): {outcome}"
    )
    assert "no wave yet" in status.output


async def test_a_discord_gateway_out_of_reach_is_one_line(discord_cli: CliRunner) -> None:
    """Discord's API answers (the token is good) but its gateway cannot be reached."""
    port = closed_port()
    async with DiscordDouble(guilds=[GUILD]) as double:
        with discord_py_redirected(
            api_base=double.api_base_url, gateway_url=f"ws://127.0.0.1:{port}/ws/"
        ):
            # The command runs its own event loop; this one serves the double meanwhile.
            result = await asyncio.to_thread(
                discord_cli.invoke, survey_app, ["start", "--survey", "pulse", *ON_DISCORD]
            )

    line = the_one_error(result)
    assert line.startswith("error: discord could not be reached (")
    assert line.endswith("): no wave was opened and nothing was sent"), line
    assert len(double.identifies) == 0
