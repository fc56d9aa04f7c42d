"""Every ``/nps`` command the bot's words name works on Discord as on Slack and the console.

Help, privacy and every other message are the same words on every platform, so each
command they name must be registered on Discord (where ``/nps`` alone is no command: a
group cannot be invoked) and must be a verb of the one typed grammar (Slack, console).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from adapters.discord.cli import sync_commands
from bot.domain.commands import Verb, parse_command
from bot.i18n import SUPPORTED, load_catalog
from bot.runtime.services import Services
from tests.doubles.discord_api import DiscordDouble

NAMED = re.compile(r"/nps(?P<words>(?: [a-z][a-z-]*)*)")


def named_commands(text: str) -> list[list[str]]:
    return [match["words"].split() for match in NAMED.finditer(text)]


def registered_path(command: dict[str, Any], words: list[str]) -> list[str]:
    """The longest run of ``words`` Discord offers under ``command`` (subcommands, groups)."""
    path: list[str] = []
    options = command.get("options") or []
    for word in words:
        found = next((o for o in options if o["name"] == word and o["type"] in {1, 2}), None)
        if found is None:
            break
        path.append(word)
        options = found.get("options") or []
    return path


@pytest.mark.parametrize("language", SUPPORTED)
async def test_every_command_a_message_names_is_registered_on_discord_and_parses(
    double: DiscordDouble, services: Services, language: str
) -> None:
    await sync_commands(double.token, services.catalogs)
    [nps] = double.synced_commands()
    catalog = load_catalog(language)
    checked = 0

    for key, text in catalog.items():
        for words in named_commands(text):
            path = registered_path(nps, words)
            assert path, f"{language} {key}: names /nps {' '.join(words[:1])}, not on Discord"
            # ``/nps segments`` (roles as labels) is Discord's own and only its replies
            # name it: registered there (checked above), typed nowhere else.
            if path[0] != "segments":
                assert parse_command(" ".join(path)).verb is not Verb.UNKNOWN, (language, key)
            checked += 1

    assert checked >= 10
    assert named_commands(catalog["help.text"])[0][:1] == ["answer"]
