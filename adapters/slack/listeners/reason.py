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
from bot.views import Notice

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
            await ack()
            log.warning("ignored a reason form with unreadable metadata")
            return
        # The engine checks the text before the ack, so a reason over the limit comes
        # back as a validation error inside the still-open form and nothing is stored.
        person = await deps.person(body["user"]["id"], context)
        result = await deps.engine.record_reason(person, token=form.token, reason=_typed(view))
        if isinstance(result, Notice) and result.retry:
            await ack(response_action="errors", errors={actions.REASON_BLOCK: result.text})
            return
        await ack()
        if form.channel and form.ts:
            # The thank-you replaces the message, and with it the button that carried
            # the reason token: nothing left in the DM points at the answer.
            await client.chat_update(
                channel=form.channel, ts=form.ts, **message(result).as_kwargs()
            )


def _typed(view: dict[str, Any]) -> str | None:
    values = view.get("state", {}).get("values", {})
    typed = values.get(actions.REASON_BLOCK, {}).get(actions.REASON_INPUT, {}).get("value")
    return str(typed) if typed is not None else None
