"""What every listener needs, built once per app and handed to each listener module."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt.context.async_context import AsyncBoltContext

from adapters.slack.platform import SlackPlatform
from adapters.slack.workspaces import Workspaces
from bot.engine import Engine
from bot.people import Person


@dataclass(frozen=True)
class Deps:
    engine: Engine
    workspaces: Workspaces

    def platform(self, context: AsyncBoltContext) -> SlackPlatform:
        """The platform of the workspace the request came from."""
        return self.workspaces.platform(context)

    async def person(self, user_id: str, context: AsyncBoltContext) -> Person:
        """The person behind a request, in the workspace the request came from."""
        platform = self.platform(context)
        team_id = context.team_id or await platform.team_id()
        return await platform.people.person(user_id, team_id=team_id)
