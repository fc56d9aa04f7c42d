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
from adapters.slack.reply_surfaces import with_replies_button
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
        person = await deps.respondent(body["user"]["id"], context)
        token, driver, rating = actions.parse_driver_value(str(action.get("value", "")))
        view = await deps.engine.record_rating(person, token=token, driver=driver, rating=rating)
        if isinstance(view, DriverPrompt):
            # The message shows the rating chosen; another click changes it. It keeps
            # "See replies", the one way back to this answer's replies.
            entry = deps.engine.replies_button(person, reason_token=view.token)
            await replace_clicked(body, client, respond, with_replies_button(message(view), entry))
            return
        # A forged, foreign or expired token, or an unknown driver: nothing was stored,
        # the message stays as it is and only the clicker sees why.
        await respond(
            response_type="ephemeral", replace_original=False, **message(view).as_kwargs()
        )
