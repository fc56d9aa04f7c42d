"""What every listener needs, built once per app and handed to each listener module."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt.context.async_context import AsyncBoltContext

from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.engine import Engine
from bot.people import Person


@dataclass(frozen=True)
class Deps:
    engine: Engine
    people: SlackPeople
    platform: SlackPlatform

    async def person(self, user_id: str, context: AsyncBoltContext) -> Person:
        """The person behind a request, in the workspace the request came from."""
        team_id = context.team_id or await self.platform.team_id()
        return await self.people.person(user_id, team_id=team_id)
