"""The reason modal's submission."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import actions
from adapters.slack.actions import ReasonForm
from adapters.slack.deps import Deps
from adapters.slack.render import message
from adapters.slack.reply_surfaces import with_replies_button
from bot.views.common import Notice, Tone

log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: Deps) -> None:
    @app.view(actions.REASON_CALLBACK)
    async def submitted(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        form = ReasonForm.decode(str(view.get("private_metadata", "")))
        if form is None:
            log.warning("a reason form arrived with unreadable metadata")
        # The engine checks the text and the token before the ack, so a refusal (a reason
        # over the limit, a token forged, foreign or expired, the database away) comes back
        # inside the still-open form, where the person sees it, and nothing is stored.
        person = await deps.respondent(body["user"]["id"], context)
        result = await deps.engine.record_reason(
            person, token=form.token if form else "", reason=_typed(view)
        )
        if isinstance(result, Notice) and (form is None or result.tone is Tone.ERROR):
            await ack(response_action="errors", errors={actions.REASON_BLOCK: result.text})
            return
        await ack()
        if form is not None and form.channel and form.ts:
            # Only an accepted reason touches the DM: a refused form could name any
            # message. The thank-you replaces the message, and with it the button that
            # carried the reason token.
            # The thanks, or the driver questions that follow it, offer "See replies"
            # instead: its reply token opens only this person's thread, only for them.
            entry = deps.engine.replies_button(person, reason_token=form.token)
            shown = with_replies_button(message(result), entry)
            await client.chat_update(channel=form.channel, ts=form.ts, **shown.as_kwargs())


def _typed(view: dict[str, Any]) -> str | None:
    values = view.get("state", {}).get("values", {})
    typed = values.get(actions.REASON_BLOCK, {}).get(actions.REASON_INPUT, {}).get("value")
    return str(typed) if typed is not None else None
