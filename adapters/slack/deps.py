"""What every listener needs, built once per app and handed to each listener module."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.platform import SlackPlatform
from adapters.slack.workspaces import Workspaces
from bot.domain.people import Person
from bot.ports.reach import Reach
from bot.runtime.context import Commands, Engine, Paces, SurveyAdmin

log = logging.getLogger(__name__)

# Slack allows about one message per second per channel and a few hundred per minute per
# workspace; every invitation goes to its own DM channel, so the workspace cap binds. One
# pace per workspace is shared by a wave's sends and the client's retries (bot.ports.pacing),
# and by every replica on one PostgreSQL database. SLACK_MESSAGES_PER_SECOND sets another.
SLACK_MESSAGES_PER_SECOND = 3.0


class PersonUnknown(Exception):
    """Slack would not say who sent a request (``users.info`` refused): nothing is done
    for it. Bolt's error handler (:mod:`adapters.slack.observe`) answers it in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Deps:
    engine: Engine
    workspaces: Workspaces
    admin: SurveyAdmin
    commands: Commands
    paces: Paces
    per_second: float = SLACK_MESSAGES_PER_SECOND

    def platform(self, context: AsyncBoltContext) -> SlackPlatform:
        """The platform of the workspace the request came from."""
        return self.workspaces.platform(context)

    async def person(self, user_id: str, context: AsyncBoltContext) -> Person:
        """The person behind a request, in the workspace whose installation serves it,
        as Slack describes them now (whether they are an admin among it).

        That is the workspace of the token Bolt authorized the request with, not the team
        id the payload names: a token speaks for one workspace, and a payload naming
        another must not reach that workspace's surveys (or create it as a tenant).
        Raises `PersonUnknown` when Slack refuses to describe them.
        """
        return await self._looked_up(user_id, context, answering=False)

    async def respondent(self, user_id: str, context: AsyncBoltContext) -> Person:
        """The person answering a survey (a score, a reason, a driver rating, "not now"):
        as :meth:`person`, from what Slack said of them in the last few minutes
        (``SlackPeople.respondent``), so that one answer's clicks and forms make one
        ``users.info`` call, and a form's ack waits on none after the first click."""
        return await self._looked_up(user_id, context, answering=True)

    async def _looked_up(
        self, user_id: str, context: AsyncBoltContext, *, answering: bool
    ) -> Person:
        platform = self.platform(context)
        authorized = context.authorize_result
        team_id = (
            (authorized.team_id if authorized is not None else None)
            or context.team_id
            or await platform.team_id()
        )
        people = platform.people
        look_up = people.respondent if answering else people.person
        try:
            return await look_up(user_id, team_id=team_id)
        except SlackApiError as error:
            raise PersonUnknown(str(error.response.get("error", "unknown_error"))) from error

    async def sender(self, body: Mapping[str, Any], context: AsyncBoltContext) -> Person:
        """The person who clicked or submitted: ``body`` is a block action's or a view
        submission's payload (see :meth:`person`)."""
        return await self.person(str(body["user"]["id"]), context)

    async def open_modal(
        self, client: AsyncWebClient, body: Mapping[str, Any], view: dict[str, Any]
    ) -> None:
        """Open ``view`` with the click's trigger id. Slack refusing it (the trigger
        expired, a malformed view) is logged: the click has been acknowledged already
        and has nowhere to show an error."""
        try:
            await client.views_open(trigger_id=body["trigger_id"], view=view)
        except SlackApiError as error:
            log.warning("could not open a modal: %s", error.response.get("error"))

    def reach(self, context: AsyncBoltContext, tenant: str) -> Reach:
        """The request's workspace connection as a wave's reach for ``tenant``, paced by
        the workspace's shared pace."""
        pace = self.paces.of(platform="slack", tenant=tenant, per_second=self.per_second)
        return Reach(
            platform=self.platform(context),
            tenant=tenant,
            per_second=self.per_second,
            pace=pace,
        )
