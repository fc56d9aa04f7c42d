"""Clicks on the driver rating buttons shown in the DM after the reason."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import actions
from adapters.slack.deps import Deps
from adapters.slack.listeners.survey import replace_clicked
from adapters.slack.render import message
from bot.views.common import DriverPrompt


def register(app: AsyncApp, deps: Deps) -> None:
    @app.action(actions.DRIVER_ACTION)
    async def rated(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        person = await deps.person(body["user"]["id"], context)
        token, driver, rating = actions.parse_driver_value(str(action.get("value", "")))
        view = await deps.engine.record_rating(person, token=token, driver=driver, rating=rating)
        if isinstance(view, DriverPrompt):
            # The message shows the rating chosen; another click changes it.
            await replace_clicked(body, client, respond, message(view))
            return
        # A forged, foreign or expired token, or an unknown driver: nothing was stored,
        # the message stays as it is and only the clicker sees why.
        await respond(
            response_type="ephemeral", replace_original=False, **message(view).as_kwargs()
        )
