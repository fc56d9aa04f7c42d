"""How the CLI finds platform adapters: by name, through the ``nps_bot.adapters`` entry
point group, so a new platform is a new package and not an edit to the engine."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Protocol

from bot.runtime.services import Services
from bot.runtime.settings import Settings

ENTRY_POINT_GROUP = "nps_bot.adapters"


class AdapterPlugin(Protocol):
    """A platform adapter as the CLI sees it."""

    name: str

    def configured(self, settings: Settings) -> bool:
        """True when the settings hold what this platform needs to connect."""
        ...

    async def serve(self, services: Services, options: Mapping[str, object]) -> None:
        """Connect and handle events until the platform closes or the task is cancelled."""
        ...


def discover() -> dict[str, AdapterPlugin]:
    """Every installed adapter, by name."""
    found: dict[str, AdapterPlugin] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        plugin: AdapterPlugin = entry.load()
        found[plugin.name] = plugin
    return found
