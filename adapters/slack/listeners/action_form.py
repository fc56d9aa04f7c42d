"""The action plan modal: opened by ``/nps actions add|update`` without options, and
its submission, validated before the ack so refusals show beside their fields."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.action_modal import (
    ACTION_FORM_CALLBACK,
    ActionFormContext,
    action_errors,
    action_modal,
    submitted_options,
)
from adapters.slack.deps import Deps
from adapters.slack.platform import UNREACHABLE, slack_error
from adapters.slack.render import message
from bot.domain.commands import ActionsCommand, ActionsVerb
from bot.views.actions import ActionForm, ActionFormErrors
from bot.views.admin import AdminView, DeleteConfirmation, FormErrors, SurveyForm
from bot.views.common import Notice, Tone, View

log = logging.getLogger(__name__)


async def open_action_form(
    client: AsyncWebClient, *, trigger_id: str, form: ActionForm, channel: str
) -> None:
    """Open ``form`` as a modal; an expired trigger stores nothing and is only logged."""
    try:
        await client.views_open(trigger_id=trigger_id, view=action_modal(form, channel=channel))
    except SlackApiError as error:
        log.warning("could not open the action form: %s", error.response.get("error"))


def register(app: AsyncApp, deps: Deps) -> None:
    @app.view(ACTION_FORM_CALLBACK)
    async def submitted(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        form = ActionFormContext.decode(str(view.get("private_metadata", "")))
        if form is None:
            await ack()
            log.warning("ignored an action form with unreadable metadata")
            return
        person = await deps.person(str(body["user"]["id"]), context)
        command = ActionsCommand(
            action=ActionsVerb.ADD if form.number is None else ActionsVerb.UPDATE,
            survey=form.survey,
            number=form.number,
            options=submitted_options(view),
        )
        result = await deps.commands.run(person, command)
        if isinstance(result, ActionFormErrors):
            await ack(response_action="errors", errors=action_errors(result))
            return
        await ack()
        shown = conversational(result)
        if form.channel:
            try:
                await client.chat_postEphemeral(
                    channel=form.channel, user=person.user_id, **message(shown).as_kwargs()
                )
                return
            except SlackApiError as error:
                if slack_error(error) not in UNREACHABLE:
                    raise
        await deps.platform(context).send_direct(person.user_id, shown)


def conversational(view: AdminView) -> View:
    """What a message can show of an action use case's answer: a refusal as a notice,
    a form (never expected after a submission) as how to type it."""
    if isinstance(view, ActionFormErrors):
        return Notice(view.text, Tone.ERROR)
    if isinstance(view, ActionForm):
        return Notice(view.typed, Tone.INFO)
    if isinstance(view, SurveyForm | DeleteConfirmation | FormErrors):
        raise TypeError(f"{type(view).__name__} is not an answer to an action form")
    return view
