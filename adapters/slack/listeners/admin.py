"""``/nps survey …`` for admins: the survey modal, its submission, and the delete question.

The commands listener runs ``/nps survey …`` through the core and hands the form and
the delete question here. Every use case checks that the person is an admin and acts on
*their* workspace (the request's team), so a forged button value or form names nothing
outside it.
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

from adapters.slack.admin_surfaces import (
    DELETE_ACTION,
    KEEP_ACTION,
    SURVEY_FORM_CALLBACK,
    FormContext,
    delete_question,
    field_errors,
    submitted_values,
    survey_modal,
)
from adapters.slack.deps import Deps
from adapters.slack.platform import UNREACHABLE, SlackPlatform, slack_error
from adapters.slack.render import message
from bot.domain.people import Person
from bot.views.actions import ActionForm, ActionFormErrors
from bot.views.admin import AdminView, DeleteConfirmation, FormErrors, SurveyForm
from bot.views.common import Notice, Tone, View

log = logging.getLogger(__name__)


async def show_admin_view(
    view: SurveyForm | DeleteConfirmation | FormErrors,
    *,
    trigger_id: str,
    channel: str,
    client: AsyncWebClient,
    respond: AsyncRespond,
) -> None:
    """Show what only survey administration answers: the form as a modal, the delete
    question with its buttons, a refusal of typed settings as a notice."""
    if isinstance(view, SurveyForm):
        await _open(client, trigger_id=trigger_id, form=view, channel=channel)
    elif isinstance(view, DeleteConfirmation):
        await respond(response_type="ephemeral", text=view.question, blocks=delete_question(view))
    else:
        await respond(response_type="ephemeral", **message(_plain(view)).as_kwargs())


def register(app: AsyncApp, deps: Deps) -> None:
    @app.view(SURVEY_FORM_CALLBACK)
    async def submitted(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        form = FormContext.decode(str(view.get("private_metadata", "")))
        if form is None:
            await ack()
            log.warning("ignored a survey form with unreadable metadata")
            return
        # Validated before the ack, so refusals show inside the still-open modal.
        person = await deps.person(str(body["user"]["id"]), context)
        values = submitted_values(view)
        if form.editing is None:
            result = await deps.admin.create(person, values)
        else:
            result = await deps.admin.edit(person, form.editing, values)
        if isinstance(result, FormErrors):
            await ack(response_action="errors", errors=field_errors(result, values))
            return
        await ack()
        await _confirm(deps.platform(context), client, person, channel=form.channel, view=result)

    @app.action(DELETE_ACTION)
    async def delete(
        ack: AsyncAck,
        action: dict[str, Any],
        body: dict[str, Any],
        respond: AsyncRespond,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        person = await deps.person(str(body["user"]["id"]), context)
        view = await deps.admin.delete(person, str(action.get("value", "")))
        await respond(replace_original=True, **message(_plain(view)).as_kwargs())

    @app.action(KEEP_ACTION)
    async def keep(
        ack: AsyncAck,
        action: dict[str, Any],
        body: dict[str, Any],
        respond: AsyncRespond,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        person = await deps.person(str(body["user"]["id"]), context)
        view = deps.admin.kept(person, str(action.get("value", "")))
        await respond(replace_original=True, **message(view).as_kwargs())


async def _open(client: AsyncWebClient, *, trigger_id: str, form: SurveyForm, channel: str) -> None:
    try:
        await client.views_open(trigger_id=trigger_id, view=survey_modal(form, channel=channel))
    except SlackApiError as error:
        # An expired trigger: nothing was stored; the admin runs the command again.
        log.warning("could not open the survey form: %s", error.response.get("error"))


async def _confirm(
    platform: SlackPlatform,
    client: AsyncWebClient,
    person: Person,
    *,
    channel: str,
    view: AdminView,
) -> None:
    """Tell the admin privately in the channel they came from, or by DM when the app
    cannot post there."""
    shown = message(_plain(view)).as_kwargs()
    if channel:
        try:
            await client.chat_postEphemeral(channel=channel, user=person.user_id, **shown)
            return
        except SlackApiError as error:
            if slack_error(error) not in UNREACHABLE:
                raise
    await platform.send_direct(person.user_id, _plain(view))


def _plain(view: AdminView) -> View:
    """Views a conversation can show: form refusals outside a form (typed settings or
    options) become a notice naming each option at fault as it was typed."""
    if isinstance(view, FormErrors | ActionFormErrors):
        return Notice("\n".join(view.typed()), Tone.ERROR)
    if isinstance(view, ActionForm):
        return Notice(view.typed, Tone.INFO)
    if isinstance(view, SurveyForm | DeleteConfirmation):
        raise TypeError(f"{type(view).__name__} is not a message")
    return view
