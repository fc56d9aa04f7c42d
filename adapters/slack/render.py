"""Engine views as Slack messages (Block Kit built with `slack_sdk.models`).

Every word comes from the view. Text that a respondent may have written (report rows
and notes) goes into ``plain_text`` objects, which Slack never parses for mentions,
links or formatting; the little ``mrkdwn`` used and the notification fallback text are
escaped. `slack_sdk.models` validates Slack's limits when the blocks are serialised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from adapters.slack import actions
from adapters.slack.escape import clip, mrkdwn
from bot.views.common import (
    DriverPrompt,
    HomeView,
    Notice,
    ReasonPrompt,
    ReportRow,
    ReportSection,
    ReportView,
    ScorePrompt,
    SurveyCard,
    View,
)

# A conversation id as Slack issues them; anything else is shown as words, never
# spliced into mrkdwn.
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")

MESSAGE_BLOCK_LIMIT = 50
_TEXT_LIMIT = 3000
_FIELD_LIMIT = 2000
_HEADER_LIMIT = 150
_BUTTON_TEXT_LIMIT = 75
_FIELDS_PER_SECTION = 10
_ELEMENTS_PER_CONTEXT = 10


@dataclass(frozen=True)
class Message:
    """A message body: the escaped notification ``text`` and its Block Kit ``blocks``."""

    text: str
    blocks: list[dict[str, Any]]

    def as_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `chat.postMessage`, `chat.update` or ``respond``."""
        return {"text": self.text, "blocks": self.blocks}


def message(view: View) -> Message:
    """The message that shows ``view`` in a conversation."""
    if isinstance(view, ScorePrompt):
        return _finish(view.question, score_prompt_blocks(view))
    if isinstance(view, ReasonPrompt):
        return _finish(view.recorded, reason_recorded_blocks(view))
    if isinstance(view, DriverPrompt):
        return _finish(view.recorded, driver_prompt_blocks(view))
    if isinstance(view, Notice):
        return _finish(view.text, notice_blocks(view.text))
    if isinstance(view, ReportView):
        return _finish(view.headline, report_blocks(view))
    if isinstance(view, SurveyCard):
        return _finish(view.question, survey_card_blocks(view))
    if isinstance(view, HomeView):
        return _finish(view.status_text, notice_blocks(view.status_text))
    raise TypeError(f"cannot render {type(view).__name__}")


def plain(text: str, *, limit: int = _TEXT_LIMIT) -> PlainTextObject:
    """A plain_text object: shown exactly as written, never parsed."""
    return PlainTextObject(text=clip(text, limit), emoji=False)


def button(label: str, *, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=plain(label, limit=_BUTTON_TEXT_LIMIT), action_id=action_id, value=value, style=style
    )


def score_prompt_blocks(view: ScorePrompt) -> list[Block]:
    """The question, one actions block of 0–10 buttons, the end labels, the notice, the
    'not now' and 'stop asking me' buttons."""
    scores = [
        button(
            str(score),
            action_id=actions.score_action_id(score),
            value=actions.score_value(view.survey_id, score),
        )
        for score in view.scale
    ]
    # Plain text: the themes in it come from respondents' words and must not be parsed.
    heard = [SectionBlock(block_id="follow_up", text=plain(view.follow_up))] * bool(view.follow_up)
    return [
        *heard,
        SectionBlock(block_id="question", text=plain(view.question)),
        ActionsBlock(block_id="scores", elements=scores),
        ContextBlock(block_id="scale", elements=[plain(view.low_label), plain(view.high_label)]),
        ContextBlock(block_id="notice", elements=[plain(view.notice)]),
        ActionsBlock(
            block_id="later",
            elements=[
                button(view.not_now_label, action_id=actions.NOT_NOW_ACTION, value=view.survey_id),
                button(view.stop_label, action_id=actions.STOP_ACTION, value=view.survey_id),
            ],
        ),
    ]


def reason_recorded_blocks(view: ReasonPrompt) -> list[Block]:
    """The thanks with a button that (re)opens the reason form.

    This replaces the clicked question in the DM, where it stays: it shows neither the
    score nor the prompt of its category (that one is in the form only). The button
    carries only the opaque reason token; the words of the form come from the engine
    again when it is clicked.
    """
    return [
        SectionBlock(block_id="recorded", text=plain(view.recorded)),
        ActionsBlock(
            block_id="reason",
            elements=[
                button(
                    view.add_label,
                    action_id=actions.REASON_OPEN_ACTION,
                    value=view.token,
                    style="primary",
                )
            ],
        ),
    ]


def driver_prompt_blocks(view: DriverPrompt) -> list[Block]:
    """What was recorded, the intro with the scale's ends, then per driver a section
    naming it (with the chosen rating) and a row of 1–5 buttons, the chosen one marked.

    At most 2 + 2 × 5 blocks; each button carries the opaque token, never a person.
    """
    blocks: list[Block] = [
        SectionBlock(block_id="recorded", text=plain(view.recorded)),
        SectionBlock(block_id="intro", text=plain(view.intro)),
        ContextBlock(block_id="scale", elements=[plain(view.low_label), plain(view.high_label)]),
    ]
    for index, driver in enumerate(view.drivers):
        shown = driver.label if driver.chosen is None else f"{driver.label}: {driver.chosen}"
        blocks.append(SectionBlock(block_id=f"driver_{index}", text=plain(shown)))
        blocks.append(
            ActionsBlock(
                block_id=f"rate_{index}",
                elements=[
                    button(
                        str(rating),
                        action_id=actions.driver_action_id(rating),
                        value=actions.driver_value(view.token, driver.key, rating),
                        style="primary" if rating == driver.chosen else None,
                    )
                    for rating in view.scale
                ],
            )
        )
    return blocks


def notice_blocks(text: str) -> list[Block]:
    return [SectionBlock(text=plain(chunk)) for chunk in _chunks(text, _TEXT_LIMIT)]


def survey_card_blocks(view: SurveyCard) -> list[Block]:
    return [
        HeaderBlock(text=plain(view.title, limit=_HEADER_LIMIT)),
        *([SectionBlock(text=plain(view.follow_up))] if view.follow_up else []),
        SectionBlock(text=plain(view.question)),
        ContextBlock(elements=[plain(view.notice)]),
        ActionsBlock(
            elements=[
                button(
                    view.button_label,
                    action_id=actions.CARD_ANSWER_ACTION,
                    value=view.survey_id,
                    style="primary",
                )
            ]
        ),
    ]


def report_blocks(view: ReportView) -> list[Block]:
    """Title, headline, then each section's title, rows (as fields) and notes."""
    blocks: list[Block] = [
        HeaderBlock(text=plain(view.title, limit=_HEADER_LIMIT)),
        SectionBlock(text=plain(view.headline)),
    ]
    for section in view.sections:
        blocks.extend(_section_blocks(section))
    if view.replies:
        # One "reply" button per quoted comment; the reply itself is checked (admin,
        # handle, thread still open) when the form is sent.
        buttons = [
            button(
                target.label,
                action_id=f"{actions.REPORT_REPLY_ACTION}_{index}",
                value=actions.report_reply_value(target.handle, target.survey),
            )
            for index, target in enumerate(view.replies)
        ]
        blocks.append(ActionsBlock(block_id="report_replies", elements=buttons[:25]))
    return blocks


def _section_blocks(section: ReportSection) -> Iterator[Block]:
    yield DividerBlock()
    if section.title:
        # Bold needs mrkdwn; the title is escaped so it can carry nothing but text.
        yield SectionBlock(
            text=MarkdownTextObject(text=f"*{mrkdwn(section.title)}*", verbatim=True)
        )
    fields = [_field(row) for row in section.rows]
    for group in _groups(fields, _FIELDS_PER_SECTION):
        yield SectionBlock(fields=group)
    notes = [plain(note, limit=_FIELD_LIMIT) for note in section.notes]
    for group in _groups(notes, _ELEMENTS_PER_CONTEXT):
        yield ContextBlock(elements=group)


def _field(row: ReportRow) -> PlainTextObject | MarkdownTextObject:
    """A row as a field; a row naming a channel mentions it (Slack shows its name)."""
    mention = row.mention
    if mention is None or not _CHANNEL_ID.fullmatch(mention.channel_id):
        return plain(f"{row.label}\n{row.value}", limit=_FIELD_LIMIT)
    lead = f"{mrkdwn(mention.lead)} " if mention.lead else ""
    text = f"{mrkdwn(row.label)}\n{lead}<#{mention.channel_id}>"
    return MarkdownTextObject(text=clip(text, _FIELD_LIMIT), verbatim=True)


def _finish(text: str, blocks: Sequence[Block]) -> Message:
    kept = list(blocks)[:MESSAGE_BLOCK_LIMIT]
    return Message(text=clip(mrkdwn(text), _TEXT_LIMIT), blocks=[block.to_dict() for block in kept])


def _groups(items: Sequence[Any], size: int) -> Iterable[list[Any]]:
    return (list(items[start : start + size]) for start in range(0, len(items), size))


def _chunks(text: str, size: int) -> list[str]:
    return [text[start : start + size] for start in range(0, len(text), size)] or [" "]
