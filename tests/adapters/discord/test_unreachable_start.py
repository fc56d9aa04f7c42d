"""Discord out of reach when the operator starts the bot or syncs its commands: one line
saying so, never a traceback (the name lookup failing, the address refusing)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from discord.http import Route
from typer.testing import CliRunner

from bot.cli.main import app
from tests.conftest import TEST_PEPPER


def _closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def unreachable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Discord's API at an address that refuses, with a token and a fresh database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'nps.db'}")
    monkeypatch.setenv("NPS_PEPPER", TEST_PEPPER)
    monkeypatch.setenv("DISCORD_TOKEN", "discord-token-for-an-unreachable-api")
    monkeypatch.setenv("HEALTH_PORT", str(_closed_port()))
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "DISCORD_GUILD_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Route, "BASE", f"http://127.0.0.1:{_closed_port()}/api/v10")
    yield


@pytest.mark.parametrize(
    "command", [("run",), ("discord", "sync", "--guild", "123"), ("discord", "invite-url")]
)
def test_discord_out_of_reach_is_one_line(unreachable: None, command: tuple[str, ...]) -> None:
    done = CliRunner().invoke(app, list(command))
    assert done.exit_code == 1, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    assert "Traceback" not in done.output
    lines = [line for line in done.output.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach Discord: "), done.output
    assert lines[0].endswith("(check the network)")
