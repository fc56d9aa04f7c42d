"""What every listener needs, built once per app and handed to each listener module."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt.context.async_context import AsyncBoltContext

from adapters.slack.people import SlackPeople
from adapters.slack.platform import SlackPlatform
from bot.admin import SurveyAdmin
from bot.engine import Engine
from bot.people import Person
from bot.waves import Reach

# Slack allows about one message per second per channel and a few hundred per minute per
# workspace; every invitation goes to its own DM channel, so the workspace cap binds.
SLACK_MESSAGES_PER_SECOND = 3.0


@dataclass(frozen=True)
class Deps:
    engine: Engine
    people: SlackPeople
    platform: SlackPlatform
    admin: SurveyAdmin

    async def person(self, user_id: str, context: AsyncBoltContext) -> Person:
        """The person behind a request, in the workspace the request came from."""
        team_id = context.team_id or await self.platform.team_id()
        return await self.people.person(user_id, team_id=team_id)

    def reach(self, tenant: str) -> Reach:
        """This app's connection as a wave's reach for workspace ``tenant``."""
        return Reach(platform=self.platform, tenant=tenant, per_second=SLACK_MESSAGES_PER_SECOND)
