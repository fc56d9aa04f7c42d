"""A Discord client's start leaves no "voice will NOT be supported" warnings in the log:
the bot joins no voice channel, and discord.py's voice libraries are left out on
purpose. Other warnings of discord.py's client still reach the log."""

from __future__ import annotations

import logging

import discord
import pytest

from adapters.discord.client import NpsClient
from bot.runtime.logs import configure_logging
from bot.runtime.services import Services


@pytest.fixture
def first_client_of_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py warns about voice once per process: as if no client was built yet."""
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True, raising=False)
    monkeypatch.setattr(logging.getLogger("discord.client"), "filters", [])
    # Logging as `nps-bot run` configures it; the test's own handlers come back after.
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    configure_logging("INFO", style="text")


@pytest.mark.usefixtures("first_client_of_the_process")
async def test_building_the_client_logs_no_voice_warning(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    client = NpsClient(services)
    logging.getLogger("discord.client").warning("another warning of the client")
    await client.close()

    logged = capsys.readouterr().err
    assert "voice will NOT be supported" not in logged, logged
    assert "WARNING discord.client: another warning of the client" in logged


@pytest.mark.usefixtures("first_client_of_the_process")
async def test_a_plain_client_logs_its_voice_warning_without_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The library's own behaviour, which the filter is there for: the test above can fail.
    client = discord.Client(intents=discord.Intents.default())
    await client.close()

    assert "voice will NOT be supported" in capsys.readouterr().err
