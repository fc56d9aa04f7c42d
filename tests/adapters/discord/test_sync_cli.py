"""``nps-bot discord sync`` as an operator runs it against the Discord double: one line
that counts the commands registered in the installation's language, plural and all."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.discord.cli import discord_app
from bot.i18n import Catalogs
from tests.adapters.discord.world import GUILD
from tests.doubles.discord_api import DiscordDouble


@pytest.fixture
def operator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_GUILD_ID", "DEFAULT_LOCALE"):
        monkeypatch.delenv(name, raising=False)


async def sync(double: DiscordDouble, *args: str, locale: str = "en") -> str:
    env = {"DISCORD_TOKEN": double.token, "DEFAULT_LOCALE": locale}
    # In a thread: the command runs its own event loop, the double answers on this one.
    done = await asyncio.to_thread(CliRunner().invoke, discord_app, ["sync", *args], env=env)
    assert done.exit_code == 0, done.output
    return done.output.strip()


@pytest.mark.usefixtures("operator")
async def test_sync_counts_one_command_as_one_in_english_and_japanese(
    double: DiscordDouble,
) -> None:
    assert await sync(double) == "synced 1 command globally: nps"
    in_guild = await sync(double, "--guild", str(GUILD.id))
    assert in_guild == f"synced 1 command in server {GUILD.id}: nps"
    assert await sync(double, locale="ja") == "1 個のコマンドを全サーバー向けに登録しました: nps"


def test_more_commands_than_one_are_counted_in_the_plural() -> None:
    t = Catalogs().translator("en")
    said = t.plural("cli.discord.synced", 2, where="globally", names="nps, nps-admin")
    assert said == "synced 2 commands globally: nps, nps-admin"
