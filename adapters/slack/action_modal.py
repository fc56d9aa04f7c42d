"""The action plan form as a Slack modal, and what a submitted one says.

Built with `slack_sdk.models`; every word comes from the use case's
:class:`~bot.views.actions.ActionForm`. Each field is one input block whose block id and
action id are the field's name: the owner is a user picker, the due date a date
picker, the status (and a survey's drivers) a pick-one list, the rest plain text. A
refusal comes back as ``response_action: errors``, a reason beside each field at fault.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    InputInteractiveElement,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View as SlackView

from adapters.slack.escape import clip
from adapters.slack.render import plain
from bot.views.actions import ActionField, ActionForm, ActionFormErrors, ActionInput

ACTION_FORM_CALLBACK = "nps_action_form"
_TITLE_LIMIT = 24
_TEXT_LIMIT = 2000


@dataclass(frozen=True)
class ActionFormContext:
    """What the modal carries in ``private_metadata``: the survey, the action's number
    (None: a new action) and the channel the command came from."""

    survey: str
    number: int | None
    channel: str

    def encode(self) -> str:
        return json.dumps({"survey": self.survey, "number": self.number, "channel": self.channel})

    @classmethod
    def decode(cls, raw: str) -> ActionFormContext | None:
        try:
            fields = json.loads(raw)
            number = fields["number"]
            return cls(
                survey=str(fields["survey"]),
                number=None if number is None else int(number),
                channel=str(fields["channel"]),
            )
        except (ValueError, TypeError, KeyError):
            return None


def action_modal(form: ActionForm, *, channel: str) -> dict[str, Any]:
    """The add or update modal for ``form``."""
    blocks = [
        InputBlock(
            block_id=item.field.value,
            label=plain(item.label, limit=_TEXT_LIMIT),
            element=_element(item),
            hint=plain(item.hint, limit=_TEXT_LIMIT) if item.hint else None,
            optional=item.optional,
        )
        for item in form.inputs
    ]
    context = ActionFormContext(survey=form.survey, number=form.number, channel=channel)
    view = SlackView(
        type="modal",
        callback_id=ACTION_FORM_CALLBACK,
        title=plain(clip(form.title, _TITLE_LIMIT)),
        submit=plain(clip(form.submit_label, _TITLE_LIMIT)),
        private_metadata=context.encode(),
        blocks=blocks,
    )
    return view.to_dict()


def _element(item: ActionInput) -> InputInteractiveElement:
    action = item.field.value
    if item.field is ActionField.OWNER:
        return UserSelectElement(action_id=action, initial_user=item.value or None)
    if item.field is ActionField.DUE:
        return DatePickerElement(action_id=action, initial_date=item.value or None)
    if item.choices:
        options = [Option(value=c.value, text=plain(c.label, limit=75)) for c in item.choices]
        initial = next((o for o in options if o.value == item.value), None)
        return StaticSelectElement(action_id=action, options=options, initial_option=initial)
    return PlainTextInputElement(
        action_id=action,
        initial_value=item.value or None,
        multiline=item.field is ActionField.NOTE,
    )


def submitted_options(view: Mapping[str, Any]) -> dict[str, str]:
    """The fields a submitted modal holds, by name (empty inputs as "")."""
    state: Mapping[str, Mapping[str, Any]] = view.get("state", {}).get("values", {})
    known = {field.value for field in ActionField}
    options: dict[str, str] = {}
    for block_id, actions in state.items():
        if block_id not in known:
            continue  # a block this app never rendered
        for entry in actions.values():
            options[block_id] = _entry_value(entry)
    return options


def _entry_value(entry: Mapping[str, Any]) -> str:
    option = entry.get("selected_option")
    if not isinstance(option, Mapping):
        option = {}
    found = (
        entry.get("value")
        or option.get("value")
        or entry.get("selected_user")
        or entry.get("selected_date")
    )
    return str(found or "")


def action_errors(errors: ActionFormErrors) -> dict[str, str]:
    """``response_action: errors`` for the blocks of the fields at fault."""
    return {field.value: clip(text, _TEXT_LIMIT) for field, text in errors.errors.items()}
