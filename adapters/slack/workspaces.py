"""Which `SlackPlatform` answers a request: the one workspace, or the request's own.

With one bot token every request is answered through one platform. In distribution
mode each installed workspace gets its own platform, built on that workspace's bot
token (the one Bolt's authorize step found for the request), so a request from one
workspace is never answered with another's token.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from slack_bolt.context.async_context import AsyncBoltContext

from adapters.slack.client import build_client
from adapters.slack.labels import SlackLabelRules, label_sources
from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform


class Workspaces(Protocol):
    def platform(self, context: AsyncBoltContext) -> SlackPlatform:
        """The platform to answer the request of ``context`` through."""
        ...


class OneWorkspace:
    """Single-workspace token mode: every request goes through ``platform``."""

    def __init__(self, platform: SlackPlatform) -> None:
        self._platform = platform

    def platform(self, context: AsyncBoltContext) -> SlackPlatform:
        return self._platform


class InstalledWorkspaces:
    """One platform per installed workspace, kept while its bot token stays the same.

    A platform is rebuilt when a workspace's token changes (a reinstall) and dropped
    with `forget` when the app is uninstalled or its bot token revoked.
    """

    def __init__(
        self,
        *,
        base_url: str | None,
        admin_ids: Collection[str],
        labels: SlackLabelRules | None = None,
    ) -> None:
        """``labels`` apply to every workspace; each platform caches its own look-ups."""
        self._base_url = base_url
        self._admin_ids = frozenset(admin_ids)
        self._labels = labels
        self._platforms: dict[str, tuple[str, SlackPlatform]] = {}

    def platform(self, context: AsyncBoltContext) -> SlackPlatform:
        """Raises `LookupError` for a request Bolt did not authorize (no team or token)."""
        if context.team_id is None or context.bot_token is None:
            raise LookupError("the request carries no authorized workspace")
        return self.connect(team_id=context.team_id, bot_token=context.bot_token)

    def connect(self, *, team_id: str, bot_token: str) -> SlackPlatform:
        """The platform of ``team_id`` speaking with ``bot_token``."""
        known = self._platforms.get(team_id)
        if known is not None and known[0] == bot_token:
            return known[1]
        client = build_client(token=bot_token, base_url=self._base_url)
        people = SlackPeople(
            client, admin_ids=self._admin_ids, labels=label_sources(client, self._labels)
        )
        platform = SlackPlatform(client, people=people, team_id=team_id)
        self._platforms[team_id] = (bot_token, platform)
        return platform

    def forget(self, team_id: str) -> None:
        self._platforms.pop(team_id, None)
