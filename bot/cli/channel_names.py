"""Channel names for ``nps-bot survey status``: asked of the platform once, briefly.

The status is read from the database; a channel's name is a courtesy on top of its id.
The names come through the same connection ``survey start`` and ``survey send`` open
(the plugin's :class:`~bot.runtime.plugins.ReachProvider`), with every call under one
short time limit. Whatever stops them (no token, the platform out of reach or slow, a
connection to another workspace than the survey's) leaves the ids, and says why in one
line; the status itself never fails for it.

Light to import: the runtime is imported when the names are asked for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.runtime.services import Services

NAMES_TIMEOUT_SECONDS = 5.0
"""How long the names may take in all, connecting included: a Discord connection is
ready after its servers arrived (about two seconds), a Slack one after one call."""


@dataclass(frozen=True)
class ChannelNames:
    """The names found, by channel id, and why there are none when none could be asked
    (``problem``, one line; None when nothing went wrong, names found or not)."""

    names: Mapping[str, str] = field(default_factory=dict)
    problem: str | None = None


async def channel_names(
    services: Services,
    *,
    platform: str,
    tenant: str,
    channels: Collection[str],
) -> ChannelNames:
    """The names ``platform`` tells for ``channels`` of ``tenant``.

    A platform whose plugin cannot connect from the command line (the console) has
    none to tell, and no problem either. Never raises for the platform: any failure,
    or :data:`NAMES_TIMEOUT_SECONDS` passing, leaves no names and its ``problem``.
    """
    from bot.runtime.plugins import ReachProvider, load_plugin

    wanted = sorted({channel for channel in channels if channel})
    plugin = load_plugin(platform)
    if not wanted or not isinstance(plugin, ReachProvider):
        return ChannelNames()
    try:
        async with asyncio.timeout(NAMES_TIMEOUT_SECONDS), plugin.open_reach(services) as reach:
            if reach.tenant != tenant:
                return ChannelNames(
                    problem=f"the {platform} connection reaches {reach.tenant}, not {tenant}"
                )
            names: dict[str, str] = {}
            for channel in wanted:
                name = await reach.platform.channel_name(channel)
                if name:
                    names[channel] = _printable(name)
            return ChannelNames(names)
    except TimeoutError:
        limit = f"{NAMES_TIMEOUT_SECONDS:g} seconds"
        return ChannelNames(problem=f"{platform} did not answer within {limit}")
    except Exception as error:
        # Names are a courtesy: whatever went wrong, the ids stand and one line says why.
        said = str(error).strip().splitlines()
        return ChannelNames(problem=said[0] if said else type(error).__name__)


def _printable(name: str) -> str:
    # A name is the platform's text: no control character reaches the terminal.
    return "".join(character for character in name if character.isprintable())
