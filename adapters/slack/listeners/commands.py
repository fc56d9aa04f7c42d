"""``/nps …``: every command of the one grammar (:mod:`bot.domain.commands`), after the ack.

The text is parsed and run by the core; this listener only delivers what comes back: a
score prompt by DM, a report with its charts, and (through
:mod:`adapters.slack.listeners.admin`) the survey form and the delete question.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.deps import Deps
from adapters.slack.listeners.admin import show_admin_view
from adapters.slack.platform import UNREACHABLE, SlackPlatform, slack_error
from adapters.slack.render import message
from bot.ports.platform import DeliveryFailed
from bot.views.admin import DeleteConfirmation, FormErrors, SurveyForm
from bot.views.common import ReportView, ScorePrompt

log = logging.getLogger(__name__)

COMMAND = "/nps"


def register(app: AsyncApp, deps: Deps) -> None:
    @app.command(COMMAND)
    async def nps(
        ack: AsyncAck,
        command: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        # Ack at once: a report (with charts) can take longer than Slack's 3 s.
        await ack()
        user_id = str(command["user_id"])
        person = await deps.person(user_id, context)
        view = await deps.commands.handle(
            person,
            str(command.get("text") or ""),
            reach=lambda: deps.reach(context, person.tenant),
        )
        if isinstance(view, SurveyForm | DeleteConfirmation | FormErrors):
            await show_admin_view(
                view,
                trigger_id=str(command.get("trigger_id") or ""),
                channel=str(command.get("channel_id") or ""),
                client=client,
                respond=respond,
            )
            return
        if isinstance(view, ScorePrompt):
            try:
                await deps.platform(context).send_direct(user_id, view)
                return
            except DeliveryFailed as failure:
                # The DM is closed to the app: ask right here, privately, instead.
                log.warning("could not open a DM for /nps: %s", failure.reason)
        await respond(response_type="ephemeral", **message(view).as_kwargs())
        if isinstance(view, ReportView) and view.charts:
            await _upload_charts(
                deps.platform(context),
                view.charts,
                channel=str(command["channel_id"]),
                user=user_id,
            )


async def _upload_charts(
    platform: SlackPlatform, charts: tuple[bytes, ...], *, channel: str, user: str
) -> None:
    """Charts go to the command's channel, or to the admin's DM when the app cannot post there."""
    try:
        await platform.upload_images(channel, charts)
        return
    except SlackApiError as error:
        if slack_error(error) not in UNREACHABLE:
            raise
    await platform.upload_images(await platform.dm_channel(user), charts)
