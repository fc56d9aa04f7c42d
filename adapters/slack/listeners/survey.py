"""Clicks on the survey message: a score, 'not now', 'stop asking me', 'add a reason'."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import actions
from adapters.slack.actions import ReasonForm
from adapters.slack.deps import Deps
from adapters.slack.render import Message, message
from adapters.slack.surfaces import reason_modal
from bot.domain.people import Person
from bot.ports.platform import DeliveryFailed
from bot.views.common import ReasonPrompt, View

log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: Deps) -> None:
    @app.action(actions.SCORE_ACTION)
    async def score(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        person = await deps.respondent(body["user"]["id"], context)
        survey_id, value = actions.parse_score_value(str(action.get("value", "")))
        view = await deps.engine.record_score(person, survey_id=survey_id, score=value)
        if not isinstance(view, ReasonPrompt):
            # Already recorded (double click, redelivery), opted out, or invalid: the
            # message stays as it is and the person alone sees why.
            await respond(
                response_type="ephemeral", replace_original=False, **message(view).as_kwargs()
            )
            return
        channel, ts = _clicked_message(body)
        # The trigger id expires 3 s after the click: open the form before anything else.
        form = ReasonForm.from_prompt(view).at(channel=channel, ts=ts)
        await _open_form(client, trigger_id=str(body["trigger_id"]), form=form)
        await replace_clicked(body, client, respond, message(view))

    @app.action(actions.REASON_OPEN_ACTION)
    async def reopen(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        person = await deps.respondent(body["user"]["id"], context)
        view = await deps.engine.reason_prompt(person, token=str(action.get("value", "")))
        if not isinstance(view, ReasonPrompt):
            # A forged, foreign or expired token: only the clicker sees why.
            await respond(
                response_type="ephemeral", replace_original=False, **message(view).as_kwargs()
            )
            return
        channel, ts = _clicked_message(body)
        form = ReasonForm.from_prompt(view).at(channel=channel, ts=ts)
        await _open_form(client, trigger_id=str(body["trigger_id"]), form=form)

    # "Not now" and "stop asking me" differ only in the use case they run.
    for action_id, use_case in (
        (actions.NOT_NOW_ACTION, deps.engine.not_now),
        (actions.STOP_ACTION, deps.engine.opt_out),
    ):
        app.action(action_id)(_replacing_with(use_case, deps))

    @app.action(actions.CARD_ANSWER_ACTION)
    async def answer_from_card(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await ack()
        user_id = str(body["user"]["id"])
        view = await deps.engine.start(await deps.respondent(user_id, context))
        try:
            await deps.platform(context).send_direct(user_id, view)
        except DeliveryFailed:
            await respond(
                response_type="ephemeral", replace_original=False, **message(view).as_kwargs()
            )


async def replace_clicked(
    body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, new: Message
) -> None:
    """Replace the message that was clicked: `chat.update`, or the response URL for an
    ephemeral message (which has no timestamp to update)."""
    container = body.get("container") or {}
    if container.get("is_ephemeral"):
        await respond(replace_original=True, **new.as_kwargs())
        return
    channel, ts = _clicked_message(body)
    await client.chat_update(channel=channel, ts=ts, **new.as_kwargs())


def _replacing_with(
    use_case: Callable[[Person], Awaitable[View]], deps: Deps
) -> Callable[..., Awaitable[None]]:
    """A listener that answers a click by replacing the clicked message with ``use_case``'s view."""

    async def listener(
        ack: AsyncAck,
        body: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        person = await deps.respondent(body["user"]["id"], context)
        await replace_clicked(body, client, respond, message(await use_case(person)))

    return listener


async def _open_form(client: AsyncWebClient, *, trigger_id: str, form: ReasonForm) -> None:
    try:
        await client.views_open(trigger_id=trigger_id, view=reason_modal(form))
    except SlackApiError as error:
        # An expired trigger loses nothing: the score is stored and the message keeps
        # its 'add a reason' button.
        log.warning("could not open the reason form: %s", error.response.get("error"))


def _clicked_message(body: dict[str, Any]) -> tuple[str, str]:
    container = body.get("container") or {}
    if container.get("is_ephemeral"):
        return "", ""
    return str(container.get("channel_id", "")), str(container.get("message_ts", ""))
