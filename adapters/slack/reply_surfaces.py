"""The replies to a person's answer as Slack surfaces: the "See replies" button on the
thanks message (or the driver questions that take its place) and the modal that shows
the thread and takes an answer back.

The button's value and the modal's ``private_metadata`` carry only the opaque reply
token. Every message of the thread goes into ``plain_text``, which Slack never parses
for mentions, links or formatting; the engine made the text inert before that.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View as SlackView

from adapters.slack import actions
from adapters.slack.escape import clip
from adapters.slack.render import Message, button, plain
from bot.domain.replies import REPLY_LIMIT
from bot.views.replies import RepliesButton, RepliesView

_VIEW_TITLE_LIMIT = 24
_MODAL_BLOCK_LIMIT = 100


def with_replies_button(thanks: Message, entry: RepliesButton | None) -> Message:
    """The thanks or driver prompt ``thanks``, with the "See replies" button when there
    is one to offer (the last block, so a re-rendered driver prompt keeps it in place)."""
    if entry is None:
        return thanks
    row = ActionsBlock(
        block_id="replies",
        elements=[button(entry.label, action_id=actions.REPLIES_OPEN_ACTION, value=entry.token)],
    )
    return Message(text=thanks.text, blocks=[*thanks.blocks, row.to_dict()])


def replies_modal(view: RepliesView) -> dict[str, Any]:
    """The thread, and while it is open an optional answer and a "close" choice."""
    blocks: list[Block] = [ContextBlock(block_id="intro", elements=[plain(view.intro)])]
    blocks.extend(
        SectionBlock(block_id=f"line_{index}", text=plain(f"{line.who}: {line.text}"))
        for index, line in enumerate(view.lines)
    )
    blocks = blocks[: _MODAL_BLOCK_LIMIT - 2]
    if view.open:
        blocks.append(
            InputBlock(
                block_id=actions.REPLIES_BLOCK,
                label=plain(view.input_label),
                element=PlainTextInputElement(
                    action_id=actions.REPLIES_INPUT, multiline=True, max_length=view.limit
                ),
                optional=True,
            )
        )
        blocks.append(
            InputBlock(
                block_id=actions.REPLIES_CLOSE_BLOCK,
                label=plain(view.close_label),
                element=CheckboxesElement(
                    action_id=actions.REPLIES_CLOSE_INPUT,
                    options=[
                        Option(value=actions.REPLIES_CLOSE_VALUE, text=plain(view.close_label))
                    ],
                ),
                optional=True,
            )
        )
    modal = SlackView(
        type="modal",
        callback_id=actions.REPLIES_CALLBACK,
        title=plain(clip(view.title, _VIEW_TITLE_LIMIT)),
        submit=plain(clip(view.submit_label, _VIEW_TITLE_LIMIT)) if view.open else None,
        private_metadata=view.token,
        blocks=blocks,
    )
    return modal.to_dict()


def submitted_answer(values: dict[str, Any]) -> tuple[str, bool]:
    """What a submitted replies modal holds: the answer typed ("" for none) and whether
    "close" was ticked."""
    typed = values.get(actions.REPLIES_BLOCK, {}).get(actions.REPLIES_INPUT, {}).get("value")
    chosen = (
        values.get(actions.REPLIES_CLOSE_BLOCK, {})
        .get(actions.REPLIES_CLOSE_INPUT, {})
        .get("selected_options")
        or []
    )
    close = any(
        isinstance(option, dict) and option.get("value") == actions.REPLIES_CLOSE_VALUE
        for option in chosen
    )
    return (str(typed) if typed is not None else ""), close


def report_reply_modal(*, title: str, label: str, submit: str, value: str) -> dict[str, Any]:
    """The admin's reply form for one quoted comment (``value``: the clicked button's
    handle and survey, carried in ``private_metadata``)."""
    modal = SlackView(
        type="modal",
        callback_id=actions.REPORT_REPLY_CALLBACK,
        title=plain(clip(title, _VIEW_TITLE_LIMIT)),
        submit=plain(clip(submit, _VIEW_TITLE_LIMIT)),
        private_metadata=value,
        blocks=[
            InputBlock(
                block_id=actions.REPORT_REPLY_BLOCK,
                label=plain(label),
                element=PlainTextInputElement(
                    action_id=actions.REPORT_REPLY_INPUT, multiline=True, max_length=REPLY_LIMIT
                ),
            )
        ],
    )
    return modal.to_dict()


def confirmation_modal(*, title: str, text: str) -> dict[str, Any]:
    """A modal that only says ``text`` (what became of a submitted reply)."""
    modal = SlackView(
        type="modal",
        title=plain(clip(title, _VIEW_TITLE_LIMIT)),
        blocks=[SectionBlock(text=plain(text))],
    )
    return modal.to_dict()
