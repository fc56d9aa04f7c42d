"""``/nps …``: every command of the one grammar (:mod:`bot.domain.commands`), after the ack.

The text is parsed and run by the core; this listener only delivers what comes back: a
score prompt by DM, a report with its charts, and (through
:mod:`adapters.slack.listeners.admin`) the survey form and the delete question.

A report is for the admin who asked and nobody else: its text is ephemeral, and its charts
go to the admin's DM with the app, never to the channel the command was typed in (an
uploaded file stays in a channel's history and its files list for every member).
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
from adapters.slack.listeners.action_form import open_action_form
from adapters.slack.listeners.admin import show_admin_view
from adapters.slack.platform import UNREACHABLE, SlackPlatform, slack_error
from adapters.slack.render import message
from bot.ports.platform import DeliveryFailed
from bot.views.actions import ActionForm, ActionFormErrors
from bot.views.admin import DeleteConfirmation, FormErrors, SurveyForm
from bot.views.common import Notice, ReportView, ScorePrompt, Tone

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
        if isinstance(view, ActionForm):
            await open_action_form(
                client,
                trigger_id=str(command.get("trigger_id") or ""),
                form=view,
                channel=str(command.get("channel_id") or ""),
            )
            return
        if isinstance(view, ActionFormErrors):
            # Typed options: each reason after the option it is about.
            refused = Notice("\n".join(view.typed()), Tone.ERROR)
            await respond(response_type="ephemeral", **message(refused).as_kwargs())
            return
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
                reference = await deps.platform(context).send_direct(user_id, view)
            except DeliveryFailed as failure:
                # The DM is closed to the app: ask right here, privately, instead.
                log.warning("could not open a DM for /nps: %s", failure.reason)
            else:
                if reference.partition(":")[0] != command.get("channel_id"):
                    # Typed in a channel: say privately where the question went.
                    waiting = deps.engine.waiting_in_direct_messages(person)
                    await respond(response_type="ephemeral", **message(waiting).as_kwargs())
                return
        await respond(response_type="ephemeral", **message(view).as_kwargs())
        if not isinstance(view, ReportView) or not view.charts:
            return
        if not await _upload_privately(deps.platform(context), view.charts, user=user_id):
            t = deps.engine.translator(person)
            undelivered = Notice(t("report.charts_undelivered"), Tone.WARNING)
            await respond(response_type="ephemeral", **message(undelivered).as_kwargs())


async def _upload_privately(
    platform: SlackPlatform, charts: tuple[bytes, ...], *, user: str
) -> bool:
    """Upload ``charts`` to the app's DM with ``user`` (opened with `conversations.open`).

    False when that DM cannot be reached (the Messages tab is off, the account is
    restricted): the charts are then sent nowhere rather than somewhere others could see.
    """
    try:
        await platform.upload_images(await platform.dm_channel(user), charts)
    except SlackApiError as error:
        if slack_error(error) not in UNREACHABLE:
            raise
        log.warning("could not upload report charts to the admin's DM: %s", slack_error(error))
        return False
    return True
