"""``nps-bot survey status`` names its channels through the Slack double (and Discord's,
in this process: discord.py is pointed at it here only), and shows their ids alone when
the platform cannot tell or cannot be reached."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.channel_names import NAMES_TIMEOUT_SECONDS, channel_names
from bot.cli.surveys import survey_app
from bot.runtime.services import Services
from tests.adapters.discord.world import FEEDBACK, GENERAL, GUILD
from tests.conftest import TEST_PEPPER
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.slack_api import SlackApiDouble
from tests.support.cli_process import run_nps_bot, without_platforms

TOKEN = "xoxb-status-test"
NAMED = "C0GENERAL"
UNKNOWN = "C0NOWHERE"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    # Names touch no stored data: SQLite alone (the shared fixture runs both databases).
    return f"sqlite+aiosqlite:///{tmp_path / 'services.db'}"


async def nps(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    finished = await run_nps_bot(*args, env=env, cwd=cwd)
    return finished.code, finished.out, finished.err


def environment(slack: SlackApiDouble, tmp_path: Path, **more: str) -> dict[str, str]:
    return without_platforms(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_BASE_URL=slack.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}",
        NPS_PEPPER=TEST_PEPPER,
        **more,
    )


async def created(slack: SlackApiDouble, env: dict[str, str], cwd: Path) -> list[str]:
    """A survey whose digests go to the named channel and alerts to an unknown one; the
    arguments that name it for ``survey status``."""
    survey = ["--survey", "pulse", "--platform", "slack", "--tenant", slack.workspace.team_id]
    channels = ["--digest-channel", NAMED, "--alert-channel", UNKNOWN]
    code, out, err = await nps("survey", "create", *survey, *channels, env=env, cwd=cwd)
    assert code == 0, out + err
    return survey


async def test_a_named_channel_reads_as_its_name_and_id_and_an_unknown_one_as_its_id(
    tmp_path: Path,
) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        slack.workspace.add_channel(NAMED, name="general")
        env = environment(slack, tmp_path)
        survey = await created(slack, env, tmp_path)
        code, out, err = await nps("survey", "status", *survey, env=env, cwd=tmp_path)
        asked = {call.params["channel"] for call in slack.calls("conversations.info")}

    assert code == 0, out + err
    assert f"Digest channel: #general ({NAMED})" in out
    assert f"Alert channel: channel {UNKNOWN}" in out
    assert asked == {NAMED, UNKNOWN}
    assert err.strip() == ""  # an unknown channel is no problem to report


async def test_the_names_are_in_the_installation_language(tmp_path: Path) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        slack.workspace.add_channel(NAMED, name="general")
        env = environment(slack, tmp_path, DEFAULT_LOCALE="ja")
        survey = await created(slack, env, tmp_path)
        code, out, err = await nps("survey", "status", *survey, env=env, cwd=tmp_path)

    assert code == 0, out + err
    assert f"#general（{NAMED}）" in out
    assert f"チャンネル {UNKNOWN}" in out


async def test_slack_out_of_reach_leaves_the_ids_and_one_line_saying_why(tmp_path: Path) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        slack.workspace.add_channel(NAMED, name="general")
        env = environment(slack, tmp_path)
        survey = await created(slack, env, tmp_path)
    # The double has stopped: nothing answers at its address any more.
    code, out, err = await nps("survey", "status", *survey, env=env, cwd=tmp_path)

    assert code == 0, out + err
    assert f"Digest channel: channel {NAMED}" in out and "#general" not in out
    assert f"Alert channel: channel {UNKNOWN}" in out
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("channel names not shown: "), err
    assert "Traceback" not in out + err


async def test_a_slack_that_never_answers_is_given_up_for_the_ids(tmp_path: Path) -> None:
    """A server that takes the connection and says nothing (Slack's own client would
    wait 30 seconds a try): the status does not wait for it."""
    async with SlackApiDouble(token=TOKEN) as slack:
        env = environment(slack, tmp_path)
        survey = await created(slack, env, tmp_path)
    held: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # open, unanswered, until the test ends

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    env["SLACK_API_BASE_URL"] = f"http://127.0.0.1:{port}/api/"
    try:
        code, out, err = await nps("survey", "status", *survey, env=env, cwd=tmp_path)
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()

    assert code == 0, out + err
    assert f"Digest channel: channel {NAMED}" in out
    limit = f"{NAMES_TIMEOUT_SECONDS:g} seconds"
    assert err.strip() == f"channel names not shown: slack did not answer within {limit}"


async def test_discord_channels_are_named_through_its_api_without_a_gateway_connection(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with DiscordDouble(guilds=[GUILD]) as double:
        monkeypatch.setenv("DISCORD_TOKEN", double.token)
        monkeypatch.delenv("DISCORD_GUILD_ID", raising=False)
        channels = [str(FEEDBACK.id), "820000000000000099"]
        named = await channel_names(
            services, platform="discord", tenant=str(GUILD.id), channels=channels
        )
        elsewhere = await channel_names(
            services, platform="discord", tenant="1234", channels=channels
        )
        gateway_asked = double.requests_to("GET /gateway/bot")
        logins = double.request_log

    assert named.names == {str(FEEDBACK.id): FEEDBACK.name} and named.problem is None
    # A channel of another server than the survey's is not named.
    assert elsewhere.names == {} and elsewhere.problem is None
    # Logged in over REST only: no gateway was asked for, none was connected to.
    assert gateway_asked == [] and len(double.identifies) == 0 and double.heartbeats == 0
    assert logins, "the names came through the double's REST API"


async def test_survey_status_on_discord_names_the_digest_and_alert_channels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in list(os.environ):
        if key.startswith(("SLACK_", "DISCORD_")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}")
    monkeypatch.setenv("NPS_PEPPER", TEST_PEPPER)
    runner = CliRunner()
    survey = ["--survey", "pulse", "--platform", "discord", "--tenant", str(GUILD.id)]
    # A Discord audience is everyone, a role or users, never a channel.
    settings = ["--alert-channel", str(GENERAL.id), "--digest-channel", str(FEEDBACK.id)]
    created = await asyncio.to_thread(runner.invoke, survey_app, ["create", *survey, *settings])
    assert created.exit_code == 0, created.output
    async with DiscordDouble(guilds=[GUILD]) as double:
        monkeypatch.setenv("DISCORD_TOKEN", double.token)
        # The command runs its own event loop; this one serves the double meanwhile.
        status = await asyncio.to_thread(runner.invoke, survey_app, ["status", *survey])

    assert status.exit_code == 0, status.output
    assert f"Digest channel: #{FEEDBACK.name} ({FEEDBACK.id})" in status.output
    assert f"Alert channel: #{GENERAL.name} ({GENERAL.id})" in status.output
    assert "channel names not shown" not in status.output
    assert len(double.identifies) == 0


async def test_a_channel_audience_is_named_like_the_digest_channel(tmp_path: Path) -> None:
    async with SlackApiDouble(token=TOKEN) as slack:
        slack.workspace.add_channel(NAMED, name="general")
        env = environment(slack, tmp_path)
        survey = ["--survey", "pulse", "--platform", "slack", "--tenant", slack.workspace.team_id]
        code, out, err = await nps(
            "survey", "create", *survey, "--audience", f"channel={NAMED}", env=env, cwd=tmp_path
        )
        assert code == 0, out + err
        code, out, err = await nps("survey", "status", *survey, env=env, cwd=tmp_path)

    assert code == 0, out + err
    [audience] = [line for line in out.splitlines() if line.startswith("Audience:")]
    assert audience.endswith(f"#general ({NAMED})"), audience
