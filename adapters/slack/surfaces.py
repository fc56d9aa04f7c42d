"""The reason modal and the App Home tab, as `slack_sdk.models.views.View` payloads."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View as SlackView

from adapters.slack import actions
from adapters.slack.actions import ReasonForm
from adapters.slack.escape import clip
from adapters.slack.render import button, notice_blocks, plain, report_blocks
from bot.domain.inputs import REASON_LIMIT
from bot.views.common import HomeView, Notice

_VIEW_TITLE_LIMIT = 24
_LABEL_LIMIT = 2000
HOME_BLOCK_LIMIT = 100


def reason_modal(form: ReasonForm) -> dict[str, Any]:
    """The optional, multiline reason input; ``form`` rides along in ``private_metadata``.

    Slack stops typing at ``max_length``, the engine's reason limit (the one Discord's
    input has too); the engine checks the same limit on submission, for a form that
    was not made here, and answers with a validation error in the person's language.
    """
    view = SlackView(
        type="modal",
        callback_id=actions.REASON_CALLBACK,
        title=plain(clip(form.title, _VIEW_TITLE_LIMIT)),
        submit=plain(clip(form.submit, _VIEW_TITLE_LIMIT)),
        private_metadata=form.encode(),
        blocks=[
            InputBlock(
                block_id=actions.REASON_BLOCK,
                label=plain(form.prompt, limit=_LABEL_LIMIT),
                element=PlainTextInputElement(
                    action_id=actions.REASON_INPUT, multiline=True, max_length=REASON_LIMIT
                ),
                optional=True,
            )
        ],
    )
    return view.to_dict()


def home_tab(view: HomeView | Notice) -> dict[str, Any]:
    """A person's Home tab: status, opt-out/opt-in toggle, 'answer now', the recent notice
    that new replies exist, privacy, and for admins the latest report. A `Notice` (the
    database was unavailable) is shown alone."""
    if isinstance(view, Notice):
        blocks: list[Block] = list(notice_blocks(view.text))
    else:
        blocks = _home_blocks(view)
    home = SlackView(type="home", blocks=blocks[:HOME_BLOCK_LIMIT])
    return home.to_dict()


def _home_blocks(view: HomeView) -> list[Block]:
    toggle = actions.OPT_IN if view.opted_out else actions.OPT_OUT
    blocks: list[Block] = [
        HeaderBlock(text=plain(view.title, limit=150)),
        SectionBlock(block_id="status", text=plain(view.status_text)),
        ActionsBlock(
            block_id="home_actions",
            elements=[
                button(
                    view.answer_label,
                    action_id=actions.HOME_ANSWER_ACTION,
                    value="answer",
                    style="primary",
                ),
                button(view.toggle_label, action_id=actions.HOME_TOGGLE_ACTION, value=toggle),
            ],
        ),
        DividerBlock(),
        *notice_blocks(view.privacy),
    ]
    if view.replies_notice:
        # The periodic notice, as the channel read it: plain text, naming no one.
        blocks[3:3] = [SectionBlock(block_id="replies_notice", text=plain(view.replies_notice))]
    if view.admin_report is not None:
        blocks.append(DividerBlock())
        blocks.extend(report_blocks(view.admin_report))
    return blocks
