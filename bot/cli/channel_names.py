"""Channel names for ``nps-bot survey status``: asked of the platform once, briefly.

The status is read from the database; a channel's name is a courtesy on top of its id.
The names come through the plugin's lightest way to ask
(:class:`~bot.runtime.plugins.ChannelNamesProvider`: Discord's REST API, no gateway
connection), else through the connection ``survey start`` and ``survey send`` open
(:class:`~bot.runtime.plugins.ReachProvider`), with every call under one short time
limit. Whatever stops them (no token, the platform out of reach or slow, a
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
    from bot.ports.platform import Platform
    from bot.runtime.services import Services

NAMES_TIMEOUT_SECONDS = 5.0
"""How long the names may take in all, connecting included: one call to log in or to
test the token, then one call a channel."""


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
    from bot.runtime.plugins import ChannelNamesProvider, ReachProvider, load_plugin

    wanted = sorted({channel for channel in channels if channel})
    plugin = load_plugin(platform)
    if not wanted or not isinstance(plugin, ChannelNamesProvider | ReachProvider):
        return ChannelNames()
    try:
        async with asyncio.timeout(NAMES_TIMEOUT_SECONDS):
            if isinstance(plugin, ChannelNamesProvider):
                async with plugin.open_channel_names(services, tenant) as named:
                    return ChannelNames(await _names(named, wanted))
            async with plugin.open_reach(services) as reach:
                if reach.tenant != tenant:
                    return ChannelNames(
                        problem=f"the {platform} connection reaches {reach.tenant}, not {tenant}"
                    )
                return ChannelNames(await _names(reach.platform, wanted))
    except TimeoutError:
        limit = f"{NAMES_TIMEOUT_SECONDS:g} seconds"
        return ChannelNames(problem=f"{platform} did not answer within {limit}")
    except Exception as error:
        # Names are a courtesy: whatever went wrong, the ids stand and one line says why.
        said = str(error).strip().splitlines()
        return ChannelNames(problem=said[0] if said else type(error).__name__)


async def _names(platform: Platform, channels: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for channel in channels:
        name = await platform.channel_name(channel)
        if name:
            names[channel] = _printable(name)
    return names


def _printable(name: str) -> str:
    # A name is the platform's text: no control character reaches the terminal.
    return "".join(character for character in name if character.isprintable())
