"""How the runtime finds platform adapters: by name, through the ``nps_bot.adapters``
entry point group, so a new platform is a new package and not an edit to the engine.

Listing the names reads package metadata only; a plugin (and its platform SDK) is
imported by the commands that serve or reach a platform, never by the others
(``nps-bot db upgrade`` imports no SDK).
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import AbstractAsyncContextManager
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from bot.ports.directory import EmailLookup
from bot.ports.platform import Platform
from bot.ports.reach import Reach
from bot.runtime.context import RuntimeContext
from bot.runtime.entry_points import ADAPTERS
from bot.runtime.services import Services

ENTRY_POINT_GROUP = ADAPTERS


class AdapterPlugin(Protocol):
    """A platform adapter as the runtime sees it.

    A plugin reads its own settings (``adapters/<platform>/settings.py``) from the
    environment when asked, unless it was constructed with them; an invalid one raises
    ``ConfigurationError`` naming the variable.
    """

    name: str

    def configured(self) -> bool:
        """True when the settings hold what this platform needs to connect."""
        ...

    async def serve(self, context: RuntimeContext) -> None:
        """Connect and handle events until the platform closes, the lifecycle stops it,
        or the task is cancelled."""
        ...


@runtime_checkable
class ReachProvider(Protocol):
    """What a plugin offers so the command line can reach its people (a plugin without
    it cannot deliver surveys from the command line)."""

    def open_reach(self, services: Services) -> AbstractAsyncContextManager[Reach]: ...


@runtime_checkable
class ChannelNamesProvider(Protocol):
    """What a plugin offers so the command line can name channels of ``tenant`` more
    cheaply than through a full connection (Discord: its REST API alone, so no gateway
    connection is opened for a few names). The platform yielded answers
    :meth:`~bot.ports.platform.Platform.channel_name` for that tenant only."""

    def open_channel_names(
        self, services: Services, tenant: str
    ) -> AbstractAsyncContextManager[Platform]: ...


@runtime_checkable
class EmailLookupProvider(Protocol):
    """What a plugin offers so a roster import can name people by email: look-ups
    among the people of ``tenant`` (the workspace the roster is for)."""

    def open_email_lookup(
        self, services: Services, tenant: str
    ) -> AbstractAsyncContextManager[EmailLookup]: ...


def discover(*, skipping: Collection[str] = ()) -> dict[str, AdapterPlugin]:
    """Every installed adapter but those named in ``skipping``, by name (imports each one
    it returns, and none of those it skips)."""
    found: dict[str, AdapterPlugin] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in skipping:
            continue
        plugin: AdapterPlugin = entry.load()
        found[plugin.name] = plugin
    return found


def load_plugin(name: str) -> AdapterPlugin | None:
    """The adapter called ``name`` (importing it alone), or None if none is installed."""
    for entry in entry_points(group=ENTRY_POINT_GROUP, name=name):
        plugin: AdapterPlugin = entry.load()
        return plugin
    return None
