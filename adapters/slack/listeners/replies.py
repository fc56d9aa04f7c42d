"""The "See replies" button and the replies modal's submission.

The button's value is the reply token; the engine decides what it opens (the person's
own thread, or the same empty view for anything else). The modal is opened with the
click's trigger id right after the ack, inside Slack's three seconds. A submission
answers back and/or closes the thread, then shows the thread again in place.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import actions
from adapters.slack.deps import Deps
from adapters.slack.reply_surfaces import (
    confirmation_modal,
    replies_modal,
    report_reply_modal,
    submitted_answer,
)
from bot.domain.commands import ReplyCommand
from bot.views.common import Notice, Tone
from bot.views.replies import RepliesView

log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: Deps) -> None:
    @app.action(actions.REPLIES_OPEN_ACTION)
    async def opened(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        person = await deps.sender(body, context)
        view = await deps.engine.show_replies(person, token=str(action.get("value", "")))
        if isinstance(view, Notice):
            log.warning("the replies could not be read: %s", view.text)
            return
        await deps.open_modal(client, body, replies_modal(view))

    @app.view(actions.REPLIES_CALLBACK)
    async def submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        person = await deps.sender(body, context)
        token = str(view.get("private_metadata", ""))
        typed, close = submitted_answer(view.get("state", {}).get("values", {}))
        result: RepliesView | Notice = await deps.engine.show_replies(person, token=token)
        if typed.strip():
            result = await deps.engine.answer_back(person, token=token, text=typed)
            if isinstance(result, Notice) and result.retry:
                await ack(response_action="errors", errors={actions.REPLIES_BLOCK: result.text})
                return
        if close and not isinstance(result, Notice):
            result = await deps.engine.close_replies(person, token=token)
        if isinstance(result, Notice):
            await ack(response_action="errors", errors={actions.REPLIES_BLOCK: result.text})
            return
        await ack(response_action="update", view=replies_modal(result))

    @app.action(re.compile(rf"^{actions.REPORT_REPLY_ACTION}_\d+$"))
    async def reply_clicked(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        await ack()
        t = deps.engine.translator(await deps.sender(body, context))
        modal = report_reply_modal(
            title=t("replies.reply_title"),
            label=t("replies.reply_input"),
            submit=t("replies.submit"),
            value=str(action.get("value", "")),
        )
        await deps.open_modal(client, body, modal)

    @app.view(actions.REPORT_REPLY_CALLBACK)
    async def reply_sent(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        # The command checks the admin, the handle and the thread, as /nps reply does.
        person = await deps.sender(body, context)
        handle, survey = actions.parse_report_reply_value(str(view.get("private_metadata", "")))
        values = view.get("state", {}).get("values", {})
        typed = values.get(actions.REPORT_REPLY_BLOCK, {}).get(actions.REPORT_REPLY_INPUT, {})
        command = ReplyCommand(survey=survey, comment=handle, text=str(typed.get("value") or ""))
        result = await deps.commands.run(person, command)
        text = result.text if isinstance(result, Notice) else ""
        if isinstance(result, Notice) and result.tone is Tone.ERROR:
            await ack(response_action="errors", errors={actions.REPORT_REPLY_BLOCK: text})
            return
        title = deps.engine.translator(person)("replies.reply_title")
        await ack(response_action="update", view=confirmation_modal(title=title, text=text))
