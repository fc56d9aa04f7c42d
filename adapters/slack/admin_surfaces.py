"""The survey form as a Slack modal, what a submitted form says, and the delete question.

Built with `slack_sdk.models`; every word comes from the use case's views. Each setting
is one input block whose block id and action id are the setting's name, except the
audience's target, which is a channel picker or a user group id depending on the
audience chosen (both inputs are shown; the one that matches the choice is read).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ConfirmObject,
    ConversationFilter,
    ConversationSelectElement,
    InputBlock,
    InputInteractiveElement,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View as SlackView

from adapters.slack.escape import clip
from adapters.slack.render import button, plain
from bot.views.admin import Audience, DeleteConfirmation, FormErrors, FormField, Setting, SurveyForm

SURVEY_FORM_CALLBACK = "nps_survey_form"
DELETE_ACTION = "nps_survey_delete"
KEEP_ACTION = "nps_survey_keep"
AUDIENCE_CHANNEL = "audience_channel"
"""The block (and action) of the channel picker for a channel audience."""

_TITLE_LIMIT = 24
_LABEL_LIMIT = 2000
_HINT_LIMIT = 2000
_CONFIRM_TEXT_LIMIT = 300
_CONFIRM_TITLE_LIMIT = 100
_BUTTON_LIMIT = 30


@dataclass(frozen=True)
class FormContext:
    """What the modal carries in ``private_metadata``: the survey being edited (None for a
    new one) and the channel the command came from, for the confirmation."""

    editing: str | None
    channel: str

    def encode(self) -> str:
        return json.dumps({"editing": self.editing, "channel": self.channel})

    @classmethod
    def decode(cls, raw: str) -> FormContext | None:
        try:
            fields = json.loads(raw)
            editing = fields["editing"]
            return cls(
                editing=None if editing is None else str(editing), channel=str(fields["channel"])
            )
        except (ValueError, TypeError, KeyError):
            return None


def survey_modal(form: SurveyForm, *, channel: str) -> dict[str, Any]:
    """The create/edit modal for ``form``."""
    blocks: list[Block] = []
    for item in form.fields:
        if item.setting is Setting.AUDIENCE_TARGET:
            blocks.extend(_target_blocks(form, item))
        else:
            blocks.append(_input(item, _element(item)))
    view = SlackView(
        type="modal",
        callback_id=SURVEY_FORM_CALLBACK,
        title=plain(clip(form.title, _TITLE_LIMIT)),
        submit=plain(clip(form.submit_label, _TITLE_LIMIT)),
        private_metadata=FormContext(editing=form.editing, channel=channel).encode(),
        blocks=blocks,
    )
    return view.to_dict()


def _input(item: FormField, element: InputInteractiveElement, *, block_id: str = "") -> InputBlock:
    return InputBlock(
        block_id=block_id or item.setting.value,
        label=plain(item.label, limit=_LABEL_LIMIT),
        element=element,
        hint=plain(item.hint, limit=_HINT_LIMIT) if item.hint else None,
        optional=item.optional,
    )


def _element(item: FormField) -> InputInteractiveElement:
    action = item.setting.value
    if item.setting in {Setting.DIGEST_CHANNEL, Setting.ALERT_CHANNEL}:
        return ConversationSelectElement(
            action_id=action,
            initial_conversation=item.value or None,
            filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
        )
    if item.low is not None or item.high is not None:
        return NumberInputElement(
            action_id=action,
            is_decimal_allowed=False,
            initial_value=item.value or None,
            min_value=item.low,
            max_value=item.high,
        )
    if item.choices:
        options = [Option(value=c.value, text=plain(c.label, limit=75)) for c in item.choices]
        initial = next((o for o in options if o.value == item.value), None)
        if item.setting is Setting.AUDIENCE:
            return RadioButtonsElement(action_id=action, options=options, initial_option=initial)
        return StaticSelectElement(action_id=action, options=options, initial_option=initial)
    return PlainTextInputElement(action_id=action, initial_value=item.value or None)


def _target_blocks(form: SurveyForm, item: FormField) -> list[Block]:
    """A channel picker and a user group input, labelled with the audience choices' words."""
    audience = form.field(Setting.AUDIENCE)
    labels = {c.value: c.label for c in audience.choices} if audience else {}
    current = audience.value if audience else ""
    channel = FormField(
        item.setting,
        labels.get(Audience.CHANNEL, item.label),
        value=item.value if current == Audience.CHANNEL else "",
        hint=item.hint,
        optional=True,
    )
    group = FormField(
        item.setting,
        labels.get(Audience.USERGROUP, item.label),
        value=item.value if current == Audience.USERGROUP else "",
        hint=item.hint,
        optional=True,
    )
    picker = ConversationSelectElement(
        action_id=AUDIENCE_CHANNEL,
        initial_conversation=channel.value or None,
        filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True),
    )
    return [
        _input(channel, picker, block_id=AUDIENCE_CHANNEL),
        _input(
            group,
            PlainTextInputElement(action_id=item.setting.value, initial_value=group.value or None),
        ),
    ]


def submitted_values(view: Mapping[str, Any]) -> dict[Setting, object]:
    """The settings a submitted modal holds, by setting (empty inputs as "")."""
    state: Mapping[str, Mapping[str, Any]] = view.get("state", {}).get("values", {})
    values: dict[Setting, object] = {}
    for block_id, actions in state.items():
        for entry in actions.values():
            if block_id == AUDIENCE_CHANNEL:
                continue
            try:
                setting = Setting(block_id)
            except ValueError:
                continue  # a block this app never rendered
            values[setting] = _entry_value(entry)
    if values.get(Setting.AUDIENCE) == Audience.CHANNEL:
        picked = state.get(AUDIENCE_CHANNEL, {}).get(AUDIENCE_CHANNEL, {})
        values[Setting.AUDIENCE_TARGET] = _entry_value(picked)
    return values


def _entry_value(entry: Mapping[str, Any]) -> str:
    option = entry.get("selected_option")
    if not isinstance(option, Mapping):
        option = {}  # a form Slack did not build: read as empty, refused as such
    found = entry.get("value") or option.get("value") or entry.get("selected_conversation")
    return str(found or "")


def field_errors(errors: FormErrors, values: Mapping[Setting, object]) -> dict[str, str]:
    """``response_action: errors`` for the blocks of the settings at fault."""
    shown: dict[str, str] = {}
    for setting, text in errors.errors.items():
        block = setting.value
        if setting is Setting.AUDIENCE_TARGET and values.get(Setting.AUDIENCE) == Audience.CHANNEL:
            block = AUDIENCE_CHANNEL
        shown[block] = clip(text, _HINT_LIMIT)
    return shown


def delete_question(view: DeleteConfirmation) -> list[dict[str, Any]]:
    """The question, a danger button that confirms once more in a dialog, and "keep it"."""
    confirm = ConfirmObject(
        title=plain(view.title, limit=_CONFIRM_TITLE_LIMIT),
        text=plain(view.question, limit=_CONFIRM_TEXT_LIMIT),
        confirm=plain(view.confirm_label, limit=_BUTTON_LIMIT),
        deny=plain(view.cancel_label, limit=_BUTTON_LIMIT),
        style="danger",
    )
    delete = button(view.confirm_label, action_id=DELETE_ACTION, value=view.survey, style="danger")
    delete.confirm = confirm
    blocks: list[Block] = [
        SectionBlock(block_id="question", text=plain(view.question)),
        ActionsBlock(
            block_id="delete",
            elements=[delete, button(view.cancel_label, action_id=KEEP_ACTION, value=view.survey)],
        ),
    ]
    return [block.to_dict() for block in blocks]
